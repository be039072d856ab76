// HMAC-SHA256 request signing between agent and API (DESIGN §4). Both sides use these functions, so
// the canonical string cannot drift: `${METHOD}\n${path}\n${timestamp}\n${sha256hex(body)}`.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const AGENT_SIGNATURE_WINDOW_SECONDS_DEFAULT = 300;

export interface AgentRequestToSign {
  method: string;
  /** Path with query string as sent (e.g. /api/v1/agent/heartbeat). */
  path: string;
  /** Unix seconds. */
  timestamp: number;
  body: string | Buffer;
}

export interface AgentSignatureHeaders {
  'X-Agent-Key-Id': string;
  'X-Agent-Timestamp': string;
  'X-Agent-Signature': string;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function agentCanonicalString(req: AgentRequestToSign): string {
  return `${req.method.toUpperCase()}\n${req.path}\n${req.timestamp}\n${sha256Hex(req.body)}`;
}

export function signAgentRequest(secret: string, req: AgentRequestToSign): string {
  return createHmac('sha256', secret).update(agentCanonicalString(req)).digest('hex');
}

/** The three headers an agent sends with a signed request. */
export function agentSignatureHeaders(keyId: string, secret: string, req: AgentRequestToSign): AgentSignatureHeaders {
  return {
    'X-Agent-Key-Id': keyId,
    'X-Agent-Timestamp': String(req.timestamp),
    'X-Agent-Signature': signAgentRequest(secret, req),
  };
}

export type AgentSignatureFailure = 'bad_timestamp' | 'expired' | 'bad_signature';

export interface VerifyAgentRequestInput {
  secret: string;
  method: string;
  path: string;
  /** The X-Agent-Timestamp header as received. */
  timestamp: string | number;
  /** The X-Agent-Signature header as received (hex). */
  signature: string;
  body: string | Buffer;
  /** Server time in unix seconds. */
  nowSeconds: number;
  windowSeconds?: number;
}

export type VerifyAgentRequestResult = { ok: true } | { ok: false; reason: AgentSignatureFailure };

export function verifyAgentRequest(input: VerifyAgentRequestInput): VerifyAgentRequestResult {
  const timestamp = typeof input.timestamp === 'number' ? input.timestamp : Number(input.timestamp);
  if (!Number.isSafeInteger(timestamp) || (typeof input.timestamp === 'string' && !/^\d+$/.test(input.timestamp))) {
    return { ok: false, reason: 'bad_timestamp' };
  }
  const window = input.windowSeconds ?? AGENT_SIGNATURE_WINDOW_SECONDS_DEFAULT;
  if (Math.abs(input.nowSeconds - timestamp) > window) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(
    signAgentRequest(input.secret, { method: input.method, path: input.path, timestamp, body: input.body }),
    'hex',
  );
  const given = /^[0-9a-f]+$/i.test(input.signature) ? Buffer.from(input.signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  return { ok: true };
}
