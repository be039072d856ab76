// One reconnecting WebSocket connection, framework-free: the socket constructor and timers are injected so
// the reconnect and heartbeat logic is testable without a browser.
import { backoffDelay, BackoffOptions, DEFAULT_BACKOFF } from './backoff';
import { LiveMessage, parseLiveMessage } from './live-messages';

export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export type LiveState = 'idle' | 'connecting' | 'open' | 'waiting';

export interface LiveSocketOptions {
  /** URL for the next attempt, or null when there is no session (the socket then stays closed). */
  url: () => string | null;
  createSocket: (url: string) => SocketLike;
  timers: Timers;
  onMessage: (message: LiveMessage) => void;
  onState?: (state: LiveState) => void;
  pingIntervalMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
}

const OPEN = 1;

export class LiveSocket {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private reconnectHandle: unknown = null;
  private pingHandle: unknown = null;
  private missedPongs = 0;
  private running = false;
  private stateValue: LiveState = 'idle';

  constructor(private readonly options: LiveSocketOptions) {}

  get state(): LiveState {
    return this.stateValue;
  }

  get attempts(): number {
    return this.attempt;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, 'client stop');
    }
    this.attempt = 0;
    this.setState('idle');
  }

  /** Drop the current connection and connect again now (e.g. after a token refresh). */
  restart(): void {
    this.stop();
    this.start();
  }

  send(message: object): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private connect(): void {
    if (!this.running) return;
    const url = this.options.url();
    if (!url) {
      this.running = false;
      this.setState('idle');
      return;
    }
    this.setState('connecting');
    let socket: SocketLike;
    try {
      socket = this.options.createSocket(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.missedPongs = 0;
      this.setState('open');
      this.startPing();
    };
    socket.onmessage = (event) => {
      this.missedPongs = 0;
      const message = parseLiveMessage(event.data);
      if (message && message.type !== 'pong') this.options.onMessage(message);
    };
    socket.onerror = () => {
      // onclose follows and schedules the reconnect
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleReconnect();
    };
  }

  private startPing(): void {
    const interval = this.options.pingIntervalMs ?? 25_000;
    this.options.timers.clearInterval(this.pingHandle);
    this.pingHandle = this.options.timers.setInterval(() => {
      // Two intervals without any frame (pong or data): the connection is dead even if TCP has not noticed.
      if (this.missedPongs >= 2) {
        this.socket?.close(4000, 'heartbeat timeout');
        return;
      }
      this.missedPongs += 1;
      this.send({ type: 'ping' });
    }, interval);
  }

  private scheduleReconnect(): void {
    this.options.timers.clearInterval(this.pingHandle);
    this.pingHandle = null;
    if (!this.running) return;
    const delay = backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    this.attempt += 1;
    this.setState('waiting');
    this.reconnectHandle = this.options.timers.setTimeout(() => {
      this.reconnectHandle = null;
      this.connect();
    }, delay);
  }

  private clearTimers(): void {
    this.options.timers.clearTimeout(this.reconnectHandle);
    this.options.timers.clearInterval(this.pingHandle);
    this.reconnectHandle = null;
    this.pingHandle = null;
  }

  private setState(state: LiveState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.options.onState?.(state);
  }
}
