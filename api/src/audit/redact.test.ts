import { redact, REDACTED } from './redact';

describe('redact', () => {
  it('redacts secret fields at any depth and keeps the rest', () => {
    const body = {
      username: 'alice',
      password: 'Secret#123',
      owner: { initial_password: 'x', name: 'Bob', tokens: ['a'] },
      list: [{ refresh_token: 't', keep: 1 }, { apiKey: 'k' }],
      nested: { deeper: { client_secret: 's', privateKey: 'p', Authorization: 'Bearer x' } },
      public_key: 'ssh-ed25519 AAAA comment',
    };
    expect(redact(body)).toEqual({
      username: 'alice',
      password: REDACTED,
      owner: { initial_password: REDACTED, name: 'Bob', tokens: REDACTED },
      list: [{ refresh_token: REDACTED, keep: 1 }, { apiKey: REDACTED }],
      nested: { deeper: { client_secret: REDACTED, privateKey: REDACTED, Authorization: REDACTED } },
      public_key: 'ssh-ed25519 AAAA comment',
    });
  });

  it('redacts private key material whatever the field is called', () => {
    expect(redact({ key: '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----' })).toEqual({
      key: REDACTED,
    });
  });

  it('leaves primitives, nulls and empty values alone and does not mutate its input', () => {
    const input = { a: 1, b: null, password: null, c: true };
    expect(redact(input)).toEqual({ a: 1, b: null, password: null, c: true });
    expect(redact(undefined)).toBeUndefined();
    expect(redact('text')).toBe('text');
    const secret = { password: 'p' };
    redact(secret);
    expect(secret.password).toBe('p');
  });

  it('truncates very deep or very long input', () => {
    let deep: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(JSON.stringify(redact(deep))).toContain('[TRUNCATED]');
    expect((redact('x'.repeat(10_000)) as string).length).toBeLessThan(5000);
  });
});
