// Input checks done before any host command runs (DESIGN §3: validate first, never a shell string).
import { isValidUnixUsername, RESERVED_UNIX_USERNAMES, UNIX_USERNAME_PATTERN } from '@remotegpu/core';
import { invalidInput } from './errors';

/** A tenant's unix user name (core's rule: useradd-safe, never a system account name). */
export function assertUsername(value: unknown): string {
  if (typeof value !== 'string' || !isValidUnixUsername(value)) {
    throw invalidInput(
      `username must match ${UNIX_USERNAME_PATTERN.source} and not be a system account name` +
        (typeof value === 'string' && RESERVED_UNIX_USERNAMES.has(value) ? ` (${value} is reserved)` : ''),
    );
  }
  return value;
}

export function assertObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidInput(`${what} must be an object`);
  return value as Record<string, unknown>;
}

export function optionalInteger(value: unknown, what: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidInput(`${what} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** A password going to chpasswd's stdin as `user:password\n`: one line, printable, sane length. */
export function assertPassword(value: unknown): string {
  if (typeof value !== 'string' || value.length < 8 || value.length > 128) {
    throw invalidInput('password must be 8 to 128 characters');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw invalidInput('password must not contain control characters');
  return value;
}

/** IPv4 loopback only: the agent must not become a port scanner for other machines. */
export function assertLoopbackHost(value: unknown): string {
  if (typeof value !== 'string') throw invalidInput('host must be a string');
  const parts = value.split('.');
  const isLoopback =
    parts.length === 4 && parts[0] === '127' && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
  if (!isLoopback) throw invalidInput('host must be an IPv4 loopback address (127.x.y.z)');
  return value;
}
