// Login, refresh, logout, profile and password change: the use-cases behind /api/v1/auth.
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '@remotegpu/core';
import { AppError } from '../http/errors';
import {
  findCredentialsByUsername,
  findIdentityById,
  findPasswordHash,
  isActiveIdentity,
  type IdentityRecord,
} from '../identity/user-repository';
import { permissionsOf, type AuthUser } from './auth-user';
import { assertPasswordPolicy } from './password-policy';
import { hashPassword, verifyPassword } from './passwords';
import type { TokenService } from './token-service';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface LoginResult extends TokenPair {
  must_change_password: boolean;
}

export interface Profile {
  id: number;
  username: string;
  role: string;
  /** 0 for platform administrators, as in the product's API (§3.1.3). */
  tenant_id: number;
  company_code: string | null;
  tenant_role: string | null;
  display_name: string | null;
  email: string | null;
  must_change_password: boolean;
  permissions: string[];
}

export class AuthService {
  constructor(
    private readonly tokens: TokenService,
    private readonly now: () => Date,
  ) {}

  /** The identity when username and password match an active user of an active tenant, else null. */
  async verifyCredentials(em: EntityManager, username: string, password: string): Promise<IdentityRecord | null> {
    const found = await findCredentialsByUsername(em, username);
    const passwordOk = await verifyPassword(found?.passwordHash ?? null, password);
    if (!found || !passwordOk || !isActiveIdentity(found.identity)) return null;
    return found.identity;
  }

  private async issueTokens(identity: IdentityRecord, familyId?: string): Promise<TokenPair> {
    const refresh = await this.tokens.issueRefreshToken(identity.id, familyId);
    const { token } = this.tokens.signAccessToken({
      sub: String(identity.id),
      username: identity.username,
      role: identity.role,
      tenant_id: identity.tenantId,
      company_code: identity.companyCode,
      tenant_role: identity.tenantRole,
      fid: refresh.familyId,
    });
    return {
      access_token: token,
      refresh_token: refresh.token,
      token_type: 'Bearer',
      expires_in: this.tokens.accessTtlSeconds,
    };
  }

  async login(em: EntityManager, identity: IdentityRecord): Promise<LoginResult> {
    await em.nativeUpdate(User, { id: identity.id }, { lastLoginAt: this.now() });
    return { ...(await this.issueTokens(identity)), must_change_password: identity.mustChangePassword };
  }

  async refresh(em: EntityManager, refreshToken: string): Promise<LoginResult> {
    const { userId, familyId } = await this.tokens.useRefreshToken(refreshToken);
    const identity = await findIdentityById(em, userId);
    if (!identity || !isActiveIdentity(identity)) {
      await this.tokens.revokeFamily(familyId, userId);
      throw new AppError('UNAUTHENTICATED', 'account is disabled');
    }
    return { ...(await this.issueTokens(identity, familyId)), must_change_password: identity.mustChangePassword };
  }

  async logout(user: AuthUser, refreshToken?: string): Promise<void> {
    await this.tokens.blacklistAccessToken(user.jti, user.exp);
    await this.tokens.revokeFamily(user.familyId, user.id);
    if (refreshToken) {
      const family = await this.tokens.familyOfRefreshToken(refreshToken);
      // Only the caller's own sessions: a foreign token in the body changes nothing.
      if (family && family.userId === user.id) await this.tokens.revokeFamily(family.familyId, user.id);
    }
  }

  async profile(em: EntityManager, user: AuthUser): Promise<Profile> {
    const identity = await findIdentityById(em, user.id);
    if (!identity) throw new AppError('UNAUTHENTICATED', 'account no longer exists');
    return {
      id: identity.id,
      username: identity.username,
      role: identity.role,
      tenant_id: identity.tenantId ?? 0,
      company_code: identity.companyCode,
      tenant_role: identity.tenantRole,
      display_name: identity.displayName,
      email: identity.email,
      must_change_password: identity.mustChangePassword,
      permissions: permissionsOf(identity.role, identity.tenantRole),
    };
  }

  /** Checks the old password and the policy, stores the new hash and ends the user's other sessions. */
  async changePassword(em: EntityManager, user: AuthUser, oldPassword: string, newPassword: string): Promise<void> {
    const hash = await findPasswordHash(em, user.id);
    if (!(await verifyPassword(hash, oldPassword))) {
      throw new AppError('VALIDATION_ERROR', 'old password is incorrect', {
        fields: [{ field: 'old_password', message: 'old password is incorrect' }],
      });
    }
    if (oldPassword === newPassword) {
      throw new AppError('WEAK_PASSWORD', 'the new password must differ from the old one', {
        fields: [{ field: 'new_password', message: 'must differ from the old password' }],
      });
    }
    assertPasswordPolicy(newPassword, { username: user.username, field: 'new_password' });
    await em.nativeUpdate(
      User,
      { id: user.id },
      { passwordHash: await hashPassword(newPassword), mustChangePassword: false, passwordChangedAt: this.now() },
    );
    await this.tokens.revokeAllForUser(user.id, user.familyId);
  }
}
