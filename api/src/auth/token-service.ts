// Access tokens (HS256 JWTs with a jti), opaque refresh tokens rotated through Redis with reuse
// detection per token family, and the logout blacklist of access-token ids.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import jwt from 'jsonwebtoken';
import type { TenantRole, UserRole } from '@remotegpu/core';
import { AppError } from '../http/errors';

export const JWT_ISSUER = 'remotegpu-api';
export const JWT_AUDIENCE = 'remotegpu';

/** Claims carried by an access token. */
export interface AccessClaims {
  sub: string;
  username: string;
  role: UserRole;
  tenant_id: number | null;
  company_code: string | null;
  tenant_role: TenantRole | null;
  /** Refresh-token family this access token was issued with; logout revokes it. */
  fid: string;
  jti: string;
  iat: number;
  exp: number;
}

export type AccessClaimsInput = Omit<AccessClaims, 'jti' | 'iat' | 'exp'>;

export interface TokenServiceOptions {
  redis: Redis;
  secret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  now: () => Date;
}

const KEY = {
  refresh: (token: string) => `rg:auth:refresh:${createHash('sha256').update(token).digest('hex')}`,
  family: (familyId: string) => `rg:auth:family:${familyId}`,
  userFamilies: (userId: number) => `rg:auth:user-families:${userId}`,
  blacklist: (jti: string) => `rg:auth:blacklist:${jti}`,
};

// Atomically marks a refresh token used; a second use of the same token is a reuse (stolen token).
const USE_REFRESH_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing', '', ''} end
local uses = redis.call('HINCRBY', KEYS[1], 'uses', 1)
local family = redis.call('HGET', KEYS[1], 'family_id')
local user = redis.call('HGET', KEYS[1], 'user_id')
if uses > 1 then return {'reused', family, user} end
return {'ok', family, user}
`;

export interface RefreshUse {
  userId: number;
  familyId: string;
}

export class TokenService {
  constructor(private readonly opts: TokenServiceOptions) {}

  get accessTtlSeconds(): number {
    return this.opts.accessTtlSeconds;
  }

  private nowSeconds(): number {
    return Math.floor(this.opts.now().getTime() / 1000);
  }

  signAccessToken(input: AccessClaimsInput): { token: string; claims: AccessClaims } {
    const iat = this.nowSeconds();
    const claims: AccessClaims = { ...input, jti: randomUUID(), iat, exp: iat + this.opts.accessTtlSeconds };
    const token = jwt.sign(claims, this.opts.secret, {
      algorithm: 'HS256',
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
    return { token, claims };
  }

  /** Checks an access token's signature, issuer, audience and expiry (e.g. the WebSocket's ?token=). */
  verifyAccessToken(token: string): AccessClaims {
    try {
      return jwt.verify(token, this.opts.secret, {
        algorithms: ['HS256'],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        clockTimestamp: this.nowSeconds(),
      }) as AccessClaims;
    } catch (err) {
      if (err instanceof Error && err.name === 'TokenExpiredError') {
        throw new AppError('TOKEN_EXPIRED', 'access token has expired');
      }
      throw new AppError('TOKEN_INVALID', 'access token is invalid');
    }
  }

  /** Starts a new family (login) or continues one (refresh) with a fresh opaque token. */
  async issueRefreshToken(
    userId: number,
    familyId: string = randomUUID(),
  ): Promise<{ token: string; familyId: string }> {
    const token = randomBytes(32).toString('base64url');
    const ttl = this.opts.refreshTtlSeconds;
    await this.opts.redis
      .multi()
      .hset(KEY.refresh(token), { user_id: String(userId), family_id: familyId, uses: '0' })
      .expire(KEY.refresh(token), ttl)
      .set(KEY.family(familyId), String(userId), 'EX', ttl)
      .sadd(KEY.userFamilies(userId), familyId)
      .expire(KEY.userFamilies(userId), ttl)
      .exec();
    return { token, familyId };
  }

  /**
   * Consumes a refresh token: valid once. Presenting an already-rotated token revokes its whole family
   * (the legitimate holder and the thief both lose the session).
   */
  async useRefreshToken(token: string): Promise<RefreshUse> {
    const [state, familyId, userId] = (await this.opts.redis.eval(USE_REFRESH_SCRIPT, 1, KEY.refresh(token))) as [
      string,
      string,
      string,
    ];
    if (state === 'missing') throw new AppError('TOKEN_INVALID', 'refresh token is invalid or expired');
    if (state === 'reused') {
      await this.revokeFamily(familyId, Number(userId));
      throw new AppError('TOKEN_INVALID', 'refresh token was already used; the session has been revoked');
    }
    if (!(await this.opts.redis.exists(KEY.family(familyId)))) {
      throw new AppError('TOKEN_INVALID', 'refresh token has been revoked');
    }
    return { userId: Number(userId), familyId };
  }

  async familyOfRefreshToken(token: string): Promise<RefreshUse | undefined> {
    const [userId, familyId] = await this.opts.redis.hmget(KEY.refresh(token), 'user_id', 'family_id');
    return userId && familyId ? { userId: Number(userId), familyId } : undefined;
  }

  async revokeFamily(familyId: string, userId?: number): Promise<void> {
    const tx = this.opts.redis.multi().del(KEY.family(familyId));
    if (userId !== undefined) tx.srem(KEY.userFamilies(userId), familyId);
    await tx.exec();
  }

  /** Revokes every refresh family of a user (disabled user/tenant, password change), optionally keeping one. */
  async revokeAllForUser(userId: number, keepFamilyId?: string): Promise<void> {
    const families = await this.opts.redis.smembers(KEY.userFamilies(userId));
    const doomed = families.filter((f) => f !== keepFamilyId);
    if (doomed.length === 0) return;
    await this.opts.redis
      .multi()
      .del(...doomed.map(KEY.family))
      .srem(KEY.userFamilies(userId), ...doomed)
      .exec();
  }

  async isFamilyActive(familyId: string): Promise<boolean> {
    return (await this.opts.redis.exists(KEY.family(familyId))) === 1;
  }

  /** Blacklists an access token id until the token would have expired anyway. */
  async blacklistAccessToken(jti: string, exp: number): Promise<void> {
    const ttl = exp - this.nowSeconds();
    if (ttl > 0) await this.opts.redis.set(KEY.blacklist(jti), '1', 'EX', ttl);
  }

  async isBlacklisted(jti: string): Promise<boolean> {
    return (await this.opts.redis.exists(KEY.blacklist(jti))) === 1;
  }
}
