import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { REMOTE_PROTOCOLS, REMOTE_SESSION_STATUSES } from '../enums';
import { createdAtColumn, nowOnCreateColumn } from './columns';
import { Machine } from './machine';
import { Tenant } from './tenant';
import { User } from './user';

/**
 * A browser terminal / desktop session. One active session per (user, machine, protocol):
 * partial unique index `remote_sessions_one_active`.
 */
export const RemoteSession = defineEntity({
  name: 'RemoteSession',
  tableName: 'remote_sessions',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    machine: p.manyToOne(Machine).ref().deleteRule('cascade'),
    user: p.manyToOne(User).ref().deleteRule('cascade'),
    tenant: p.manyToOne(Tenant).ref().nullable().deleteRule('set null'),
    protocol: p.enum([...REMOTE_PROTOCOLS]),
    status: p.enum([...REMOTE_SESSION_STATUSES]).default('active'),
    sourceIp: p.string().nullable(),
    startedAt: nowOnCreateColumn(),
    lastActivityAt: p.datetime().nullable(),
    endedAt: p.datetime().nullable(),
    durationSec: p.integer().nullable(),
    closeReason: p.string().nullable(),
    /** Object key of the asciicast recording (terminal sessions). */
    recordingPath: p.text().nullable(),
    createdAt: createdAtColumn(),
  }),
  uniques: [
    {
      name: 'remote_sessions_one_active',
      expression: `create unique index "remote_sessions_one_active" on "remote_sessions" ("user_id", "machine_id", "protocol") where "status" = 'active'`,
    },
  ],
  indexes: [
    { name: 'remote_sessions_machine_id_index', properties: ['machine'] },
    { name: 'remote_sessions_user_id_index', properties: ['user'] },
  ],
});
export type IRemoteSession = InferEntity<typeof RemoteSession>;
