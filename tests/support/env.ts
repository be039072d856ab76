// The configuration of the services scripts/up started, read the way scripts/lib/common.sh reads it:
// the process environment wins, then .env, then .env.defaults.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const dataDir = path.join(repoRoot, '.data');
export const cacheDir = process.env.REMOTEGPU_CACHE ?? '/root/.cache/remotegpu';
export const pyBin = (name: string): string => path.join(cacheDir, 'pyvenv', 'bin', name);

function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#') || !line.includes('=')) continue;
    const i = line.indexOf('=');
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

const fileConfig = {
  ...readEnvFile(path.join(repoRoot, '.env.defaults')),
  ...readEnvFile(path.join(repoRoot, '.env')),
};
export function setting(key: string): string {
  const value = process.env[key] ?? fileConfig[key];
  if (value === undefined) throw new Error(`setting ${key} is missing from .env.defaults`);
  return value;
}

export const testEnv = {
  pgPort: Number(setting('PG_PORT')),
  databaseUrl: `postgresql://${setting('PG_USER')}:${setting('PG_PASSWORD')}@127.0.0.1:${setting('PG_PORT')}/${setting('PG_DATABASE')}`,
  adminDatabaseUrl: `postgresql://postgres@127.0.0.1:${setting('PG_PORT')}/postgres`,
  redisUrl: `redis://127.0.0.1:${setting('REDIS_PORT')}`,
  redisPort: Number(setting('REDIS_PORT')),
  temporalAddress: setting('TEMPORAL_ADDRESS'),
  temporalNamespace: setting('TEMPORAL_NAMESPACE'),
  s3: {
    endPoint: '127.0.0.1',
    port: Number(setting('S3_PORT')),
    useSSL: false,
    accessKey: setting('S3_ACCESS_KEY'),
    secretKey: setting('S3_SECRET_KEY'),
    bucket: setting('S3_BUCKET'),
  },
  /** Full environment for a child process (API, workers) that reads the same configuration. */
  processEnv(): NodeJS.ProcessEnv {
    return { ...fileConfig, ...process.env };
  },
};

/** A short unique suffix so each test file owns its task queues, workflow ids, tenants and machines. */
export function uniqueSuffix(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
