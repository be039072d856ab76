// Alerts: list with filters, acknowledge, resolve. One open alert per (machine, kind) is enforced by the
// partial unique index; every state change is published on Redis `events:alerts` so each API process
// pushes it to its WebSocket clients.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { ALERT_SEVERITIES, ALERT_STATUSES } from '@remotegpu/core';
import { ALERT_EVENTS_CHANNEL, type AlertEvent, type AlertEventAction } from '@remotegpu/core/contracts';
import { z } from 'zod';
import type { Page } from '../../http/envelope';
import { AppError } from '../../http/errors';
import { pageWindow, pagingQuery } from '../../http/paging';
import { iso, rows, table } from '../monitoring/sql';

export const alertListQuery = pagingQuery.extend({
  severity: z.enum(ALERT_SEVERITIES).optional(),
  /** `open` = active or acknowledged. */
  status: z.enum([...ALERT_STATUSES, 'open']).optional(),
  machine_id: z.string().trim().min(1).max(128).optional(),
  kind: z.string().trim().min(1).max(64).optional(),
});
export type AlertListQuery = z.infer<typeof alertListQuery>;

interface AlertDbRow {
  id: number;
  machine_id: string | null;
  machine_name: string | null;
  kind: string;
  severity: string;
  status: string;
  message: string;
  details: Record<string, unknown> | string;
  count: number;
  first_seen_at: Date;
  last_seen_at: Date;
  acknowledged_by: number | null;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
  created_at: Date;
}

export interface AlertView {
  id: number;
  machine_id: string | null;
  machine_name: string | null;
  kind: string;
  severity: string;
  status: string;
  message: string;
  details: Record<string, unknown>;
  count: number;
  first_seen_at: string;
  last_seen_at: string;
  acknowledged_by: number | null;
  acknowledged_at: string | null;
  resolved_at: string | null;
  created_at: string;
}

function view(row: AlertDbRow): AlertView {
  return {
    id: Number(row.id),
    machine_id: row.machine_id,
    machine_name: row.machine_name ?? null,
    kind: row.kind,
    severity: row.severity,
    status: row.status,
    message: row.message,
    details: typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : row.details,
    count: Number(row.count),
    first_seen_at: iso(row.first_seen_at)!,
    last_seen_at: iso(row.last_seen_at)!,
    acknowledged_by: row.acknowledged_by === null ? null : Number(row.acknowledged_by),
    acknowledged_at: iso(row.acknowledged_at),
    resolved_at: iso(row.resolved_at),
    created_at: iso(row.created_at)!,
  };
}

const COLUMNS = `a.id, a.machine_id, m.name as machine_name, a.kind, a.severity, a.status, a.message, a.details, a.count,
  a.first_seen_at, a.last_seen_at, a.acknowledged_by, a.acknowledged_at, a.resolved_at, a.created_at`;

export class AlertService {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => Date,
  ) {}

  async list(em: EntityManager, query: AlertListQuery): Promise<Page<AlertView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.severity) {
      where.push('a.severity = ?');
      params.push(query.severity);
    }
    if (query.status === 'open') where.push(`a.status <> 'resolved'`);
    else if (query.status) {
      where.push('a.status = ?');
      params.push(query.status);
    }
    if (query.machine_id) {
      where.push('a.machine_id = ?');
      params.push(query.machine_id);
    }
    if (query.kind) {
      where.push('a.kind = ?');
      params.push(query.kind);
    }
    const whereSql = where.length ? `where ${where.join(' and ')}` : '';
    const from = `${table(em, 'alerts')} a left join ${table(em, 'machines')} m on m.id = a.machine_id`;
    const { limit, offset } = pageWindow(query);
    const [list, [{ total }]] = await Promise.all([
      rows<AlertDbRow>(
        em,
        `select ${COLUMNS} from ${from} ${whereSql}
         order by case a.status when 'active' then 0 when 'acknowledged' then 1 else 2 end, case a.severity when 'critical' then 0 when 'warning' then 1 else 2 end,
           a.last_seen_at desc, a.id desc
         limit ? offset ?`,
        [...params, limit, offset],
      ),
      rows<{ total: string }>(em, `select count(*) as total from ${from} ${whereSql}`, params),
    ]);
    return { list: list.map(view), total: Number(total), page: query.page, page_size: query.page_size };
  }

  async acknowledge(em: EntityManager, id: number, userId: number): Promise<AlertView> {
    const now = this.now();
    const changed = await rows<{ id: number }>(
      em,
      `update ${table(em, 'alerts')} set status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?, updated_at = ?
       where id = ? and status = 'active' returning id`,
      [userId, now, now, id],
    );
    const alert = await this.get(em, id);
    if (changed.length === 0) {
      if (alert.status === 'resolved') throw new AppError('CONFLICT', 'alert is already resolved');
      return alert; // already acknowledged: idempotent
    }
    await this.publish([alert], 'acknowledged');
    return alert;
  }

  async resolve(em: EntityManager, id: number): Promise<AlertView> {
    const now = this.now();
    const changed = await rows<{ id: number }>(
      em,
      `update ${table(em, 'alerts')} set status = 'resolved', resolved_at = ?, updated_at = ?
       where id = ? and status <> 'resolved' returning id`,
      [now, now, id],
    );
    const alert = await this.get(em, id);
    if (changed.length > 0) await this.publish([alert], 'resolved');
    return alert;
  }

  /** Resolves the open alerts of these kinds on a machine (e.g. host_offline when it is back). */
  async resolveForMachine(em: EntityManager, machineId: string, kinds: string[], now: Date): Promise<AlertView[]> {
    const resolved = await rows<{ id: number }>(
      em,
      `update ${table(em, 'alerts')} set status = 'resolved', resolved_at = ?, updated_at = ?
       where machine_id = ? and kind in (?) and status <> 'resolved' returning id`,
      [now, now, machineId, kinds],
    );
    if (resolved.length === 0) return [];
    const alerts = await Promise.all(resolved.map((r) => this.get(em, Number(r.id))));
    await this.publish(alerts, 'resolved');
    return alerts;
  }

  async countOpen(em: EntityManager): Promise<number> {
    const [{ n }] = await rows<{ n: string }>(
      em,
      `select count(*) as n from ${table(em, 'alerts')} where status <> 'resolved'`,
    );
    return Number(n);
  }

  private async get(em: EntityManager, id: number): Promise<AlertView> {
    const [row] = await rows<AlertDbRow>(
      em,
      `select ${COLUMNS} from ${table(em, 'alerts')} a left join ${table(em, 'machines')} m on m.id = a.machine_id
       where a.id = ?`,
      [id],
    );
    if (!row) throw AppError.notFound('alert');
    return view(row);
  }

  private async publish(alerts: AlertView[], action: AlertEventAction): Promise<void> {
    const at = this.now().toISOString();
    const pipeline = this.redis.pipeline();
    for (const a of alerts) {
      const event: AlertEvent = {
        action,
        alert: {
          id: a.id,
          machine_id: a.machine_id,
          kind: a.kind,
          severity: a.severity,
          status: a.status,
          message: a.message,
          count: a.count,
          first_seen_at: a.first_seen_at,
          last_seen_at: a.last_seen_at,
        },
        at,
      };
      pipeline.publish(ALERT_EVENTS_CHANNEL, JSON.stringify(event));
    }
    await pipeline.exec();
  }
}
