import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { createOrmConfig } from '@remotegpu/core';
import { Migration20261122000000_initial } from './migrations/Migration20261122000000_initial';

/** Every migration, in order (listed, not discovered, so dist/ and jest run the same code). */
export const MIGRATIONS = [{ name: 'Migration20261122000000_initial', class: Migration20261122000000_initial }];

export type MigrationDirection = 'up' | 'down';

export interface MigrationStatus {
  executed: string[];
  pending: string[];
}

export interface MigrationOptions {
  /** Receives the migrator's progress lines; silent by default. */
  log?: (message: string) => void;
}

async function withMigrator<T>(
  url: string,
  options: MigrationOptions,
  fn: (migrator: Migrator) => Promise<T>,
): Promise<T> {
  const orm = await MikroORM.init({
    ...createOrmConfig({ clientUrl: url, pool: { min: 0, max: 2 } }),
    logger: options.log ?? (() => {}),
    extensions: [Migrator],
    migrations: {
      migrationsList: MIGRATIONS,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      // true would `set session_replication_role`, which needs a superuser
      disableForeignKeys: false,
      snapshot: false,
    },
  });
  try {
    return await fn(orm.getMigrator());
  } finally {
    await orm.close(true);
  }
}

/**
 * `up` applies every pending migration; `down` reverts ALL executed migrations (an empty database
 * apart from the migrations table). Returns the names of the migrations applied / reverted.
 */
export async function runMigrations(
  url: string,
  direction: MigrationDirection,
  options: MigrationOptions = {},
): Promise<string[]> {
  return withMigrator(url, options, async (migrator) => {
    const done = direction === 'up' ? await migrator.up() : await migrator.down({ to: 0 });
    return done.map((m) => m.name);
  });
}

export async function migrationStatus(url: string, options: MigrationOptions = {}): Promise<MigrationStatus> {
  return withMigrator(url, options, async (migrator) => ({
    executed: (await migrator.getExecutedMigrations()).map((m) => m.name),
    pending: (await migrator.getPendingMigrations()).map((m) => m.name),
  }));
}
