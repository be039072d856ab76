// Customers' SSH public keys. Members see and delete their own keys; the owner sees and deletes every
// key of the tenant. All access goes through the TenantScope, so other tenants' keys are not found.
import { SshKey, User } from '@remotegpu/core';
import type { AuthUser } from '../auth/auth-user';
import { conflictOnDuplicate } from '../http/db-errors';
import { AppError } from '../http/errors';
import type { TenantScope } from '../tenancy/tenant-scope';
import { parsePublicKeyOrThrow } from './ssh-key-rule';

export interface SshKeyView {
  id: number;
  name: string;
  key_type: string;
  fingerprint: string;
  public_key: string;
  user_id: number;
  username: string;
  created_at: string;
}

type KeyRow = {
  id: number;
  name: string;
  keyType: string;
  fingerprint: string;
  publicKey: string;
  user: { id: number; username?: string };
  createdAt: Date;
};

function toView(k: KeyRow, username: string): SshKeyView {
  return {
    id: k.id,
    name: k.name,
    key_type: k.keyType,
    fingerprint: k.fingerprint,
    public_key: k.publicKey,
    user_id: k.user.id,
    username,
    created_at: k.createdAt.toISOString(),
  };
}

const isOwner = (caller: AuthUser) => caller.tenantRole === 'owner';

export class KeyService {
  async list(scope: TenantScope, caller: AuthUser): Promise<SshKeyView[]> {
    const keys = (await scope.find(SshKey, isOwner(caller) ? {} : { user: caller.id }, {
      populate: ['user'],
      orderBy: { id: 'asc' },
    })) as unknown as KeyRow[];
    // `user` is a populated Ref: unwrap it for the username.
    return keys.map((k) => toView(k, (k.user as unknown as { unwrap(): { username: string } }).unwrap().username));
  }

  async add(scope: TenantScope, caller: AuthUser, input: { name?: string; public_key: string }): Promise<SshKeyView> {
    const parsed = parsePublicKeyOrThrow(input.public_key);
    const name = input.name?.trim() || parsed.comment || parsed.fingerprint;
    if (await scope.count(SshKey, { user: caller.id, fingerprint: parsed.fingerprint })) {
      throw new AppError('CONFLICT', 'this key is already registered', { fingerprint: parsed.fingerprint });
    }
    return conflictOnDuplicate(
      async () => {
        const key = scope.em.create(SshKey, {
          user: scope.em.getReference(User, caller.id),
          tenant: scope.tenantId,
          name,
          publicKey: parsed.normalized,
          fingerprint: parsed.fingerprint,
          keyType: parsed.type,
        });
        await scope.em.flush();
        return toView(key as unknown as KeyRow, caller.username);
      },
      'this key is already registered',
      { fingerprint: parsed.fingerprint },
    );
  }

  /** Deletes the key; returns its public key line (to revoke it on the hosts). */
  async remove(scope: TenantScope, caller: AuthUser, id: number): Promise<string> {
    const where = isOwner(caller) ? { id } : { id, user: caller.id };
    const key = await scope.findOne(SshKey, where);
    if (!key) throw AppError.notFound('ssh key');
    const deleted = await scope.nativeDelete(SshKey, where);
    if (!deleted) throw AppError.notFound('ssh key');
    return key.publicKey;
  }
}
