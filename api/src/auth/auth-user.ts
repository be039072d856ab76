// The authenticated caller attached to req.user by the JWT strategy, and its permissions.
import type { TenantRole, UserRole } from '@remotegpu/core';

export interface AuthUser {
  id: number;
  username: string;
  role: UserRole;
  tenantId: number | null;
  companyCode: string | null;
  tenantRole: TenantRole | null;
  mustChangePassword: boolean;
  /** The access token's id and expiry (unix seconds), for logout. */
  jti: string;
  exp: number;
  /** Refresh-token family of the session. */
  familyId: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // Passport types req.user as Express.User; ours is AuthUser.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AuthUser {}
  }
}

const ADMIN_PERMISSIONS = [
  'machine:read',
  'machine:write',
  'allocation:manage',
  'customer:manage',
  'user:manage',
  'audit:read',
  'monitoring:read',
  'alert:manage',
  'agent:manage',
];
const MEMBER_PERMISSIONS = [
  'machine:read',
  'ssh_key:manage',
  'dataset:read',
  'dataset:write',
  'task:read',
  'task:write',
];
const OWNER_PERMISSIONS = [...MEMBER_PERMISSIONS, 'member:manage', 'ssh_key:manage_tenant'];

export function permissionsOf(role: UserRole, tenantRole: TenantRole | null): string[] {
  if (role === 'admin') return [...ADMIN_PERMISSIONS];
  return tenantRole === 'owner' ? [...OWNER_PERMISSIONS] : [...MEMBER_PERMISSIONS];
}
