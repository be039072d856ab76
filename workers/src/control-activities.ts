// The control activities' dependencies (database, Redis, clock) opened once per worker process, and
// the activity object the control worker registers.
import { MikroORM } from '@mikro-orm/postgresql';
import {
  createControlActivities,
  createFleetActivities,
  createKeySyncActivities,
  withOperationEvents,
  type OperationEventPublisher,
} from '@remotegpu/activities';
import { createOrmConfig } from '@remotegpu/core';
import { OPERATION_EVENTS_CHANNEL } from '@remotegpu/core/contracts';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface ControlResources {
  orm: MikroORM;
  redis: Redis;
  close(): Promise<void>;
}

export async function openControlResources(
  options: { databaseUrl: string; redisUrl: string; databaseSchema?: string },
  logger: Logger,
): Promise<ControlResources> {
  const orm = await MikroORM.init(createOrmConfig({ clientUrl: options.databaseUrl, schema: options.databaseSchema }));
  // Fail at start, not at the first activity, when Redis is unreachable.
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  try {
    await redis.connect();
  } catch (err) {
    await orm.close(true);
    redis.disconnect();
    throw new Error(`cannot connect to Redis: ${(err as Error).message}`);
  }
  return {
    orm,
    redis,
    async close() {
      await Promise.allSettled([orm.close(true), redis.quit()]);
    },
  };
}

/** operation_update events on the Redis channel every API process relays to its WebSocket clients. */
export function redisOperationEventPublisher(redis: Pick<Redis, 'publish'>): OperationEventPublisher {
  return {
    async publish(event) {
      await redis.publish(OPERATION_EVENTS_CHANNEL, JSON.stringify(event));
    },
  };
}

export function buildControlActivities(
  resources: Pick<ControlResources, 'orm' | 'redis'>,
  logger: Logger,
  fleet: { offlineAfterMs?: number } = {},
) {
  const clock = { now: () => new Date() };
  const log = logger.child({ component: 'control-activities' });
  return {
    ...withOperationEvents(createControlActivities({ orm: resources.orm, clock, log }), {
      orm: resources.orm,
      publisher: redisOperationEventPublisher(resources.redis),
      clock,
      log,
    }),
    ...createKeySyncActivities({ orm: resources.orm }),
    ...createFleetActivities({
      orm: resources.orm,
      redis: resources.redis,
      clock,
      log,
      liveness: fleet.offlineAfterMs ? { offlineAfterMs: fleet.offlineAfterMs } : {},
    }),
  };
}
