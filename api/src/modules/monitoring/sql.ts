// Raw SQL helpers for the fleet modules: table names qualified with the ORM's schema (tests may run in
// their own schema) and typed row results.
import type { EntityManager } from '@mikro-orm/postgresql';

export function table(em: EntityManager, name: string): string {
  const schema = em.config.get('schema') as string | undefined;
  return schema ? `"${schema}"."${name}"` : `"${name}"`;
}

export async function rows<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await em.getConnection().execute(sql, params, 'all')) as T[];
}

export const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** numeric/real/bigint columns may come back as strings; null stays null. */
export const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
