import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { TENANT_ROLES, USER_ROLES, USER_STATUSES } from '../enums';
import { createdAtColumn, updatedAtColumn } from './columns';
import { Tenant } from './tenant';

/** A login. Platform admins have no tenant; customers belong to exactly one tenant as owner or member. */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    tenant: p.manyToOne(Tenant).ref().nullable().deleteRule('restrict'),
    username: p.string().unique(),
    passwordHash: p.string().hidden().lazy(),
    role: p.enum([...USER_ROLES]),
    tenantRole: p.enum([...TENANT_ROLES]).nullable(),
    displayName: p.string().nullable(),
    email: p.string().nullable(),
    phone: p.string().nullable(),
    status: p.enum([...USER_STATUSES]).default('active'),
    mustChangePassword: p.boolean().default(false),
    lastLoginAt: p.datetime().nullable(),
    passwordChangedAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  }),
  indexes: [{ name: 'users_tenant_id_index', properties: ['tenant'] }],
  checks: [
    {
      // admins have no tenant; customers have a tenant and a tenant role
      name: 'users_tenant_matches_role',
      expression: `("role" = 'admin' and "tenant_id" is null and "tenant_role" is null) or ("role" = 'customer' and "tenant_id" is not null and "tenant_role" is not null)`,
    },
  ],
});
export type IUser = InferEntity<typeof User>;
