// Signed agent heartbeats (DESIGN §4): key id → agent_credentials (one indexed query that also returns
// the machine's status), decrypt the secret, verify the HMAC with the core rule, refuse a replayed
// signature (Redis SET NX, 10 min), then store last-seen + the latest metrics in Redis in one script
// and queue the time-series rows. Liveness hysteresis (rules/fleet-health) turns an offline machine
// online after consecutive fresh heartbeats and resolves its host_offline alert.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  createSecretBox,
  decideHeartbeat,
  verifyAgentRequest,
  type LivenessPolicy,
  type SecretBox,
} from '@remotegpu/core';
import {
  AGENT_SIGNATURE_WINDOW_SECONDS,
  FLEET_ALERT_KINDS,
  FLEET_REALTIME_CACHE_KEY,
  MACHINE_EVENTS_CHANNEL,
  agentSignatureSeenKey,
  machineHeartbeatKey,
  machineLivenessKey,
  machineMetricsKey,
  type MachineMetricsSnapshot,
  type MachineStatusEvent,
} from '@remotegpu/core/contracts';
import { AppError } from '../../http/errors';
import { AlertService } from '../alerts/alert-service';
import { rows, table } from '../monitoring/sql';
import { heartbeatBodySchema } from './heartbeat-schema';
import type { MetricsWriter } from './metrics-writer';

/** Seen signatures are kept longer than the ±5 min window, so a replay inside it always collides. */
export const SIGNATURE_MEMORY_SECONDS = 600;
/**
 * Credential rows (with the decrypted secret and the machine's status) are reused for this long, so a
 * steady fleet costs no database read per heartbeat. A revoked key keeps working at most this long.
 */
export const CREDENTIAL_CACHE_MS = 5000;
/** Latest-metrics snapshots expire on their own if a machine disappears. */
const SNAPSHOT_TTL_SECONDS = 3600;

