// Everything the app talks to, created by main.ts (real) or the test harness (real, scratch-scoped),
// and injected into createApp so nothing in the request path constructs its own clients.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client as TemporalClient } from '@temporalio/client';
import type { Redis } from 'ioredis';
import type { Client as S3Client } from 'minio';
import type { Logger } from 'pino';
import type { ApiConfig } from './config';

export interface AppDeps {
  config: ApiConfig;
  orm: MikroORM;
  redis: Redis;
  temporal: TemporalClient;
  s3: S3Client;
  logger: Logger;
  /** Current time; injectable so token expiry can be reasoned about in tests. */
  now?: () => Date;
}
