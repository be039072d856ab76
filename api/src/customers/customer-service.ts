// Admin-side tenant management: open a tenant with its owner, list/update, disable/enable.
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Tenant, User, type TenantStatus } from '@remotegpu/core';
import { assertPasswordPolicy } from '../auth/password-policy';
import { hashPassword } from '../auth/passwords';
import type { TokenService } from '../auth/token-service';
import { conflictOnDuplicate } from '../http/db-errors';
import type { Page } from '../http/envelope';
import { AppError } from '../http/errors';
import { pageWindow } from '../http/paging';

export interface CustomerView {
  id: number;
  name: string;
  company_code: string;
  status: TenantStatus;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  remark: string | null;
  owner: { id: number; username: string } | null;
  member_count: number;
  created_at: string;
  updated_at: string;
}

export interface CreateCustomerInput {
  name: string;
  company_code: string;
  contact_name?: string | null;
  contact_email?: string | null;
  contact_phone?: string | null;
  remark?: string | null;
  owner_username: string;
  owner_password?: string;
  owner_display_name?: string | null;
  owner_email?: string | null;
}

export type UpdateCustomerInput = Partial<
  Pick<CreateCustomerInput, 'name' | 'contact_name' | 'contact_email' | 'contact_phone' | 'remark'>
>;

export interface ListCustomersQuery {
  page: number;
  page_size: number;
  keyword?: string;
  status?: TenantStatus;
}

type TenantRow = {
  id: number;
  name: string;
  companyCode: string;
  status: TenantStatus;
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  remark?: string | null;
  createdAt: Date;
  updatedAt: Date;
};

/** A random initial password of 16+ characters covering every character class. */
export function generateInitialPassword(): string {
  return `Rg${randomBytes(12).toString('base64url')}#${randomBytes(1)[0] % 10}a`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class CustomerService {
  constructor(private readonly tokens: TokenService) {}

  private async views(em: EntityManager, tenants: TenantRow[]): Promise<CustomerView[]> {
    if (tenants.length === 0) return [];
    const users = await em.find(
      User,
      { tenant: { $in: tenants.map((t) => t.id) } },
      { fields: ['id', 'username', 'tenantRole', 'tenant'] },
    );
    return tenants.map((t) => {
      const own = users.filter((u) => (u.tenant as { id: number } | null)?.id === t.id);
      const owner = own.find((u) => u.tenantRole === 'owner');
      return {
        id: t.id,
        name: t.name,
        company_code: t.companyCode,
        status: t.status,
        contact_name: t.contactName ?? null,
        contact_email: t.contactEmail ?? null,
        contact_phone: t.contactPhone ?? null,
        remark: t.remark ?? null,
        owner: owner ? { id: owner.id, username: owner.username } : null,
        member_count: own.length,
        created_at: t.createdAt.toISOString(),
        updated_at: t.updatedAt.toISOString(),
      };
    });
  }

  async list(em: EntityManager, query: ListCustomersQuery): Promise<Page<CustomerView>> {
    const where: Record<string, unknown> = {};
    if (query.status) where.status = query.status;
    if (query.keyword) {
      const like = `%${escapeLike(query.keyword)}%`;
      where.$or = [{ name: { $ilike: like } }, { companyCode: { $ilike: like } }, { contactName: { $ilike: like } }];
    }
    const [rows, total] = await em.findAndCount(Tenant, where, {
      orderBy: { id: 'desc' },
      ...pageWindow(query),
    });
    return { list: await this.views(em, rows as TenantRow[]), total, page: query.page, page_size: query.page_size };
  }

  async get(em: EntityManager, id: number): Promise<CustomerView> {
    const tenant = await em.findOne(Tenant, { id });
    if (!tenant) throw AppError.notFound('customer');
    const [view] = await this.views(em, [tenant as TenantRow]);
    return view;
  }

  /** Creates the tenant and its owner in one transaction; returns the initial password only if generated. */
  async create(
    em: EntityManager,
    input: CreateCustomerInput,
  ): Promise<{ customer: CustomerView; initial_password?: string }> {
    const generated = input.owner_password === undefined ? generateInitialPassword() : undefined;
    const password = input.owner_password ?? generated!;
    assertPasswordPolicy(password, { username: input.owner_username, field: 'owner_password' });
    const passwordHash = await hashPassword(password);
    const tenantId = await conflictOnDuplicate(
      () =>
        em.transactional(async (tx) => {
          if (await tx.count(Tenant, { companyCode: input.company_code })) {
            throw new AppError('CONFLICT', `company code ${input.company_code} is already taken`);
          }
          if (await tx.count(User, { username: input.owner_username })) {
            throw new AppError('CONFLICT', `username ${input.owner_username} is already taken`);
          }
          const tenant = tx.create(Tenant, {
            name: input.name,
            companyCode: input.company_code,
            contactName: input.contact_name ?? null,
            contactEmail: input.contact_email ?? null,
            contactPhone: input.contact_phone ?? null,
            remark: input.remark ?? null,
          });
          tx.create(User, {
            username: input.owner_username,
            passwordHash,
            role: 'customer',
            tenant,
            tenantRole: 'owner',
            displayName: input.owner_display_name ?? null,
            email: input.owner_email ?? null,
            mustChangePassword: true,
          });
          await tx.flush();
          return tenant.id;
        }),
      'company code or username is already taken',
    );
    const customer = await this.get(em.fork(), tenantId);
    return generated ? { customer, initial_password: generated } : { customer };
  }

  async update(em: EntityManager, id: number, input: UpdateCustomerInput): Promise<CustomerView> {
    const tenant = await em.findOne(Tenant, { id });
    if (!tenant) throw AppError.notFound('customer');
    em.assign(tenant, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.contact_name !== undefined ? { contactName: input.contact_name } : {}),
      ...(input.contact_email !== undefined ? { contactEmail: input.contact_email } : {}),
      ...(input.contact_phone !== undefined ? { contactPhone: input.contact_phone } : {}),
      ...(input.remark !== undefined ? { remark: input.remark } : {}),
    });
    await em.flush();
    return this.get(em, id);
  }

  /** Disabling also ends every session of the tenant's users (their access tokens fail the status check). */
  async setStatus(em: EntityManager, id: number, status: TenantStatus): Promise<CustomerView> {
    const changed = await em.nativeUpdate(Tenant, { id }, { status, updatedAt: new Date() });
    if (!changed) throw AppError.notFound('customer');
    if (status === 'disabled') {
      const users = await em.find(User, { tenant: id }, { fields: ['id'] });
      await Promise.all(users.map((u) => this.tokens.revokeAllForUser(u.id)));
    }
    return this.get(em, id);
  }
}
