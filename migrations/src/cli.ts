// node migrations/dist/cli.js up|down|status — database from DATABASE_URL or PG_* (see database-url.ts).
import { databaseUrlFromEnv } from './database-url';
import { migrationStatus, runMigrations } from './migrator';

async function main(command: string | undefined): Promise<void> {
  const url = databaseUrlFromEnv();
  if (command === 'up' || command === 'down') {
    const names = await runMigrations(url, command, { log: (message) => console.log(message) });
    const verb = command === 'up' ? 'applied' : 'reverted';
    console.log(names.length ? `${verb}: ${names.join(', ')}` : `nothing to ${command === 'up' ? 'apply' : 'revert'}`);
    return;
  }
  if (command === 'status') {
    const status = await migrationStatus(url);
    console.log(JSON.stringify(status, null, 2));
    return;
  }
  throw new Error(`usage: cli.js up|down|status (got ${command ?? 'nothing'})`);
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
