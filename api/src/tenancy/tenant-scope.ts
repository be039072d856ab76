// The one place customer data is scoped to a tenant: every query made through a TenantScope gets
// `tenant = :tenantId` added, so a row of another tenant is simply not found (404, never 403).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery, FindOptions, Loaded } from '@mikro-orm/core';
import { AppError } from '../http/errors';

/** Entities a tenant owns carry a `tenant` relation. */
type TenantOwned = object;

export class TenantScope {
  constructor(
    readonly em: EntityManager,
    readonly tenantId: number,
  ) {}

  /** `where` AND the tenant condition; callers never build the tenant condition themselves. */
  where<T extends TenantOwned>(where: FilterQuery<T> = {} as FilterQuery<T>): FilterQuery<T> {
    return { $and: [where, { tenant: this.tenantId }] } as FilterQuery<T>;
  }

  find<T extends TenantOwned, P extends string = never>(
    entity: EntityName<T>,
    where: FilterQuery<T> = {} as FilterQuery<T>,
    options?: FindOptions<T, P>,
  ): Promise<Loaded<T, P>[]> {
    return this.em.find(entity, this.where(where), options);
  }

  count<T extends TenantOwned>(entity: EntityName<T>, where: FilterQuery<T> = {} as FilterQuery<T>): Promise<number> {
    return this.em.count(entity, this.where(where));
  }

  async findOne<T extends TenantOwned, P extends string = never>(
    entity: EntityName<T>,
    where: FilterQuery<T>,
    options?: FindOptions<T, P>,
  ): Promise<Loaded<T, P> | null> {
    const [found] = await this.em.find(entity, this.where(where), { ...options, limit: 1 } as FindOptions<T, P>);
    return found ?? null;
  }

  /** The row, or NOT_FOUND naming `what` — also when it exists in another tenant. */
  async findOneOrNotFound<T extends TenantOwned, P extends string = never>(
    entity: EntityName<T>,
    where: FilterQuery<T>,
    what: string,
    options?: FindOptions<T, P>,
  ): Promise<Loaded<T, P>> {
    const found = await this.findOne(entity, where, options);
    if (!found) throw AppError.notFound(what);
    return found;
  }

  nativeDelete<T extends TenantOwned>(entity: EntityName<T>, where: FilterQuery<T>): Promise<number> {
    return this.em.nativeDelete(entity, this.where(where));
  }
}
