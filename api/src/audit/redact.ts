// Recursively replaces secret-looking fields (passwords, tokens, secrets, private keys) before a
// request body is stored in audit_logs. Pure, so it is unit-tested on its own.

export const REDACTED = '[REDACTED]';

const SECRET_KEY = /pass(word|wd|phrase)?|token|secret|private|credential|authorization|api[-_]?key|cookie|otp/i;
const PRIVATE_KEY_TEXT = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const MAX_DEPTH = 8;
const MAX_STRING = 4096;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return '[TRUNCATED]';
  if (typeof value === 'string') {
    if (PRIVATE_KEY_TEXT.test(value)) return REDACTED;
    return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) && item !== null && item !== undefined ? REDACTED : redact(item, depth + 1);
    }
    return out;
  }
  return value;
}
