import { ConfigError, loadConfig } from './config';

const valid: NodeJS.ProcessEnv = {
  API_PORT: '18080',
  DATABASE_URL: 'postgresql://u:p@127.0.0.1:15432/db',
  REDIS_URL: 'redis://127.0.0.1:16379',
  TEMPORAL_ADDRESS: '127.0.0.1:17233',
  S3_ENDPOINT: 'http://127.0.0.1:19000',
  S3_ACCESS_KEY: 'key',
  S3_SECRET_KEY: 'secret',
  S3_BUCKET: 'bucket',
  JWT_SECRET: 'x'.repeat(32),
  AGENT_CREDENTIALS_KEY: 'y'.repeat(32),
};

function issuesOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('parses a complete environment with defaults', () => {
    const config = loadConfig(valid);
    expect(config.port).toBe(18080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.auth.accessTokenTtlSeconds).toBe(3600);
    expect(config.auth.refreshTokenTtlSeconds).toBe(7 * 86_400);
    expect(config.s3).toMatchObject({ endPoint: '127.0.0.1', port: 19000, useSSL: false, bucket: 'bucket' });
    expect(config.temporal).toEqual({
      address: '127.0.0.1:17233',
      namespace: 'default',
      controlTaskQueue: 'control-plane',
      uiUrl: 'http://127.0.0.1:18233',
    });
    expect(config.logLevel).toBe('info');
  });

  it('names API_PORT when it is not a number', () => {
    expect(issuesOf({ ...valid, API_PORT: 'abc' })).toEqual(['API_PORT: expected a number']);
  });

  it('names API_PORT when it is out of range', () => {
    expect(issuesOf({ ...valid, API_PORT: '70000' })).toEqual(['API_PORT: expected a port between 1 and 65535']);
  });

  it('requires a JWT secret of at least 32 characters', () => {
    expect(issuesOf({ ...valid, JWT_SECRET: 'short' })).toEqual(['JWT_SECRET: must be at least 32 characters']);
    expect(issuesOf({ ...valid, JWT_SECRET: undefined })).toEqual([expect.stringMatching(/^JWT_SECRET: /)]);
  });

  it('builds the database URL from PG_* and names each missing one', () => {
    const pg = { PG_HOST: 'db', PG_PORT: '5432', PG_USER: 'u@x', PG_PASSWORD: 'p w', PG_DATABASE: 'd' };
    expect(loadConfig({ ...valid, DATABASE_URL: undefined, ...pg }).databaseUrl).toBe(
      'postgresql://u%40x:p%20w@db:5432/d',
    );
    expect(issuesOf({ ...valid, DATABASE_URL: undefined, PG_HOST: 'db' })).toEqual([
      'PG_PORT: is required when DATABASE_URL is not set',
      'PG_USER: is required when DATABASE_URL is not set',
      'PG_DATABASE: is required when DATABASE_URL is not set',
    ]);
  });

  it('derives Redis and S3 endpoints from ports', () => {
    const config = loadConfig({
      ...valid,
      REDIS_URL: undefined,
      REDIS_PORT: '6380',
      S3_ENDPOINT: undefined,
      S3_PORT: '9000',
    });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6380');
    expect(config.s3).toMatchObject({ endPoint: '127.0.0.1', port: 9000, useSSL: false });
  });

  it('treats an empty value as unset and rejects a bad log level', () => {
    expect(loadConfig({ ...valid, API_PORT: '' }).port).toBe(18080);
    expect(issuesOf({ ...valid, LOG_LEVEL: 'loud' })).toEqual([expect.stringMatching(/^LOG_LEVEL: /)]);
  });

  it('reports every bad key at once', () => {
    const issues = issuesOf({ ...valid, API_PORT: 'abc', ACCESS_TOKEN_TTL_MINUTES: 'soon' });
    expect(issues).toEqual(['API_PORT: expected a number', 'ACCESS_TOKEN_TTL_MINUTES: expected a number']);
  });
});
