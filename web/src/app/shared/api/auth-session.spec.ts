import {
  LoginTokens,
  SessionEndedError,
  StorageTokenStore,
  StoredTokens,
  TokenRefresher,
  TokenStore,
  isExpiredTokenFailure,
  jwtExpiry,
  tokensFromResponse,
} from './auth-session';

class MemoryStore implements TokenStore {
  constructor(public tokens: StoredTokens | null = null) {}
  read(): StoredTokens | null {
    return this.tokens;
  }
  write(tokens: StoredTokens): void {
    this.tokens = tokens;
  }
  clear(): void {
    this.tokens = null;
  }
}

function jwt(payload: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}.signature`;
}

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('TokenRefresher', () => {
  it('refreshes once for concurrent callers and stores the new access token', async () => {
    const store = new MemoryStore({ accessToken: 'old', refreshToken: 'r1', expiresAt: NOW });
    let release!: (value: LoginTokens) => void;
    const calls: string[] = [];
    const refresher = new TokenRefresher(
      store,
      (refreshToken) => {
        calls.push(refreshToken);
        return new Promise((resolve) => (release = resolve));
      },
      () => NOW,
    );
    const first = refresher.refresh();
    const second = refresher.refresh();
    release({ access_token: 'new', expires_in: 3600 });
    await expect(Promise.all([first, second])).resolves.toEqual(['new', 'new']);
    expect(calls).toEqual(['r1']);
    // No rotation in the response: the old refresh token is kept.
    expect(store.tokens).toEqual({ accessToken: 'new', refreshToken: 'r1', expiresAt: NOW + 3_600_000 });
    expect(refresher.accessToken()).toBe('new');
  });

  it('keeps a rotated refresh token and allows a later refresh', async () => {
    const store = new MemoryStore({ accessToken: 'a0', refreshToken: 'r1', expiresAt: NOW });
    let n = 0;
    const refresher = new TokenRefresher(
      store,
      async (refreshToken) => {
        n += 1;
        return { access_token: `a${n}`, refresh_token: `${refreshToken}-next`, expires_in: 60 };
      },
      () => NOW,
    );
    await refresher.refresh();
    await refresher.refresh();
    expect(store.tokens?.accessToken).toBe('a2');
    expect(store.tokens?.refreshToken).toBe('r1-next-next');
  });

  it('clears the session and rejects with SessionEndedError when the refresh is refused', async () => {
    const store = new MemoryStore({ accessToken: 'old', refreshToken: 'r1', expiresAt: NOW });
    const refresher = new TokenRefresher(store, () => Promise.reject(new Error('401')));
    await expect(refresher.refresh()).rejects.toBeInstanceOf(SessionEndedError);
    expect(store.tokens).toBeNull();
    await expect(refresher.refresh()).rejects.toThrow('not signed in');
  });
});

describe('token helpers', () => {
  it('tokensFromResponse requires an access token and some refresh token', () => {
    expect(tokensFromResponse({ access_token: 'a', refresh_token: 'r', expires_in: 10 }, null, 0)).toEqual({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: 10_000,
    });
    expect(() => tokensFromResponse({ access_token: 'a', expires_in: 10 }, null, 0)).toThrow(SessionEndedError);
  });

  it('jwtExpiry reads exp and tolerates garbage', () => {
    expect(jwtExpiry(jwt({ sub: '1', exp: 1_800_000_000 }))).toBe(1_800_000_000);
    expect(jwtExpiry(jwt({ sub: '1' }))).toBeNull();
    expect(jwtExpiry('not-a-jwt')).toBeNull();
    expect(jwtExpiry('a.%%%.c')).toBeNull();
  });

  it('isExpiredTokenFailure: refresh only for an expired token on 401', () => {
    const expired = jwt({ exp: NOW / 1000 - 60 });
    const valid = jwt({ exp: NOW / 1000 + 600 });
    expect(isExpiredTokenFailure(401, 'TOKEN_EXPIRED', valid, NOW)).toBe(true);
    expect(isExpiredTokenFailure(401, 'UNAUTHORIZED', expired, NOW)).toBe(true);
    expect(isExpiredTokenFailure(401, 'TOKEN_REVOKED', valid, NOW)).toBe(false);
    expect(isExpiredTokenFailure(403, 'TOKEN_EXPIRED', expired, NOW)).toBe(false);
    expect(isExpiredTokenFailure(401, 'TOKEN_EXPIRED', null, NOW)).toBe(false);
  });

  it('StorageTokenStore round-trips and ignores corrupt entries', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (key: string) => data.get(key) ?? null,
      setItem: (key: string, value: string) => void data.set(key, value),
      removeItem: (key: string) => void data.delete(key),
    };
    const store = new StorageTokenStore(storage, 'k');
    expect(store.read()).toBeNull();
    store.write({ accessToken: 'a', refreshToken: 'r', expiresAt: 5 });
    expect(store.read()).toEqual({ accessToken: 'a', refreshToken: 'r', expiresAt: 5 });
    data.set('k', '{broken');
    expect(store.read()).toBeNull();
    store.clear();
    expect(data.has('k')).toBe(false);
  });
});
