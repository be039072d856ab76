import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { AGENT_CREDENTIAL_STATUSES } from '../enums';
import { createdAtColumn } from './columns';
import { Machine } from './machine';

/**
 * A host agent's HMAC key. `secretHash` (sha256 hex) identifies/compares; `secretEncrypted`
 * (rules/secret-box, AES-256-GCM) is what the API decrypts to verify signatures — HMAC needs the secret.
 */
export const AgentCredential = defineEntity({
  name: 'AgentCredential',
  tableName: 'agent_credentials',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    machine: p.manyToOne(Machine).ref().deleteRule('cascade'),
    keyId: p.string().unique(),
    secretHash: p.string().hidden(),
    secretEncrypted: p.text().hidden(),
    status: p.enum([...AGENT_CREDENTIAL_STATUSES]).default('active'),
    createdAt: createdAtColumn(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  }),
  indexes: [{ name: 'agent_credentials_machine_id_index', properties: ['machine'] }],
});
export type IAgentCredential = InferEntity<typeof AgentCredential>;