// KEYS: seen-signature, heartbeat, metrics, liveness. ARGV: now ms, snapshot json, ttls.
// Returns false for a replay (nothing written), else {previous heartbeat ms or false, fresh_beats, stale_sweeps}.
const STORE_HEARTBEAT_SCRIPT = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[3])) then return false end
local previous = redis.call('GET', KEYS[2])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[2], 'EX', tonumber(ARGV[4]))
local counters = redis.call('HMGET', KEYS[4], 'fresh_beats', 'stale_sweeps', 'offline')
return {previous or false, counters[1] or '0', counters[2] or '0', counters[3] or ''}
`;

interface CredentialRow {
  key_id: string;
  machine_id: string;
  secret_encrypted: string;
  credential_status: string;
  machine_status: 'online' | 'offline';
  deleted_at: Date | null;
}

export interface HeartbeatRequest {
  method: string;
  /** Path + query as received (what the agent signed). */
  path: string;
  headers: { keyId?: string; timestamp?: string; signature?: string };
  rawBody: Buffer;
}

export interface HeartbeatServiceDeps {
  orm: MikroORM;
  redis: Redis;
  logger: Logger;
  agentCredentialsKey: string;
  liveness: LivenessPolicy;
  writer: MetricsWriter;
  alerts: AlertService;
  now: () => Date;
}

const unauthorized = (why: string) => new AppError('UNAUTHENTICATED', `heartbeat rejected: ${why}`);

export class HeartbeatService {
  private readonly box: SecretBox;
  private readonly credentials = new Map<string, { row: CredentialRow; secret: string; until: number }>();

  constructor(private readonly deps: HeartbeatServiceDeps) {
    this.box = createSecretBox(deps.agentCredentialsKey);
  }

  async accept(req: HeartbeatRequest): Promise<{ machine_id: string; status: 'online' | 'offline' }> {
    const { keyId, timestamp, signature } = req.headers;
    if (!keyId || !timestamp || !signature) throw unauthorized('missing signature headers');
    const { row: credential, secret } = await this.credential(keyId);
    const now = this.deps.now();
    const verdict = verifyAgentRequest({
      secret,
      method: req.method,
      path: req.path,
      timestamp,
      signature,
      body: req.rawBody,
      nowSeconds: Math.floor(now.getTime() / 1000),
      windowSeconds: AGENT_SIGNATURE_WINDOW_SECONDS,
    });
    if (!verdict.ok) throw unauthorized(verdict.reason);

    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      throw new AppError('VALIDATION_ERROR', 'heartbeat body is not JSON');
    }
    const body = heartbeatBodySchema.parse(parsedJson);
    if (body.machine_id !== credential.machine_id) throw unauthorized('key belongs to another machine');

    const machineId = credential.machine_id;
    const nowMs = now.getTime();
    const snapshot: MachineMetricsSnapshot = {
      machine_id: machineId,
      received_at: nowMs,
      agent_ts: body.ts,
      cpu_util: body.metrics.cpu_util,
      mem_used_pct: body.metrics.mem_used_pct,
      disk_used_pct: body.metrics.disk_used_pct,
      gpus: body.metrics.gpus.map((g) => ({ ...g, ecc_uncorrected: g.ecc_uncorrected ?? null })),
    };
    const stored = (await this.deps.redis.eval(
      STORE_HEARTBEAT_SCRIPT,
      4,
      agentSignatureSeenKey(signature.toLowerCase()),
      machineHeartbeatKey(machineId),
      machineMetricsKey(machineId),
      machineLivenessKey(machineId),
      String(nowMs),
      JSON.stringify(snapshot),
      String(SIGNATURE_MEMORY_SECONDS),
      String(SNAPSHOT_TTL_SECONDS),
    )) as [string | null, string, string, string] | null;
    if (!stored) throw unauthorized('replayed signature');

    const [previous, freshBeats, staleSweeps, offlineFlag] = stored;
    // The sweep mirrors the machine's online status into the liveness hash, so the cached row's status
    // can be stale without delaying a comeback.
    const knownStatus = offlineFlag === '1' ? 'offline' : offlineFlag === '0' ? 'online' : credential.machine_status;
    const decision = decideHeartbeat(
      {
        status: knownStatus,
        counters: { freshBeats: Number(freshBeats), staleSweeps: Number(staleSweeps) },
        previousHeartbeatMs: previous ? Number(previous) : null,
        nowMs,
      },
      this.deps.liveness,
    );
    await this.deps.redis.hset(machineLivenessKey(machineId), 'fresh_beats', decision.counters.freshBeats);
    this.deps.writer.add(body, now);

    let status = knownStatus;
    if (decision.markOnline && (await this.markOnline(machineId, now))) status = 'online';
    if (status !== credential.machine_status) this.credentials.delete(keyId);
    return { machine_id: machineId, status };
  }

  /** The active credential of a key id (cached briefly), or 401 — one message for every credential problem. */
  private async credential(keyId: string): Promise<{ row: CredentialRow; secret: string }> {
    const nowMs = Date.now();
    const cached = this.credentials.get(keyId);
    if (cached && cached.until > nowMs) return cached;
    const em = this.deps.orm.em.fork();
    const [row] = await rows<CredentialRow>(
      em,
      `select c.key_id, c.machine_id, c.secret_encrypted, c.status as credential_status, m.status as machine_status,
         m.deleted_at
       from ${table(em, 'agent_credentials')} c join ${table(em, 'machines')} m on m.id = c.machine_id
       where c.key_id = ?`,
      [keyId],
    );
    // A prober learns nothing about which key ids exist.
    if (!row || row.credential_status !== 'active' || row.deleted_at !== null) {
      this.credentials.delete(keyId);
      throw unauthorized('unknown or revoked key');
    }
    const entry = { row, secret: this.decrypt(row), until: nowMs + CREDENTIAL_CACHE_MS };
    if (this.credentials.size > 20_000) this.credentials.clear();
    this.credentials.set(keyId, entry);
    return entry;
  }

  private decrypt(credential: CredentialRow): string {
    // Issuers bind the ciphertext to its key id (associated data); older rows may not.
    try {
      return this.box.decrypt(credential.secret_encrypted, credential.key_id);
    } catch {
      try {
        return this.box.decrypt(credential.secret_encrypted);
      } catch {
        this.deps.logger.error(
          { keyId: credential.key_id },
          'agent secret cannot be decrypted (AGENT_CREDENTIALS_KEY changed?)',
        );
        throw unauthorized('unknown or revoked key');
      }
    }
  }

  private async markOnline(machineId: string, now: Date): Promise<boolean> {
    const em = this.deps.orm.em.fork();
    const changed = await rows(
      em,
      `update ${table(em, 'machines')} set status = 'online', last_heartbeat_at = ?, updated_at = ?
       where id = ? and status = 'offline' and deleted_at is null returning id`,
      [now, now, machineId],
    );
    if (changed.length === 0) return false;
    await this.deps.redis.hset(machineLivenessKey(machineId), 'offline', 0);
    await this.deps.alerts.resolveForMachine(em, machineId, [FLEET_ALERT_KINDS.hostOffline], now);
    const event: MachineStatusEvent = {
      machine_id: machineId,
      status: 'online',
      reason: 'heartbeat',
      at: now.toISOString(),
    };
    await this.deps.redis
      .multi()
      .publish(MACHINE_EVENTS_CHANNEL, JSON.stringify(event))
      .del(FLEET_REALTIME_CACHE_KEY)
      .exec();
    this.deps.logger.info({ machineId }, 'machine back online');
    return true;
  }
}
