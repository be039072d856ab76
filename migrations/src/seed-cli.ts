// node migrations/dist/seed-cli.js — seeds the demo data into DATABASE_URL / PG_* (idempotent).
import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from '@remotegpu/core';
import { databaseUrlFromEnv } from './database-url';
import { seed } from './seed';

async function main(): Promise<void> {
  const orm = await MikroORM.init(createOrmConfig({ clientUrl: databaseUrlFromEnv(), pool: { max: 2 } }));
  try {
    console.log(JSON.stringify(await seed(orm.em.fork()), null, 2));
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
