// /readyz: every backing service checked in parallel with a short timeout, each reported by name.
import type { AppDeps } from '../deps';

export type CheckResult = 'ok' | `down: ${string}`;
export type ReadinessChecks = Record<'postgres' | 'redis' | 'temporal' | 's3', CheckResult>;

const CHECK_TIMEOUT_MS = 2000;

async function withTimeout<T>(work: () => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function check(work: () => Promise<unknown>, timeoutMs: number): Promise<CheckResult> {
  try {
    await withTimeout(work, timeoutMs);
    return 'ok';
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return `down: ${message.split('\n')[0].slice(0, 200) || 'unknown error'}`;
  }
}

function errorText(err: Error & { code?: string }): string {
  // Node reports a refused multi-address connect as an AggregateError with an empty message.
  return err.message || err.code || err.name;
}

/** Remembers the last connection error of the Redis client, so a down Redis is reported with its reason. */
export function trackRedisErrors(redis: AppDeps['redis']): () => string | undefined {
  let lastError: string | undefined;
  redis.on('error', (err: Error) => {
    lastError = errorText(err);
  });
  redis.on('ready', () => {
    lastError = undefined;
  });
  return () => lastError;
}

/** A Redis client that is not ready: wait for its next attempt to succeed or fail (bounded by the check timeout). */
function redisNextOutcome(redis: AppDeps['redis']): Promise<void> {
  return new Promise((resolve, reject) => {
    const onReady = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new Error(errorText(err)));
    };
    const cleanup = () => {
      redis.off('ready', onReady);
      redis.off('error', onError);
    };
    redis.once('ready', onReady);
    redis.once('error', onError);
  });
}

export async function checkReadiness(
  deps: AppDeps,
  redisLastError: () => string | undefined,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<ReadinessChecks> {
  const [postgres, redis, temporal, s3] = await Promise.all([
    check(() => deps.orm.em.getConnection().execute('select 1'), timeoutMs),
    check(async () => {
      // A reconnecting client would queue the PING; report why it is down instead.
      if (deps.redis.status !== 'ready') {
        const known = redisLastError();
        if (known) throw new Error(known);
        await redisNextOutcome(deps.redis);
      }
      await deps.redis.ping();
    }, timeoutMs),
    check(
      () =>
        deps.temporal.connection.withDeadline(Date.now() + timeoutMs, () =>
          deps.temporal.workflowService.getSystemInfo({}),
        ),
      timeoutMs,
    ),
    check(async () => {
      const exists = await deps.s3.bucketExists(deps.config.s3.bucket);
      if (!exists) throw new Error(`bucket ${deps.config.s3.bucket} does not exist`);
    }, timeoutMs),
  ]);
  return { postgres, redis, temporal, s3 };
}
