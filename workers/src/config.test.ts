import { ConfigError, loadControlWorkerConfig } from './config';

const env = {
  TEMPORAL_ADDRESS: '127.0.0.1:17233',
  DATABASE_URL: 'postgresql://u:p@127.0.0.1:15432/db',
  REDIS_PORT: '16379',
};

describe('control worker config', () => {
  it('applies defaults', () => {
    expect(loadControlWorkerConfig(env)).toEqual({
      temporal: { address: '127.0.0.1:17233', namespace: 'default', taskQueue: 'control-plane' },
      databaseUrl: 'postgresql://u:p@127.0.0.1:15432/db',
      databaseSchema: undefined,
      redisUrl: 'redis://127.0.0.1:16379',
      workflowBundlePath: undefined,
      shutdownGraceMs: 30_000,
      logLevel: 'info',
      fleet: { offlineAfterMs: 20_000, healthEverySeconds: 10, schedulesEnabled: true },
      metrics: { host: '127.0.0.1', port: 19464 },
    });
  });

  it('reads the metrics exporter address; port 0 turns it off, a bad port fails by name', () => {
    expect(
      loadControlWorkerConfig({ ...env, CONTROL_WORKER_METRICS_PORT: '0', CONTROL_WORKER_METRICS_BIND_HOST: '0.0.0.0' })
        .metrics,
    ).toEqual({ host: '0.0.0.0', port: 0 });
    expect(() => loadControlWorkerConfig({ ...env, CONTROL_WORKER_METRICS_PORT: '70000' })).toThrow(
      /CONTROL_WORKER_METRICS_PORT/,
    );
  });

  it('creates the fleet schedules only for the production queue unless told otherwise', () => {
    expect(loadControlWorkerConfig({ ...env, CONTROL_TASK_QUEUE: 'test-q' }).fleet.schedulesEnabled).toBe(false);
    expect(loadControlWorkerConfig({ ...env, FLEET_SCHEDULES_ENABLED: 'false' }).fleet.schedulesEnabled).toBe(false);
    expect(
      loadControlWorkerConfig({
        ...env,
        CONTROL_TASK_QUEUE: 'x',
        FLEET_SCHEDULES_ENABLED: '1',
        FLEET_OFFLINE_AFTER_SECONDS: '45',
      }).fleet,
    ).toEqual({ offlineAfterMs: 45_000, healthEverySeconds: 10, schedulesEnabled: true });
  });

  it('builds the database URL from the PG_* keys, escaping them', () => {
    const config = loadControlWorkerConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      PG_HOST: 'db',
      PG_PORT: '5432',
      PG_USER: 'remote gpu',
      PG_PASSWORD: 'p@ss/word',
      PG_DATABASE: 'remotegpu',
      REDIS_URL: 'redis://cache:6379/2',
      CONTROL_TASK_QUEUE: 'control-x',
      LOG_LEVEL: 'debug',
    });
    expect(config.databaseUrl).toBe('postgresql://remote%20gpu:p%40ss%2Fword@db:5432/remotegpu');
    expect(config.redisUrl).toBe('redis://cache:6379/2');
    expect(config.temporal.taskQueue).toBe('control-x');
    expect(config.logLevel).toBe('debug');
  });

  it('fails fast naming the keys', () => {
    expect(() => loadControlWorkerConfig({})).toThrow(ConfigError);
    expect(() => loadControlWorkerConfig({})).toThrow(/TEMPORAL_ADDRESS: is required/);
    expect(() => loadControlWorkerConfig({ ...env, TEMPORAL_ADDRESS: 'nohost' })).toThrow(
      /TEMPORAL_ADDRESS: expected host:port/,
    );
    expect(() => loadControlWorkerConfig({ ...env, DATABASE_URL: undefined })).toThrow(
      /PG_HOST: is required when DATABASE_URL/,
    );
    expect(() => loadControlWorkerConfig({ ...env, REDIS_PORT: undefined })).toThrow(/REDIS_URL: is required/);
    expect(() => loadControlWorkerConfig({ ...env, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadControlWorkerConfig({ ...env, SHUTDOWN_GRACE_MS: '-1' })).toThrow(/SHUTDOWN_GRACE_MS/);
  });
});
