import { Client } from 'pg';
import { runMigrations } from './migrator';

export interface ScratchDatabase {
  name: string;
  /** URL of the scratch database for `owner` (same credentials as `ownerUrl`). */
  url: string;
  /** Drops the database (terminating its connections). */
  drop(): Promise<void>;
}

export interface ScratchDatabaseOptions {
  /** A superuser URL on the server, e.g. postgresql://postgres@127.0.0.1:15432/postgres. */
  adminUrl: string;
  /** URL of the application role that will own the database (its credentials are reused). */
  ownerUrl: string;
  /** Name prefix; a safe suffix is appended. */
  prefix: string;
  /** Apply all migrations before returning. Default false. */
  migrate?: boolean;
}

async function asAdmin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A throw-away database for one test file (integration tests isolate themselves this way). */
export async function createScratchDatabase(options: ScratchDatabaseOptions): Promise<ScratchDatabase> {
  const owner = new URL(options.ownerUrl);
  const suffix = `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const name = `${options.prefix}_${suffix}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63);
  const role = decodeURIComponent(owner.username);
  await asAdmin(options.adminUrl, async (client) => {
    const quotedRole = client.escapeIdentifier(role);
    await client.query(`create database ${client.escapeIdentifier(name)} owner ${quotedRole}`);
  });
  const url = new URL(options.ownerUrl);
  url.pathname = `/${name}`;
  const scratch: ScratchDatabase = {
    name,
    url: url.toString(),
    drop: () =>
      asAdmin(options.adminUrl, async (client) => {
        await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
      }),
  };
  if (options.migrate) {
    try {
      await runMigrations(scratch.url, 'up');
    } catch (error) {
      await scratch.drop();
      throw error;
    }
  }
  return scratch;
}
