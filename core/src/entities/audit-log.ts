import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAtColumn } from './columns';

/**
 * One mutating API request. Plain ids, no foreign keys: the record must outlive the user/tenant it names.
 * `body` is already redacted (passwords, tokens, secrets) by the audit middleware.
 */
export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_logs',
  properties: (p) => ({
    id: p.bigint('number').primary().autoincrement().generated('by default as identity'),
    userId: p.integer().nullable(),
    username: p.string().nullable(),
    tenantId: p.integer().nullable(),
    ip: p.string().nullable(),
    method: p.string(),
    path: p.text(),
    action: p.string(),
    resourceType: p.string().nullable(),
    resourceId: p.string().nullable(),
    statusCode: p.integer(),
    traceId: p.string().nullable(),
    body: p.json<unknown>().nullable(),
    createdAt: createdAtColumn(),
  }),
  indexes: [
    { name: 'audit_logs_created_at_index', properties: ['createdAt'] },
    { name: 'audit_logs_action_index', properties: ['action'] },
    { name: 'audit_logs_username_index', properties: ['username'] },
  ],
});
export type IAuditLog = InferEntity<typeof AuditLog>;
