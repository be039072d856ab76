// Tenant members, always through the caller's TenantScope: owners manage, members only read.
import { SshKey, User, type TenantRole, type UserStatus } from '@remotegpu/core';
import { assertPasswordPolicy } from '../auth/password-policy';
import { hashPassword } from '../auth/passwords';
import type { TokenService } from '../auth/token-service';
import { conflictOnDuplicate, conflictWhenReferenced } from '../http/db-errors';
import type { Page } from '../http/envelope';
import { AppError } from '../http/errors';
import { pageWindow } from '../http/paging';
import type { TenantScope } from '../tenancy/tenant-scope';

export interface MemberView {
  id: number;
  username: string;
  display_name: string | null;
  email: string | null;
  phone: string | null;
  tenant_role: TenantRole | null;
  status: UserStatus;
  must_change_password: boolean;
  last_login_at: string | null;
  created_at: string;
}

export interface CreateMemberInput {
  username: string;
  password: string;
  display_name?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface UpdateMemberInput {
  display_name?: string | null;
  email?: string | null;
  phone?: string | null;
  status?: UserStatus;
}

type UserRow = {
  id: number;
  username: string;
  displayName?: string | null;
  email?: string | null;
  phone?: string | null;
  tenantRole?: TenantRole | null;
  status: UserStatus;
  mustChangePassword: boolean;
  lastLoginAt?: Date | null;
  createdAt: Date;
};

function toView(u: UserRow): MemberView {
  return {
    id: u.id,
    username: u.username,
    display_name: u.displayName ?? null,
    email: u.email ?? null,
    phone: u.phone ?? null,
    tenant_role: u.tenantRole ?? null,
    status: u.status,
    must_change_password: u.mustChangePassword,
    last_login_at: u.lastLoginAt?.toISOString() ?? null,
    created_at: u.createdAt.toISOString(),
  };
}

export class MemberService {
  constructor(private readonly tokens: TokenService) {}

  async list(scope: TenantScope, paging: { page: number; page_size: number }): Promise<Page<MemberView>> {
    const [rows, total] = await Promise.all([
      scope.find(User, {}, { orderBy: { id: 'asc' }, ...pageWindow(paging) }),
      scope.count(User),
    ]);
    return { list: (rows as UserRow[]).map(toView), total, page: paging.page, page_size: paging.page_size };
  }

  async create(scope: TenantScope, input: CreateMemberInput): Promise<MemberView> {
    assertPasswordPolicy(input.password, { username: input.username, field: 'password' });
    const passwordHash = await hashPassword(input.password);
    return conflictOnDuplicate(async () => {
      if (await scope.em.count(User, { username: input.username })) {
        throw new AppError('CONFLICT', `username ${input.username} is already taken`);
      }
      const user = scope.em.create(User, {
        username: input.username,
        passwordHash,
        role: 'customer',
        tenant: scope.tenantId,
        tenantRole: 'member',
        displayName: input.display_name ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
        mustChangePassword: true,
      });
      await scope.em.flush();
      return toView(user as UserRow);
    }, `username ${input.username} is already taken`);
  }

  /** Owners edit members; the owner account itself cannot be disabled through this endpoint. */
  async update(scope: TenantScope, callerId: number, id: number, input: UpdateMemberInput): Promise<MemberView> {
    const user = await scope.findOneOrNotFound(User, { id }, 'member');
    if (input.status !== undefined && (user.tenantRole === 'owner' || user.id === callerId)) {
      throw new AppError('UNPROCESSABLE', 'the tenant owner cannot be disabled');
    }
    scope.em.assign(user, {
      ...(input.display_name !== undefined ? { displayName: input.display_name } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
      ...(input.phone !== undefined ? { phone: input.phone } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
    });
    await scope.em.flush();
    if (input.status === 'disabled') await this.tokens.revokeAllForUser(user.id);
    return toView(user as UserRow);
  }

  /** The member's public key lines: revoked on the tenant's hosts when the member is disabled. */
  async keyLines(scope: TenantScope, id: number): Promise<string[]> {
    const keys = await scope.em.find(SshKey, { user: id, tenant: scope.tenantId }, { fields: ['publicKey'] });
    return keys.map((k) => k.publicKey);
  }

  async remove(scope: TenantScope, callerId: number, id: number): Promise<void> {
    const user = await scope.findOneOrNotFound(User, { id }, 'member');
    if (user.tenantRole === 'owner' || user.id === callerId) {
      throw new AppError('UNPROCESSABLE', 'the tenant owner cannot be deleted');
    }
    await conflictWhenReferenced(
      () => scope.nativeDelete(User, { id }),
      'the member still owns resources; disable the member instead',
    );
    await this.tokens.revokeAllForUser(id);
  }
}
