import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root, from migrations/src or migrations/dist. */
const repoRoot = path.resolve(__dirname, '..', '..');

function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#') || !line.includes('=')) continue;
    const i = line.indexOf('=');
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/**
 * DATABASE_URL, else a URL built from PG_HOST/PG_PORT/PG_USER/PG_PASSWORD/PG_DATABASE. The process
 * environment wins over the repository's .env, which wins over .env.defaults (as scripts/ read them).
 */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env, root = repoRoot): string {
  const merged: Record<string, string | undefined> = {
    ...readEnvFile(path.join(root, '.env.defaults')),
    ...readEnvFile(path.join(root, '.env')),
    ...env,
  };
  if (merged.DATABASE_URL) return merged.DATABASE_URL;
  const missing = ['PG_USER', 'PG_DATABASE'].filter((key) => !merged[key]);
  if (missing.length > 0) throw new Error(`DATABASE_URL or ${missing.join(', ')} must be set`);
  const user = encodeURIComponent(merged.PG_USER!);
  const password = merged.PG_PASSWORD ? `:${encodeURIComponent(merged.PG_PASSWORD)}` : '';
  const host = merged.PG_HOST ?? '127.0.0.1';
  const port = merged.PG_PORT ?? '5432';
  return `postgresql://${user}${password}@${host}:${port}/${encodeURIComponent(merged.PG_DATABASE!)}`;
}
