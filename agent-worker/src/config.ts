// The agent's configuration: a JSON file (--config <file> or AGENT_CONFIG_FILE) with the same keys as
// the environment, environment winning. One zod schema, read only here; a bad key fails fast by name.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const text = z.string({ error: 'is required' }).trim().min(1, { error: 'is required' });
const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');
const ms = z.coerce.number({ error: 'expected a number of milliseconds' }).int();

const schema = z.object({
  MACHINE_ID: z
    .string({ error: 'is required' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, { error: 'expected letters, digits, ".", "_" or "-"' }),
  TEMPORAL_ADDRESS: text.regex(/^[^\s:]+:\d+$/, { error: 'expected host:port' }),
  TEMPORAL_NAMESPACE: text.default('default'),
  TEMPORAL_TLS_CA_FILE: text.optional(),
  TEMPORAL_TLS_CERT_FILE: text.optional(),
  TEMPORAL_TLS_KEY_FILE: text.optional(),
  AGENT_KEY_ID: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }),
  AGENT_SECRET: z.string({ error: 'is required' }).min(16, { error: 'must be at least 16 characters' }),
  API_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s):// URL' }),
  HEARTBEAT_ENABLED: bool.default(true),
  HEARTBEAT_INTERVAL_MS: ms.min(500).max(300_000).default(5000),
  HEARTBEAT_TIMEOUT_MS: ms.min(100).max(60_000).default(4000),
  NVIDIA_SMI_PATH: text.default('nvidia-smi'),
  DATA_ROOT: text.regex(/^\//, { error: 'expected an absolute path' }).default('/home'),
  SHUTDOWN_GRACE_MS: ms.min(0).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prometheus /metrics of the Temporal runtime; 0 disables. Bound to the host's own address (a simulated
   * host on 127.0.1.N uses that), so several agents on one machine never share a socket. */
  AGENT_METRICS_PORT: z.coerce.number({ error: 'expected a number' }).int().min(0).max(65535).default(19465),
  AGENT_METRICS_BIND_HOST: text.default('127.0.0.1'),
});

export type LogLevel = z.infer<typeof schema>['LOG_LEVEL'];
export const AGENT_CONFIG_KEYS = Object.keys(schema.shape) as (keyof typeof schema.shape)[];

export interface AgentConfig {
  machineId: string;
  temporal: {
    address: string;
    namespace: string;
    tls?: { caFile?: string; certFile?: string; keyFile?: string };
  };
  agentKeyId: string;
  agentSecret: string;
  apiUrl: string;
  heartbeat: { enabled: boolean; intervalMs: number; timeoutMs: number };
  nvidiaSmiPath: string;
  dataRoot: string;
  shutdownGraceMs: number;
  logLevel: LogLevel;
  /** Temporal runtime metrics exporter; port 0 = off. */
  metrics: { host: string; port: number };
}

export class AgentConfigError extends Error {
  override name = 'AgentConfigError';
}

/** The config file named by `--config <file>` / `--config=<file>`, else AGENT_CONFIG_FILE. */
export function configFileFrom(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config') {
      const file = argv[i + 1];
      if (!file) throw new AgentConfigError('--config needs a file path');
      return file;
    }
    if (argv[i].startsWith('--config=')) return argv[i].slice('--config='.length);
  }
  return env.AGENT_CONFIG_FILE || undefined;
}

function readConfigFile(file: string): Record<string, unknown> {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AgentConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    throw new AgentConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new AgentConfigError(`config file ${file} must hold a JSON object of KEY: value`);
  }
  const unknownKeys = Object.keys(data).filter((k) => !(AGENT_CONFIG_KEYS as string[]).includes(k));
  if (unknownKeys.length) throw new AgentConfigError(`config file ${file}: unknown keys ${unknownKeys.join(', ')}`);
  return data as Record<string, unknown>;
}

export function loadAgentConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): AgentConfig {
  const file = configFileFrom(argv, env);
  const merged: Record<string, unknown> = file ? readConfigFile(file) : {};
  for (const key of AGENT_CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new AgentConfigError(`invalid agent configuration${file ? ` (file ${file})` : ''}: ${detail}`);
  }
  const c = parsed.data;
  const tls =
    c.TEMPORAL_TLS_CA_FILE || c.TEMPORAL_TLS_CERT_FILE || c.TEMPORAL_TLS_KEY_FILE
      ? { caFile: c.TEMPORAL_TLS_CA_FILE, certFile: c.TEMPORAL_TLS_CERT_FILE, keyFile: c.TEMPORAL_TLS_KEY_FILE }
      : undefined;
  if (tls && Boolean(tls.certFile) !== Boolean(tls.keyFile)) {
    throw new AgentConfigError(
      'invalid agent configuration: TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together',
    );
  }
  return {
    machineId: c.MACHINE_ID,
    temporal: { address: c.TEMPORAL_ADDRESS, namespace: c.TEMPORAL_NAMESPACE, ...(tls ? { tls } : {}) },
    agentKeyId: c.AGENT_KEY_ID,
    agentSecret: c.AGENT_SECRET,
    apiUrl: c.API_URL.replace(/\/+$/, ''),
    heartbeat: { enabled: c.HEARTBEAT_ENABLED, intervalMs: c.HEARTBEAT_INTERVAL_MS, timeoutMs: c.HEARTBEAT_TIMEOUT_MS },
    nvidiaSmiPath: c.NVIDIA_SMI_PATH,
    dataRoot: c.DATA_ROOT,
    shutdownGraceMs: c.SHUTDOWN_GRACE_MS,
    logLevel: c.LOG_LEVEL,
    metrics: { host: c.AGENT_METRICS_BIND_HOST, port: c.AGENT_METRICS_PORT },
  };
}
