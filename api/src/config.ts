// The API's whole configuration: one zod schema over the environment, read only here. A bad or
// missing key fails fast with its name (`API_PORT: expected a number`), before anything heavy loads.
import { z } from 'zod';

const port = z.coerce
  .number({ error: 'expected a number' })
  .int({ error: 'expected an integer' })
  .min(1, { error: 'expected a port between 1 and 65535' })
  .max(65535, { error: 'expected a port between 1 and 65535' });
const positiveInt = z.coerce.number({ error: 'expected a number' }).int({ error: 'expected an integer' }).positive();
const optionalText = z.string().trim().min(1).optional();
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z
  .object({
    API_HOST: z.string().trim().min(1).default('127.0.0.1'),
    API_PORT: port.default(18080),
    DATABASE_URL: z.url({ error: 'expected a postgresql:// URL' }).optional(),
    PG_HOST: optionalText,
    PG_PORT: port.optional(),
    PG_USER: optionalText,
    PG_PASSWORD: z.string().optional(),
    PG_DATABASE: optionalText,
    REDIS_URL: z.url({ error: 'expected a redis:// URL' }).optional(),
    REDIS_HOST: z.string().trim().min(1).default('127.0.0.1'),
    REDIS_PORT: port.optional(),
    TEMPORAL_ADDRESS: z.string().trim().min(1, { error: 'expected host:port' }),
    TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default'),
    CONTROL_TASK_QUEUE: z.string().trim().min(1).default('control-plane'),
    TEMPORAL_UI_PORT: port.default(18233),
    /** Base URL of the Temporal Web UI for operation links; default http://127.0.0.1:<TEMPORAL_UI_PORT>. */
    TEMPORAL_UI_URL: z.url({ error: 'expected an http(s):// URL' }).optional(),
    S3_ENDPOINT: z.url({ error: 'expected an http(s):// URL' }).optional(),
    S3_HOST: z.string().trim().min(1).default('127.0.0.1'),
    S3_PORT: port.optional(),
    S3_USE_SSL: bool.default(false),
    S3_REGION: z.string().trim().min(1).default('us-east-1'),
    S3_ACCESS_KEY: z.string().min(1, { error: 'is required' }),
    S3_SECRET_KEY: z.string().min(1, { error: 'is required' }),
    S3_BUCKET: z.string().trim().min(3, { error: 'expected a bucket name' }),
    JWT_SECRET: z.string({ error: 'is required' }).min(32, { error: 'must be at least 32 characters' }),
    ACCESS_TOKEN_TTL_MINUTES: positiveInt.max(1440).default(60),
    REFRESH_TOKEN_TTL_DAYS: positiveInt.max(365).default(7),
    AGENT_CREDENTIALS_KEY: z.string({ error: 'is required' }).min(32, { error: 'must be at least 32 characters' }),
    LOGIN_MAX_FAILURES_PER_MINUTE: positiveInt.default(5),
    HOST_PING_TIMEOUT_SECONDS: positiveInt.max(300).default(10),
    TRUST_PROXY: bool.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (!env.DATABASE_URL) {
      for (const key of ['PG_HOST', 'PG_PORT', 'PG_USER', 'PG_DATABASE'] as const) {
        if (env[key] === undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'is required when DATABASE_URL is not set' });
      }
    }
    if (!env.REDIS_URL && env.REDIS_PORT === undefined) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required (or REDIS_PORT)' });
    }
    if (!env.S3_ENDPOINT && env.S3_PORT === undefined) {
      ctx.addIssue({ code: 'custom', path: ['S3_ENDPOINT'], message: 'is required (or S3_PORT)' });
    }
  });

export interface ApiConfig {
  host: string;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  temporal: { address: string; namespace: string; controlTaskQueue: string; uiUrl: string };
  s3: {
    endPoint: string;
    port: number;
    useSSL: boolean;
    region: string;
    accessKey: string;
    secretKey: string;
    bucket: string;
  };
  auth: {
    jwtSecret: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    loginMaxFailuresPerMinute: number;
  };
  agentCredentialsKey: string;
  hostPingTimeoutSeconds: number;
  trustProxy: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function s3Endpoint(env: z.infer<typeof envSchema>): { endPoint: string; port: number; useSSL: boolean } {
  if (env.S3_ENDPOINT) {
    const url = new URL(env.S3_ENDPOINT);
    const useSSL = url.protocol === 'https:';
    return { endPoint: url.hostname, port: url.port ? Number(url.port) : useSSL ? 443 : 80, useSSL };
  }
  return { endPoint: env.S3_HOST, port: env.S3_PORT!, useSSL: env.S3_USE_SSL };
}

/** Parses the environment; throws ConfigError listing every bad key as `KEY: reason`. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): ApiConfig {
  // Empty strings count as unset, so `API_PORT=` falls back to the default like an absent key.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  const databaseUrl =
    env.DATABASE_URL ??
    `postgresql://${encodeURIComponent(env.PG_USER!)}:${encodeURIComponent(env.PG_PASSWORD ?? '')}@${env.PG_HOST}:${env.PG_PORT}/${env.PG_DATABASE}`;
  return {
    host: env.API_HOST,
    port: env.API_PORT,
    databaseUrl,
    redisUrl: env.REDIS_URL ?? `redis://${env.REDIS_HOST}:${env.REDIS_PORT}`,
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      controlTaskQueue: env.CONTROL_TASK_QUEUE,
      uiUrl: env.TEMPORAL_UI_URL ?? `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`,
    },
    s3: {
      ...s3Endpoint(env),
      region: env.S3_REGION,
      accessKey: env.S3_ACCESS_KEY,
      secretKey: env.S3_SECRET_KEY,
      bucket: env.S3_BUCKET,
    },
    auth: {
      jwtSecret: env.JWT_SECRET,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_MINUTES * 60,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_DAYS * 86_400,
      loginMaxFailuresPerMinute: env.LOGIN_MAX_FAILURES_PER_MINUTE,
    },
    agentCredentialsKey: env.AGENT_CREDENTIALS_KEY,
    hostPingTimeoutSeconds: env.HOST_PING_TIMEOUT_SECONDS,
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
  };
}
