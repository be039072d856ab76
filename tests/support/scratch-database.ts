// One database per test file (DESIGN §7: files isolate themselves and run in any order): created by the
// `postgres` superuser, owned by the application role, migrated to the latest schema.
import { createScratchDatabase, type ScratchDatabase } from '../../migrations/src/scratch-database';
import { testEnv } from './env';

export type { ScratchDatabase };

export function createTestDatabase(prefix: string, options: { migrate?: boolean } = {}): Promise<ScratchDatabase> {
  return createScratchDatabase({
    adminUrl: testEnv.adminDatabaseUrl,
    ownerUrl: testEnv.databaseUrl,
    prefix: `rg_${prefix}`,
    migrate: options.migrate ?? true,
  });
}
