// Reads of users for authentication, as plain objects (the entity never leaves this file).
import type { EntityManager } from '@mikro-orm/postgresql';
import { User, type TenantRole, type TenantStatus, type UserRole, type UserStatus } from '@remotegpu/core';

export interface IdentityRecord {
  id: number;
  username: string;
  role: UserRole;
  tenantRole: TenantRole | null;
  status: UserStatus;
  mustChangePassword: boolean;
  displayName: string | null;
  email: string | null;
  tenantId: number | null;
  companyCode: string | null;
  tenantStatus: TenantStatus | null;
}

type LoadedUser = {
  id: number;
  username: string;
  role: UserRole;
  tenantRole?: TenantRole | null;
  status: UserStatus;
  mustChangePassword: boolean;
  displayName?: string | null;
  email?: string | null;
  tenant?: { id: number; companyCode: string; status: TenantStatus } | null;
};

type TenantFields = { id: number; companyCode: string; status: TenantStatus };

/** `tenant` is a Ref (`.ref()` relation): unwrap it to the populated entity. */
function tenantOf(user: LoadedUser): TenantFields | null {
  const ref = user.tenant as (TenantFields & { unwrap?: () => TenantFields }) | null | undefined;
  if (!ref) return null;
  return typeof ref.unwrap === 'function' ? ref.unwrap() : ref;
}

function toRecord(user: LoadedUser): IdentityRecord {
  const tenant = tenantOf(user);
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    tenantRole: user.tenantRole ?? null,
    status: user.status,
    mustChangePassword: user.mustChangePassword,
    displayName: user.displayName ?? null,
    email: user.email ?? null,
    tenantId: tenant?.id ?? null,
    companyCode: tenant?.companyCode ?? null,
    tenantStatus: tenant?.status ?? null,
  };
}

export async function findIdentityById(em: EntityManager, id: number): Promise<IdentityRecord | null> {
  const user = await em.findOne(User, { id }, { populate: ['tenant'], refresh: true });
  return user ? toRecord(user as unknown as LoadedUser) : null;
}

/** The user with its password hash (a lazy column), for credential checks only. */
export async function findCredentialsByUsername(
  em: EntityManager,
  username: string,
): Promise<{ identity: IdentityRecord; passwordHash: string } | null> {
  const user = await em.findOne(User, { username }, { populate: ['tenant', 'passwordHash'] });
  if (!user) return null;
  return { identity: toRecord(user as unknown as LoadedUser), passwordHash: scalar(user.passwordHash) };
}

/** Lazy columns come back as loaded scalar references. */
function scalar(value: string | { $: string }): string {
  return typeof value === 'string' ? value : value.$;
}

export async function findPasswordHash(em: EntityManager, id: number): Promise<string | null> {
  const user = await em.findOne(User, { id }, { populate: ['passwordHash'] });
  return user ? scalar(user.passwordHash) : null;
}

/** An identity may act only while both it and its tenant (if any) are active. */
export function isActiveIdentity(identity: IdentityRecord): boolean {
  return identity.status === 'active' && (identity.tenantId === null || identity.tenantStatus === 'active');
}
