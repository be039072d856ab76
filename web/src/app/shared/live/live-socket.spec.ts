import { LiveMessage, alertOf, liveSocketUrl, monitoringUpdates, parseLiveMessage } from './live-messages';
import { LiveSocket, LiveState, SocketLike, Timers } from './live-socket';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed: { code?: number; reason?: string } | null = null;
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(data: unknown): void {
    this.onmessage?.({ data } as MessageEvent);
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }
}

/** Manual clock: timers fire only when advanced. */
class FakeTimers implements Timers {
  private next = 1;
  now = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void; every?: number }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  setInterval(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, fn, every: ms });
    return id;
  }
  clearInterval(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  delays(): number[] {
    return [...this.pending.values()].filter((t) => !t.every).map((t) => t.at - this.now);
  }
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, timer] = due;
      this.now = timer.at;
      if (timer.every) timer.at += timer.every;
      else this.pending.delete(id);
      timer.fn();
    }
    this.now = target;
  }
}

function setup(token: () => string | null = () => 'tok') {
  const sockets: FakeSocket[] = [];
  const timers = new FakeTimers();
  const messages: LiveMessage[] = [];
  const states: LiveState[] = [];
  const live = new LiveSocket({
    url: () => {
      const t = token();
      return t ? liveSocketUrl({ protocol: 'https:', host: 'portal.example' }, t) : null;
    },
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    timers,
    onMessage: (m) => messages.push(m),
    onState: (s) => states.push(s),
    pingIntervalMs: 1000,
    backoff: { baseMs: 100, maxMs: 1000, factor: 2, jitter: 0 },
  });
  return { live, sockets, timers, messages, states };
}

describe('LiveSocket', () => {
  it('connects with the token, dispatches typed messages and ignores unknown frames', () => {
    const { live, sockets, messages } = setup(() => 'a b');
    live.start();
    expect(sockets[0].url).toBe('wss://portal.example/ws/connect?token=a%20b');
    sockets[0].open();
    expect(live.state).toBe('open');
    sockets[0].receive(JSON.stringify({ type: 'monitoring_update', data: { machine_id: 'm1', gpu_util: 80, ts: 1 } }));
    sockets[0].receive(JSON.stringify({ type: 'something_new', data: {} }));
    sockets[0].receive('not json');
    sockets[0].receive(JSON.stringify({ type: 'pong' }));
    expect(messages).toEqual([{ type: 'monitoring_update', data: { machine_id: 'm1', gpu_util: 80, ts: 1 } }]);
  });

  it('reconnects with growing back-off and resets it after a successful open', () => {
    const { live, sockets, timers, states } = setup();
    live.start();
    sockets[0].drop();
    expect(timers.delays()).toEqual([100]);
    timers.advance(100);
    expect(sockets).toHaveLength(2);
    sockets[1].drop();
    expect(timers.delays()).toEqual([200]);
    timers.advance(200);
    sockets[2].drop();
    expect(timers.delays()).toEqual([400]);
    timers.advance(400);
    sockets[3].open();
    expect(live.attempts).toBe(0);
    sockets[3].drop();
    expect(timers.delays()).toEqual([100]);
    expect(states.slice(0, 4)).toEqual(['connecting', 'waiting', 'connecting', 'waiting']);
  });

  it('pings on an interval and closes a connection that stops answering', () => {
    const { live, sockets, timers } = setup();
    live.start();
    sockets[0].open();
    timers.advance(1000);
    expect(sockets[0].sent).toEqual([JSON.stringify({ type: 'ping' })]);
    sockets[0].receive(JSON.stringify({ type: 'pong' }));
    timers.advance(1000);
    timers.advance(1000);
    expect(sockets[0].closed).toBeNull();
    timers.advance(1000); // two pings unanswered
    expect(sockets[0].closed).toEqual({ code: 4000, reason: 'heartbeat timeout' });
    expect(live.state).toBe('waiting');
    timers.advance(100);
    expect(sockets).toHaveLength(2);
  });

  it('stop() closes without reconnecting; no token means no connection', () => {
    const { live, sockets, timers } = setup();
    live.start();
    sockets[0].open();
    live.stop();
    expect(sockets[0].closed?.code).toBe(1000);
    timers.advance(60_000);
    expect(sockets).toHaveLength(1);
    expect(live.send({ type: 'ping' })).toBe(false);

    const signedOut = setup(() => null);
    signedOut.live.start();
    expect(signedOut.sockets).toHaveLength(0);
    expect(signedOut.live.state).toBe('idle');
  });
});

describe('live messages', () => {
  it('parses and flattens monitoring snapshots and single updates', () => {
    const single = parseLiveMessage(
      JSON.stringify({ type: 'monitoring_update', data: { machine_id: 'a', gpu_util: 1, ts: 1 } }),
    );
    const snapshot = parseLiveMessage(
      JSON.stringify({
        type: 'monitoring_update',
        data: { generated_at: '2026-11-22T12:00:00Z', machines: [{ machine_id: 'b', gpu_util: 2, ts: 2 }] },
      }),
    );
    const event = parseLiveMessage(
      JSON.stringify({
        type: 'alert_event',
        data: { action: 'raised', alert: { id: 1, severity: 'critical', message: 'x' }, at: 'now' },
      }),
    );
    expect(single && monitoringUpdates(single).map((u) => u.machine_id)).toEqual(['a']);
    expect(snapshot && monitoringUpdates(snapshot).map((u) => u.machine_id)).toEqual(['b']);
    expect(event && monitoringUpdates(event)).toEqual([]);
    expect(event && alertOf(event)).toEqual({ id: 1, severity: 'critical', message: 'x' });
    const plain = parseLiveMessage(JSON.stringify({ type: 'alert', data: { id: 2, severity: 'info', message: 'y' } }));
    expect(plain && alertOf(plain)?.id).toBe(2);
    expect(single && alertOf(single)).toBeNull();
    expect(parseLiveMessage(JSON.stringify({ type: 'global_monitoring', data: {} }))).toBeNull();
    expect(parseLiveMessage(42)).toBeNull();
    expect(parseLiveMessage('null')).toBeNull();
  });

  it('builds ws:// for http pages', () => {
    expect(liveSocketUrl({ protocol: 'http:', host: '127.0.0.1:4200' }, 't')).toBe(
      'ws://127.0.0.1:4200/ws/connect?token=t',
    );
  });
});
