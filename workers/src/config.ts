// The control-plane worker's configuration: one zod schema over the environment, read only here.
// A bad or missing key fails fast with its name.
import { z } from 'zod';

const text = z.string({ error: 'is required' }).trim().min(1, { error: 'is required' });
const port = z.coerce.number({ error: 'expected a number' }).int().min(1).max(65535);

const envSchema = z
  .object({
    TEMPORAL_ADDRESS: text.regex(/^[^\s:]+:\d+$/, { error: 'expected host:port' }),
    TEMPORAL_NAMESPACE: text.default('default'),
    CONTROL_TASK_QUEUE: text.default('control-plane'),
    DATABASE_URL: z.url({ error: 'expected a postgresql:// URL' }).optional(),
    PG_HOST: text.optional(),
    PG_PORT: port.optional(),
    PG_USER: text.optional(),
    PG_PASSWORD: z.string().optional(),
    PG_DATABASE: text.optional(),
    /** PostgreSQL schema (search path); tests and multi-instance setups use their own. */
    DATABASE_SCHEMA: text.optional(),
    REDIS_URL: z.url({ error: 'expected a redis:// URL' }).optional(),
    REDIS_HOST: text.default('127.0.0.1'),
    REDIS_PORT: port.optional(),
    /** A prebuilt workflow bundle (bundleWorkflowCode output); without it the worker bundles at start. */
    WORKFLOW_BUNDLE_PATH: text.optional(),
    SHUTDOWN_GRACE_MS: z.coerce.number({ error: 'expected a number' }).int().min(0).default(30_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Fleet health: a machine whose last heartbeat is older than this is offline. */
    FLEET_OFFLINE_AFTER_SECONDS: z.coerce.number({ error: 'expected a number' }).int().min(5).max(3600).default(20),
    FLEET_HEALTH_EVERY_SECONDS: z.coerce.number({ error: 'expected a number' }).int().min(1).max(3600).default(10),
    /** Create/update the fleet Schedules at start; default only for the production queue, so test workers never retarget them. */
    FLEET_SCHEDULES_ENABLED: z.enum(['true', 'false', '1', '0']).optional(),
    /** Prometheus /metrics of the Temporal runtime; 0 disables. Own key so the agent's port never collides. */
    CONTROL_WORKER_METRICS_PORT: z.coerce.number({ error: 'expected a number' }).int().min(0).max(65535).default(19464),
    CONTROL_WORKER_METRICS_BIND_HOST: text.default('127.0.0.1'),
  })
  .superRefine((env, ctx) => {
    if (!env.DATABASE_URL) {
      for (const key of ['PG_HOST', 'PG_PORT', 'PG_USER', 'PG_DATABASE'] as const) {
        if (env[key] === undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'is required when DATABASE_URL is not set' });
        }
      }
    }
    if (!env.REDIS_URL && env.REDIS_PORT === undefined) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required (or REDIS_PORT)' });
    }
  });

export type LogLevel = z.infer<typeof envSchema>['LOG_LEVEL'];

export interface ControlWorkerConfig {
  temporal: { address: string; namespace: string; taskQueue: string };
  databaseUrl: string;
  databaseSchema?: string;
  redisUrl: string;
  workflowBundlePath?: string;
  shutdownGraceMs: number;
  logLevel: LogLevel;
  fleet: { offlineAfterMs: number; healthEverySeconds: number; schedulesEnabled: boolean };
  /** Temporal runtime metrics exporter; port 0 = off. */
  metrics: { host: string; port: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Names the offending keys, e.g. `TEMPORAL_ADDRESS: expected host:port`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

export function loadControlWorkerConfig(env: NodeJS.ProcessEnv = process.env): ControlWorkerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(`invalid control worker configuration: ${formatIssues(parsed.error.issues)}`);
  const e = parsed.data;
  const databaseUrl =
    e.DATABASE_URL ??
    `postgresql://${encodeURIComponent(e.PG_USER!)}:${encodeURIComponent(e.PG_PASSWORD ?? '')}@${e.PG_HOST}:${e.PG_PORT}/${encodeURIComponent(e.PG_DATABASE!)}`;
  return {
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.CONTROL_TASK_QUEUE },
    databaseUrl,
    databaseSchema: e.DATABASE_SCHEMA,
    redisUrl: e.REDIS_URL ?? `redis://${e.REDIS_HOST}:${e.REDIS_PORT}`,
    workflowBundlePath: e.WORKFLOW_BUNDLE_PATH,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    logLevel: e.LOG_LEVEL,
    fleet: {
      offlineAfterMs: e.FLEET_OFFLINE_AFTER_SECONDS * 1000,
      healthEverySeconds: e.FLEET_HEALTH_EVERY_SECONDS,
      schedulesEnabled:
        e.FLEET_SCHEDULES_ENABLED === undefined
          ? e.CONTROL_TASK_QUEUE === 'control-plane'
          : e.FLEET_SCHEDULES_ENABLED === 'true' || e.FLEET_SCHEDULES_ENABLED === '1',
    },
    metrics: { host: e.CONTROL_WORKER_METRICS_BIND_HOST, port: e.CONTROL_WORKER_METRICS_PORT },
  };
}
