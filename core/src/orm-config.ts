import type { Options } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ALL_ENTITIES } from './entities';

export interface OrmConfigInput {
  clientUrl: string;
  /** PostgreSQL schema (search path) — tests use their own. Default `public`. */
  schema?: string;
  debug?: boolean;
  /** Connection pool bounds; defaults suit one API/worker process. */
  pool?: { min?: number; max?: number };
}

/** MikroORM options for every process (API, workers, migrations, tests). */
export function createOrmConfig(input: OrmConfigInput): Options<PostgreSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl: input.clientUrl,
    ...(input.schema ? { schema: input.schema } : {}),
    entities: [...ALL_ENTITIES],
    discovery: { warnWhenNoEntities: true, requireEntitiesArray: true },
    forceUtcTimezone: true,
    debug: input.debug ?? false,
    allowGlobalContext: false,
    pool: { min: input.pool?.min ?? 0, max: input.pool?.max ?? 10 },
  };
}
