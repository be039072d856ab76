// Alerts raised by the fleet activities: one open alert per (machine, kind) — the partial unique index
// alerts_one_open_per_machine_kind — so a repeat bumps count/last_seen_at instead of adding a row. Every
// new, acknowledged or resolved alert is published on Redis `events:alerts` for the WebSocket push.
import type { EntityManager } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import { ALERT_EVENTS_CHANNEL, type AlertEvent, type AlertEventAction } from '@remotegpu/core/contracts';
import { rows, table } from './sql';

export interface AlertRow {
  id: number;
  machine_id: string | null;
  kind: string;
  severity: string;
  status: string;
  message: string;
  count: number;
  first_seen_at: Date;
  last_seen_at: Date;
}

export interface RaiseFleetAlert {
  machineId: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  details?: Record<string, unknown>;
  now: Date;
}

const RETURNING = 'id, machine_id, kind, severity, status, message, count, first_seen_at, last_seen_at';

/** Inserts the alert or bumps the open one; `created` tells which. Safe under concurrent raisers. */
export async function upsertFleetAlert(
  em: EntityManager,
  input: RaiseFleetAlert,
): Promise<{ alert: AlertRow; created: boolean }> {
  const [row] = await rows<AlertRow & { created: boolean }>(
    em,
    `insert into ${table(em, 'alerts')} as a
       (machine_id, kind, severity, status, message, details, first_seen_at, last_seen_at, count, created_at, updated_at)
     values (?, ?, ?, 'active', ?, ?::jsonb, ?, ?, 1, ?, ?)
     on conflict (machine_id, kind) where status <> 'resolved'
     do update set count = a.count + 1, last_seen_at = excluded.last_seen_at, message = excluded.message,
       severity = excluded.severity, details = excluded.details, updated_at = excluded.updated_at
     returning ${RETURNING}, (xmax = 0) as created`,
    [
      input.machineId,
      input.kind,
      input.severity,
      input.message,
      JSON.stringify(input.details ?? {}),
      input.now,
      input.now,
      input.now,
      input.now,
    ],
  );
  const { created, ...alert } = row;
  return { alert, created };
}

/** Resolves the open alerts of these kinds on a machine; returns the ones it resolved. */
export async function resolveFleetAlerts(
  em: EntityManager,
  machineId: string,
  kinds: readonly string[],
  now: Date,
): Promise<AlertRow[]> {
  if (kinds.length === 0) return [];
  return rows<AlertRow>(
    em,
    `update ${table(em, 'alerts')} set status = 'resolved', resolved_at = ?, updated_at = ?
     where machine_id = ? and kind in (?) and status <> 'resolved'
     returning ${RETURNING}`,
    [now, now, machineId, [...kinds]],
  );
}

export function alertEvent(action: AlertEventAction, alert: AlertRow, now: Date): AlertEvent {
  return {
    action,
    alert: {
      id: Number(alert.id),
      machine_id: alert.machine_id,
      kind: alert.kind,
      severity: alert.severity,
      status: alert.status,
      message: alert.message,
      count: Number(alert.count),
      first_seen_at: new Date(alert.first_seen_at).toISOString(),
      last_seen_at: new Date(alert.last_seen_at).toISOString(),
    },
    at: now.toISOString(),
  };
}

export async function publishAlertEvents(redis: Redis, events: AlertEvent[]): Promise<void> {
  if (events.length === 0) return;
  const pipeline = redis.pipeline();
  for (const event of events) pipeline.publish(ALERT_EVENTS_CHANNEL, JSON.stringify(event));
  await pipeline.exec();
}
