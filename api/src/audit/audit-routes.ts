// GET /api/v1/admin/audit/logs: filtered, paged, newest first.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Router } from 'express';
import { z } from 'zod';
import { AuditLog } from '@remotegpu/core';
import { sendOk, type Page } from '../http/envelope';
import { pageWindow, pagingQuery } from '../http/paging';

export const auditQuery = pagingQuery
  .extend({
    action: z.string().trim().min(1).max(100).optional(),
    resource_type: z.string().trim().min(1).max(100).optional(),
    resource_id: z.string().trim().min(1).max(100).optional(),
    username: z.string().trim().min(1).max(64).optional(),
    user_id: z.coerce.number().int().positive().optional(),
    tenant_id: z.coerce.number().int().positive().optional(),
    trace_id: z.string().trim().min(1).max(128).optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], error: 'must not be before from' });

export interface AuditLogView {
  id: number;
  user_id: number | null;
  username: string | null;
  tenant_id: number | null;
  ip: string | null;
  method: string;
  path: string;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  status_code: number;
  trace_id: string | null;
  body: unknown;
  created_at: string;
}

type AuditRow = {
  id: number;
  userId?: number | null;
  username?: string | null;
  tenantId?: number | null;
  ip?: string | null;
  method: string;
  path: string;
  action: string;
  resourceType?: string | null;
  resourceId?: string | null;
  statusCode: number;
  traceId?: string | null;
  body?: unknown;
  createdAt: Date;
};

export async function queryAuditLogs(em: EntityManager, q: z.infer<typeof auditQuery>): Promise<Page<AuditLogView>> {
  const where: Record<string, unknown> = {};
  if (q.action) where.action = q.action;
  if (q.resource_type) where.resourceType = q.resource_type;
  if (q.resource_id) where.resourceId = q.resource_id;
  if (q.username) where.username = q.username;
  if (q.user_id) where.userId = q.user_id;
  if (q.tenant_id) where.tenantId = q.tenant_id;
  if (q.trace_id) where.traceId = q.trace_id;
  if (q.from || q.to) where.createdAt = { ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lte: q.to } : {}) };
  const [rows, total] = await em.findAndCount(AuditLog, where, {
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    ...pageWindow(q),
  });
  const list = (rows as unknown as AuditRow[]).map((r) => ({
    id: Number(r.id),
    user_id: r.userId ?? null,
    username: r.username ?? null,
    tenant_id: r.tenantId ?? null,
    ip: r.ip ?? null,
    method: r.method,
    path: r.path,
    action: r.action,
    resource_type: r.resourceType ?? null,
    resource_id: r.resourceId ?? null,
    status_code: r.statusCode,
    trace_id: r.traceId ?? null,
    body: r.body ?? null,
    created_at: r.createdAt.toISOString(),
  }));
  return { list, total, page: q.page, page_size: q.page_size };
}

export function auditRoutes(): Router {
  const router = Router();
  router.get('/logs', async (req, res) => {
    sendOk(res, await queryAuditLogs(req.em, auditQuery.parse(req.query)));
  });
  return router;
}
