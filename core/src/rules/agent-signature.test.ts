import {
  agentCanonicalString,
  agentSignatureHeaders,
  sha256Hex,
  signAgentRequest,
  verifyAgentRequest,
} from './agent-signature';

const secret = 'agent-secret-0123456789';
const now = 1_790_000_000;
const body = JSON.stringify({ machine_id: 'm-1', ts: now * 1000 });
const request = { method: 'POST', path: '/api/v1/agent/heartbeat', timestamp: now, body };
const signature = signAgentRequest(secret, request);

function verify(overrides: Partial<Parameters<typeof verifyAgentRequest>[0]> = {}) {
  return verifyAgentRequest({ secret, ...request, signature, nowSeconds: now, ...overrides });
}

describe('agent request signature', () => {
  it('builds the canonical string from method, path, timestamp and the body hash', () => {
    expect(agentCanonicalString({ ...request, method: 'post' })).toBe(
      `POST\n/api/v1/agent/heartbeat\n${now}\n${sha256Hex(body)}`,
    );
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('verifies what it signed, also with the timestamp as a header string', () => {
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(verify()).toEqual({ ok: true });
    expect(verify({ timestamp: String(now) })).toEqual({ ok: true });
    expect(verify({ body: Buffer.from(body) })).toEqual({ ok: true });
    expect(verify({ signature: signature.toUpperCase() })).toEqual({ ok: true });
  });

  it('builds the three headers', () => {
    expect(agentSignatureHeaders('key-1', secret, request)).toEqual({
      'X-Agent-Key-Id': 'key-1',
      'X-Agent-Timestamp': String(now),
      'X-Agent-Signature': signature,
    });
  });

  it('rejects a tampered body, path, method, timestamp or a wrong secret', () => {
    const bad = { ok: false, reason: 'bad_signature' };
    expect(verify({ body: body.replace('m-1', 'm-2') })).toEqual(bad);
    expect(verify({ path: '/api/v1/agent/heartbeat2' })).toEqual(bad);
    expect(verify({ method: 'PUT' })).toEqual(bad);
    expect(verify({ timestamp: now + 1, nowSeconds: now + 1 })).toEqual(bad);
    expect(verify({ secret: 'other-secret' })).toEqual(bad);
    expect(verify({ signature: 'zz' })).toEqual(bad);
    expect(verify({ signature: signature.slice(0, 62) })).toEqual(bad);
  });

  it('rejects timestamps outside the 5-minute window or malformed', () => {
    expect(verify({ nowSeconds: now + 300 })).toEqual({ ok: true });
    expect(verify({ nowSeconds: now - 300 })).toEqual({ ok: true });
    expect(verify({ nowSeconds: now + 301 })).toEqual({ ok: false, reason: 'expired' });
    expect(verify({ nowSeconds: now - 301 })).toEqual({ ok: false, reason: 'expired' });
    expect(verify({ nowSeconds: now + 61, windowSeconds: 60 })).toEqual({ ok: false, reason: 'expired' });
    expect(verify({ timestamp: '17e8' })).toEqual({ ok: false, reason: 'bad_timestamp' });
    expect(verify({ timestamp: '' })).toEqual({ ok: false, reason: 'bad_timestamp' });
    expect(verify({ timestamp: Number.NaN })).toEqual({ ok: false, reason: 'bad_timestamp' });
  });
});
