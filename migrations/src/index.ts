export { databaseUrlFromEnv } from './database-url';
export {
  MIGRATIONS,
  migrationStatus,
  runMigrations,
  type MigrationDirection,
  type MigrationOptions,
  type MigrationStatus,
} from './migrator';
export { INITIAL_TABLES } from './migrations/Migration20261122000000_initial';
export {
  DEFAULT_ADMIN_PASSWORD,
  DEMO_OWNER_PASSWORD,
  hashPasswordArgon2id,
  seed,
  type SeedOptions,
  type SeedSummary,
} from './seed';
export { createScratchDatabase, type ScratchDatabase, type ScratchDatabaseOptions } from './scratch-database';
