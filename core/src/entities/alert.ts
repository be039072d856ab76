import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { ALERT_SEVERITIES, ALERT_STATUSES } from '../enums';
import { createdAtColumn, nowOnCreateColumn, updatedAtColumn } from './columns';
import { Machine } from './machine';
import { User } from './user';

/**
 * An alert about a machine. Repeats raise `count`/`lastSeenAt` of the open alert: one not-resolved alert per
 * (machine, kind) — partial unique index `alerts_one_open_per_machine_kind`.
 */
export const Alert = defineEntity({
  name: 'Alert',
  tableName: 'alerts',
  properties: (p) => ({
    id: p.integer().primary().autoincrement().generated('by default as identity'),
    machine: p.manyToOne(Machine).ref().nullable().deleteRule('cascade'),
    kind: p.string(),
    severity: p.enum([...ALERT_SEVERITIES]).default('warning'),
    status: p.enum([...ALERT_STATUSES]).default('active'),
    message: p.text(),
    details: p.json<Record<string, unknown>>().default('{}'),
    firstSeenAt: nowOnCreateColumn(),
    lastSeenAt: nowOnCreateColumn(),
    count: p.integer().default(1),
    acknowledgedBy: p.manyToOne(User).ref().nullable().fieldName('acknowledged_by').deleteRule('set null'),
    acknowledgedAt: p.datetime().nullable(),
    resolvedAt: p.datetime().nullable(),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  }),
  uniques: [
    {
      name: 'alerts_one_open_per_machine_kind',
      expression: `create unique index "alerts_one_open_per_machine_kind" on "alerts" ("machine_id", "kind") where "status" <> 'resolved'`,
    },
  ],
  checks: [{ name: 'alerts_count_check', expression: '"count" >= 1' }],
  indexes: [{ name: 'alerts_status_severity_index', properties: ['status', 'severity'] }],
});
export type IAlert = InferEntity<typeof Alert>;
