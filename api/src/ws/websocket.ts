// WebSocket `/ws/connect?token=<JWT>` (requirements §4): ping/pong; admins get `monitoring_update`
// snapshots of the whole fleet at most every 5 s, customers only their tenant's machines; alert,
// operation and machine-status events pushed as they happen. Everything reaches clients through Redis
// pub/sub, so any number of API processes serve clients: one process per tick (a Redis lock) computes
// the snapshot and publishes it, every process relays what its own clients may see.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Redis } from 'ioredis';
import { WebSocket, WebSocketServer } from 'ws';
import {
  ALERT_EVENTS_CHANNEL,
  MACHINE_EVENTS_CHANNEL,
  OPERATION_EVENTS_CHANNEL,
  type AlertEvent,
  type MachineStatusEvent,
  type OperationEvent,
} from '@remotegpu/core/contracts';
import type { TokenService } from '../auth/token-service';
import type { AppDeps } from '../deps';
import { findIdentityById, isActiveIdentity } from '../identity/user-repository';
import type { FleetSnapshot, FleetSnapshotService, LiveMachine } from '../modules/monitoring/fleet-snapshot';

export const WS_PATH = '/ws/connect';
export const WS_CLOSE_UNAUTHORIZED = 4401;
/** A client this far behind is skipped for snapshots rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface WebSocketDeps extends Pick<AppDeps, 'config' | 'orm' | 'redis' | 'logger'> {
  tokens: TokenService;
  snapshots: FleetSnapshotService;
  /** Snapshot period; default 5 s. */
  monitoringIntervalMs?: number;
  /** Only machines whose id starts with this are pushed (tests share one database). */
  machineIdPrefix?: string;
  heartbeatIntervalMs?: number;
}

interface Client {
  ws: WebSocket;
  userId: number;
  role: 'admin' | 'customer';
  tenantId: number | null;
  alive: boolean;
}

interface MonitoringMessage {
  generated_at: string;
  summary: FleetSnapshot['summary'];
  machines: LiveMachine[];
}

export interface WebSocketHub {
  clientCount(): number;
  /** Computes and publishes one snapshot now (tests, and the periodic tick). */
  publishSnapshot(): Promise<void>;
  close(): Promise<void>;
}

