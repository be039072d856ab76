// Signed heartbeats to the API (DESIGN §4): every interval one POST; a failure is logged and the next
// tick tries again, so a down API never takes the worker with it.
import { AGENT_HEARTBEAT_PATH, type AgentHeartbeatBody, type AgentHeartbeatMetrics } from '@remotegpu/core/contracts';
import { agentSignatureHeaders } from '@remotegpu/core';
import type { Logger } from 'pino';

export interface HeartbeatOptions {
  machineId: string;
  agentVersion: string;
  /** Base URL of the API, without trailing slash. */
  apiUrl: string;
  keyId: string;
  secret: string;
  intervalMs: number;
  timeoutMs: number;
  collectMetrics: () => Promise<AgentHeartbeatMetrics>;
  logger: Logger;
  fetchImpl?: typeof fetch;
  nowMs?: () => number;
}

export interface SignedRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

/** Builds the heartbeat request; the signature covers exactly the bytes sent as the body. */
export function buildSignedHeartbeat(
  opts: Pick<HeartbeatOptions, 'machineId' | 'agentVersion' | 'apiUrl' | 'keyId' | 'secret'>,
  metrics: AgentHeartbeatMetrics,
  nowMs: number,
): SignedRequest {
  const payload: AgentHeartbeatBody = {
    machine_id: opts.machineId,
    ts: nowMs,
    agent_version: opts.agentVersion,
    metrics,
  };
  const body = JSON.stringify(payload);
  // Sign the path as the server sees it: an API behind a prefix (https://x/gpu) keeps the prefix.
  const base = new URL(`${opts.apiUrl}/`);
  const signedPath = `${base.pathname.replace(/\/$/, '')}${AGENT_HEARTBEAT_PATH}`;
  const headers = agentSignatureHeaders(opts.keyId, opts.secret, {
    method: 'POST',
    path: signedPath,
    timestamp: Math.floor(nowMs / 1000),
    body,
  });
  return {
    url: `${base.origin}${signedPath}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  };
}

export class HeartbeatSender {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<boolean> | undefined;
  private stopped = true;
  private consecutiveFailures = 0;

  constructor(private readonly opts: HeartbeatOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** Sends one heartbeat; resolves true when the API accepted it. Never rejects. */
  async sendOnce(): Promise<boolean> {
    const { logger } = this.opts;
    try {
      const metrics = await this.opts.collectMetrics();
      const req = buildSignedHeartbeat(this.opts, metrics, (this.opts.nowMs ?? Date.now)());
      const res = await (this.opts.fetchImpl ?? fetch)(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      if (!res.ok) {
        const text = (await res.text().catch(() => '')).slice(0, 300);
        throw new Error(`API answered ${res.status}: ${text}`);
      }
      await res.body?.cancel().catch(() => undefined);
      if (this.consecutiveFailures > 0) logger.info({ after: this.consecutiveFailures }, 'heartbeat recovered');
      this.consecutiveFailures = 0;
      return true;
    } catch (err) {
      this.consecutiveFailures += 1;
      // Log the first failure and then every 12th, so an API outage does not flood the journal.
      if (this.consecutiveFailures === 1 || this.consecutiveFailures % 12 === 0) {
        logger.warn({ err: describe(err), failures: this.consecutiveFailures }, 'heartbeat failed; retrying next tick');
      }
      return false;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.inFlight = this.sendOnce();
      void this.inFlight.finally(() => {
        this.inFlight = undefined;
        this.schedule(this.opts.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
}
