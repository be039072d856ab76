// Small helpers shared by the inventory, allocation, operation and customer repositories: raw list
// queries are built with knex (joins, filters, paging) and run through the request's EntityManager,
// so they join its transaction and honour the ORM's configured schema.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';

export interface Sql {
  knex: Knex;
  /** A table name qualified with the ORM's schema when one is configured (tests use scratch schemas). */
  table(name: string, alias?: string): string;
}

export function sqlOf(em: EntityManager): Sql {
  const knex = em.getKnex();
  const schema = em.config.get('schema');
  return {
    knex,
    table: (name, alias) => `${schema ? `${schema}.${name}` : name}${alias ? ` as ${alias}` : ''}`,
  };
}

/** Runs a knex builder inside the EntityManager's current transaction (if any). */
export async function run<T>(em: EntityManager, query: Knex.QueryBuilder | Knex.Raw): Promise<T[]> {
  return (await em.execute(query as Knex.QueryBuilder)) as T[];
}

/** PostgreSQL unique violation (raw driver error or MikroORM's wrapped one), optionally of one constraint. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: string; constraint?: string; name?: string; message?: string };
  const unique = e.code === '23505' || e.name === 'UniqueConstraintViolationException';
  if (!unique) return false;
  return constraint === undefined || e.constraint === constraint || (e.message ?? '').includes(constraint);
}

export const iso = (value: Date | string | null | undefined): string | null =>
  value === null || value === undefined ? null : new Date(value).toISOString();

/** `ILIKE` pattern for a user-supplied substring, with its wildcards escaped. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface PageQuery {
  page: number;
  page_size: number;
}

export const pageOffset = (q: PageQuery): number => (q.page - 1) * q.page_size;