export function attachWebSocket(server: Server, deps: WebSocketDeps): WebSocketHub {
  const { redis, logger } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<Client>();
  const instanceId = randomUUID();
  // API processes sharing one database share snapshots; separate databases (tests) never mix.
  const scope = createHash('sha256')
    .update(`${deps.config.databaseUrl}|${String(deps.orm.config.get('schema') ?? '')}|${deps.machineIdPrefix ?? ''}`)
    .digest('hex')
    .slice(0, 12);
  const monitoringChannel = `events:monitoring:${scope}`;
  const leaderKey = `ws:monitoring:leader:${scope}`;
  const intervalMs = deps.monitoringIntervalMs ?? 5000;
  /** machine id → tenant of its live allocation, from the latest snapshot; filters events for customers. */
  let machineTenants = new Map<string, number | null>();

  const subscriber: Redis = redis.duplicate();
  subscriber.on('error', (err: Error) => logger.warn({ err: err.message }, 'websocket subscriber redis error'));
  void subscriber
    .subscribe(ALERT_EVENTS_CHANNEL, OPERATION_EVENTS_CHANNEL, MACHINE_EVENTS_CHANNEL, monitoringChannel)
    .catch((err: unknown) => logger.error({ err }, 'websocket: cannot subscribe'));
  subscriber.on('message', (channel: string, message: string) => {
    try {
      relay(channel, message);
    } catch (err) {
      logger.warn({ err, channel }, 'websocket: bad event dropped');
    }
  });

  function send(client: Client, payload: string): void {
    if (client.ws.readyState === WebSocket.OPEN) client.ws.send(payload);
  }

  function tenantOfMachine(machineId: string | null | undefined): number | null {
    return machineId ? (machineTenants.get(machineId) ?? null) : null;
  }

  function relayToAudience(type: string, data: unknown, tenantId: number | null): void {
    const payload = JSON.stringify({ type, data });
    for (const client of clients) {
      if (client.role === 'admin' || (tenantId !== null && client.tenantId === tenantId)) send(client, payload);
    }
  }

  function relaySnapshot(snapshot: MonitoringMessage, raw: string): void {
    machineTenants = new Map(snapshot.machines.map((m) => [m.machine_id, m.tenant_id]));
    let adminPayload: string | undefined;
    const tenantPayloads = new Map<number, string>();
    for (const client of clients) {
      if (client.ws.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      if (client.role === 'admin') {
        // The published JSON is reused as is: no re-serialisation of the whole fleet per tick.
        adminPayload ??= `{"type":"monitoring_update","data":${raw}}`;
        send(client, adminPayload);
      } else if (client.tenantId !== null) {
        let payload = tenantPayloads.get(client.tenantId);
        if (payload === undefined) {
          const machines = snapshot.machines.filter((m) => m.tenant_id === client.tenantId);
          payload = JSON.stringify({
            type: 'monitoring_update',
            data: { generated_at: snapshot.generated_at, machines },
          });
          tenantPayloads.set(client.tenantId, payload);
        }
        send(client, payload);
      }
    }
  }

  function relay(channel: string, message: string): void {
    if (clients.size === 0 && channel !== monitoringChannel) return;
    const data = JSON.parse(message) as unknown;
    if (channel === monitoringChannel) return relaySnapshot(data as MonitoringMessage, message);
    if (channel === ALERT_EVENTS_CHANNEL) {
      const event = data as AlertEvent;
      return relayToAudience('alert_event', event, tenantOfMachine(event.alert.machine_id));
    }
    if (channel === OPERATION_EVENTS_CHANNEL) {
      const event = data as OperationEvent;
      return relayToAudience('operation_update', event, event.tenant_id ?? tenantOfMachine(event.machine_id));
    }
    if (channel === MACHINE_EVENTS_CHANNEL) {
      const event = data as MachineStatusEvent;
      return relayToAudience('machine_status', event, tenantOfMachine(event.machine_id));
    }
  }

  async function publishSnapshot(): Promise<void> {
    const snapshot = await deps.snapshots.compute(deps.machineIdPrefix);
    const message: MonitoringMessage = {
      generated_at: snapshot.generated_at,
      summary: snapshot.summary,
      machines: snapshot.machines,
    };
    await redis.publish(monitoringChannel, JSON.stringify(message));
  }

  let ticking = false;
  const monitoringTimer = setInterval(() => {
    if (clients.size === 0 || ticking) return;
    ticking = true;
    // One process per tick computes the snapshot; the lock expires just before the next tick.
    redis
      .set(leaderKey, instanceId, 'PX', Math.max(intervalMs - 100, 100), 'NX')
      .then((won) => (won ? publishSnapshot() : undefined))
      .catch((err: unknown) => logger.warn({ err }, 'websocket: snapshot failed'))
      .finally(() => {
        ticking = false;
      });
  }, intervalMs);
  monitoringTimer.unref();

  const keepAlive = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }, deps.heartbeatIntervalMs ?? 30_000);
  keepAlive.unref();

  /** The caller, or null for a bad token; infrastructure errors (database, Redis) are thrown. */
  /** The caller, or the reason its token is refused; infrastructure errors (database, Redis) are thrown. */
  async function authenticate(token: string | null): Promise<Omit<Client, 'ws' | 'alive'> | string> {
    if (!token) return 'no token';
    let claims: ReturnType<TokenService['verifyAccessToken']>;
    try {
      claims = deps.tokens.verifyAccessToken(token);
    } catch (err) {
      return (err as Error).message;
    }
    const [blacklisted, familyActive] = await Promise.all([
      deps.tokens.isBlacklisted(claims.jti),
      deps.tokens.isFamilyActive(claims.fid),
    ]);
    if (blacklisted || !familyActive) return 'token revoked';
    const identity = await findIdentityById(deps.orm.em.fork(), Number(claims.sub));
    if (!identity || !isActiveIdentity(identity)) return 'user or tenant inactive';
    if (identity.mustChangePassword) return 'password change required';
    if (identity.role === 'customer' && identity.tenantId === null) return 'customer without tenant';
    return { userId: identity.id, role: identity.role, tenantId: identity.tenantId };
  }

  function onMessage(client: Client, raw: string): void {
    let type: unknown;
    try {
      type = (JSON.parse(raw) as { type?: unknown }).type;
    } catch {
      return send(client, JSON.stringify({ type: 'error', data: { message: 'messages must be JSON' } }));
    }
    if (type === 'ping') send(client, JSON.stringify({ type: 'pong', data: { ts: Date.now() } }));
    else send(client, JSON.stringify({ type: 'error', data: { message: `unknown message type ${String(type)}` } }));
  }

  function onConnection(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let client: Client | undefined;
    // Messages sent before authentication finishes wait for it (a few at most).
    const early: string[] = [];
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return;
      if (client) onMessage(client, raw.toString());
      else if (early.length < 16) early.push(raw.toString());
    });
    ws.on('error', (err) => logger.debug({ err: err.message }, 'websocket client error'));
    authenticate(url.searchParams.get('token'))
      .then((identity) => {
        if (typeof identity === 'string') {
          logger.info({ reason: identity }, 'websocket connection refused');
          ws.close(WS_CLOSE_UNAUTHORIZED, 'unauthorized');
          return;
        }
        if (ws.readyState !== WebSocket.OPEN) return;
        const authenticated: Client = { ws, ...identity, alive: true };
        client = authenticated;
        clients.add(authenticated);
        ws.on('pong', () => {
          authenticated.alive = true;
        });
        ws.on('close', () => clients.delete(authenticated));
        send(
          authenticated,
          JSON.stringify({
            type: 'connected',
            data: { user_id: authenticated.userId, role: authenticated.role, tenant_id: authenticated.tenantId },
          }),
        );
        for (const message of early.splice(0)) onMessage(authenticated, message);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'websocket: authentication failed');
        ws.close(1011, 'internal error');
      });
  }

  wss.on('connection', onConnection);
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    // Other upgrade paths (terminal, desktop bridges) belong to other handlers.
    if (path !== WS_PATH) return;
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearInterval(monitoringTimer);
    clearInterval(keepAlive);
    server.off('upgrade', onUpgrade);
    for (const client of clients) client.ws.close(1001, 'server shutting down');
    clients.clear();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await subscriber.quit().catch(() => undefined);
  };
  server.once('close', () => void close());

  return { clientCount: () => clients.size, publishSnapshot, close };
}
