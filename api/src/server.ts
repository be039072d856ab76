// Wires the real dependencies from the configuration, listens, and shuts down cleanly on signals.
import type { Server } from 'node:http';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { Client as S3Client } from 'minio';
import { pino } from 'pino';
import { createOrmConfig } from '@remotegpu/core';
import { createApp } from './app';
import { attachWebSocket } from './ws/websocket';
import type { ApiConfig } from './config';
import type { AppDeps } from './deps';

/** Real clients for every backing service; the caller closes them with closeDeps. */
export async function createDeps(config: ApiConfig): Promise<AppDeps> {
  const logger = pino({ level: config.logLevel, base: { service: 'api' } });
  const orm = await MikroORM.init(createOrmConfig({ clientUrl: config.databaseUrl }));
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 5000 });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  const connection = await Connection.connect({ address: config.temporal.address, connectTimeout: '5s' });
  const temporal = new TemporalClient({ connection, namespace: config.temporal.namespace });
  const s3 = new S3Client({
    endPoint: config.s3.endPoint,
    port: config.s3.port,
    useSSL: config.s3.useSSL,
    accessKey: config.s3.accessKey,
    secretKey: config.s3.secretKey,
    region: config.s3.region,
  });
  return { config, orm, redis, temporal, s3, logger };
}

export async function closeDeps(deps: AppDeps): Promise<void> {
  await Promise.allSettled([deps.orm.close(), deps.redis.quit(), deps.temporal.connection.close()]);
}

export async function startServer(config: ApiConfig): Promise<Server> {
  const deps = await createDeps(config);
  const app = createApp(deps);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { tokens, fleet } = app.locals.services;
  attachWebSocket(server, { ...deps, tokens, snapshots: fleet.snapshots });
  deps.logger.info({ host: config.host, port: config.port }, 'api listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, 'api shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(() => {
      void fleet
        .close()
        .then(() => closeDeps(deps))
        .then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return server;
}
