// At most N failed logins per minute per (username, client IP), counted in Redis so every API
// replica shares it. A success clears the count.
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../http/errors';

export class LoginLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: Redis,
    private readonly maxFailures: number,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'rg:login-failures',
      points: maxFailures,
      duration: 60,
    });
  }

  private key(username: string, ip: string): string {
    return `${username.toLowerCase()}|${ip}`;
  }

  /** Throws RATE_LIMITED (with Retry-After) once the failures of the current window are used up. */
  async assertAllowed(username: string, ip: string): Promise<void> {
    const state = await this.limiter.get(this.key(username, ip));
    if (state && state.consumedPoints >= this.maxFailures) throw this.limited(state);
  }

  async recordFailure(username: string, ip: string): Promise<void> {
    try {
      await this.limiter.consume(this.key(username, ip));
    } catch (err) {
      // Going over the limit is reported by the next assertAllowed; anything else is a real error.
      if (!(err instanceof RateLimiterRes)) throw err;
    }
  }

  async reset(username: string, ip: string): Promise<void> {
    await this.limiter.delete(this.key(username, ip));
  }

  private limited(state: RateLimiterRes): AppError {
    const retryAfter = Math.max(1, Math.ceil(state.msBeforeNext / 1000));
    return new AppError(
      'RATE_LIMITED',
      `too many failed logins; retry in ${retryAfter} s`,
      { retry_after: retryAfter },
      {
        'Retry-After': String(retryAfter),
      },
    );
  }
}
