// Raw SQL helpers for the fleet activities: table names qualified with the ORM's schema (tests may run
// in their own schema) and row execution on an EntityManager's connection.
import type { EntityManager } from '@mikro-orm/core';

export function table(em: EntityManager, name: string): string {
  const schema = em.config.get('schema') as string | undefined;
  return schema ? `"${schema}"."${name}"` : `"${name}"`;
}

export async function rows<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await em.getConnection().execute(sql, params, 'all')) as T[];
}

/** `like` pattern matching ids that start with a literal prefix. */
export function prefixPattern(prefix: string | undefined): string {
  return `${(prefix ?? '').replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
