import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn } from './columns';
import { Tenant } from './tenant';
import { User } from './user';

/** A customer's SSH public key, injected into the tenant's unix user on every allocated host. */
export const SshKey = defineEntity({
  name: 'SshKey',
  tableName: 'ssh_keys',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    user: p.manyToOne(User).ref().deleteRule('cascade'),
    tenant: p.manyToOne(Tenant).ref().deleteRule('cascade'),
    name: p.string(),
    /** Normalised authorized_keys line `type base64 comment` (see rules/ssh-key). */
    publicKey: p.text(),
    /** `SHA256:…` as printed by ssh-keygen -l. */
    fingerprint: p.string(),
    keyType: p.string(),
    createdAt: createdAtColumn(),
  }),
  uniques: [{ name: 'ssh_keys_user_id_fingerprint_unique', properties: ['user', 'fingerprint'] }],
  indexes: [{ name: 'ssh_keys_tenant_id_index', properties: ['tenant'] }],
});
export type ISshKey = InferEntity<typeof SshKey>;
