// Token bookkeeping and the single-flight refresh used by the HTTP interceptor. Framework-free on purpose.

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  /** epoch milliseconds */
  expiresAt: number;
}

export interface TokenStore {
  read(): StoredTokens | null;
  write(tokens: StoredTokens): void;
  clear(): void;
}

export interface LoginTokens {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
}

export class SessionEndedError extends Error {
  constructor(readonly reason: string) {
    super(`Session ended: ${reason}`);
    this.name = 'SessionEndedError';
  }
}

export function tokensFromResponse(response: LoginTokens, previousRefresh: string | null, now: number): StoredTokens {
  const refreshToken = response.refresh_token ?? previousRefresh;
  if (!response.access_token || !refreshToken) throw new SessionEndedError('the server returned no token');
  return { accessToken: response.access_token, refreshToken, expiresAt: now + response.expires_in * 1000 };
}

/** Reads the `exp` claim (seconds) of a JWT without verifying it; null when absent or malformed. */
export function jwtExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='))) as {
      exp?: unknown;
    };
    return typeof json.exp === 'number' ? json.exp : null;
  } catch {
    return null;
  }
}

/**
 * Whether a 401 should trigger a refresh: the API says TOKEN_EXPIRED, or the token we sent is past its
 * expiry (clock-skew tolerant). Any other 401 (revoked, bad signature) ends the session.
 */
export function isExpiredTokenFailure(status: number, code: unknown, sentToken: string | null, now: number): boolean {
  if (status !== 401 || !sentToken) return false;
  if (code === 'TOKEN_EXPIRED') return true;
  const exp = jwtExpiry(sentToken);
  return exp !== null && exp * 1000 <= now + 5_000;
}

export type RefreshCall = (refreshToken: string) => Promise<LoginTokens>;

/**
 * Refreshes the access token once for any number of concurrent callers (they share one in-flight request).
 * A failed refresh clears the tokens and rejects with SessionEndedError.
 */
export class TokenRefresher {
  private inFlight: Promise<string> | null = null;

  constructor(
    private readonly store: TokenStore,
    private readonly refreshCall: RefreshCall,
    private readonly now: () => number = () => Date.now(),
  ) {}

  accessToken(): string | null {
    return this.store.read()?.accessToken ?? null;
  }

  refresh(): Promise<string> {
    this.inFlight ??= this.doRefresh().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async doRefresh(): Promise<string> {
    const current = this.store.read();
    if (!current) throw new SessionEndedError('not signed in');
    let response: LoginTokens;
    try {
      response = await this.refreshCall(current.refreshToken);
    } catch {
      this.store.clear();
      throw new SessionEndedError('refresh rejected');
    }
    const next = tokensFromResponse(response, current.refreshToken, this.now());
    this.store.write(next);
    return next.accessToken;
  }
}

export const TOKEN_STORAGE_KEY = 'remotegpu.session';

/** TokenStore over a Storage (localStorage in the app, an in-memory stub in tests). */
export class StorageTokenStore implements TokenStore {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
    private readonly key = TOKEN_STORAGE_KEY,
  ) {}

  read(): StoredTokens | null {
    const raw = this.storage.getItem(this.key);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<StoredTokens>;
      if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string') return null;
      return {
        accessToken: parsed.accessToken,
        refreshToken: parsed.refreshToken,
        expiresAt: Number(parsed.expiresAt),
      };
    } catch {
      return null;
    }
  }

  write(tokens: StoredTokens): void {
    this.storage.setItem(this.key, JSON.stringify(tokens));
  }

  clear(): void {
    this.storage.removeItem(this.key);
  }
}
