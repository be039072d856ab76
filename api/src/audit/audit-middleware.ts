// Every mutating API request is written to audit_logs after the response has finished, from its
// own EntityManager; a failure to write is logged and never affects the response.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { RequiredEntityData } from '@mikro-orm/core';
import { AuditLog, type IAuditLog } from '@remotegpu/core';
import { auditContextOf } from './audit-context';
import { redact } from './redact';

const AUDITED_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** High-volume machine traffic, authenticated by signature, not by a user. */
const EXEMPT_PATHS = new Set(['/api/v1/agent/heartbeat']);

const ID_SEGMENT = /^(\d+|[0-9a-f]{8}-[0-9a-f-]{27}|:.*)$/i;

function routePattern(req: Request): string {
  return req.route?.path && req.baseUrl ? `${req.baseUrl}${String(req.route.path)}` : req.originalUrl.split('?')[0];
}

/** `POST /api/v1/admin/customers/:id/disable` → `admin.customers.disable` when a route names nothing. */
function defaultAction(req: Request): string {
  const parts = routePattern(req)
    .replace(/^\/api\/v\d+\//, '')
    .split('/')
    .filter((p) => p && !ID_SEGMENT.test(p));
  return `${parts.join('.')}.${req.method.toLowerCase()}`;
}

function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0);
}

function auditRow(req: Request, res: Response): RequiredEntityData<IAuditLog> {
  const context = auditContextOf(res);
  const user = req.user;
  const actor = context.actor ?? {
    id: user?.id ?? null,
    username: user?.username ?? null,
    tenantId: user?.tenantId ?? null,
  };
  const resourceId = context.resourceId ?? req.params?.id ?? null;
  return {
    userId: actor.id,
    username: actor.username?.slice(0, 255) ?? null,
    tenantId: actor.tenantId,
    ip: req.ip ?? null,
    method: req.method,
    path: req.originalUrl.split('?')[0].slice(0, 1000),
    action: context.action ?? defaultAction(req),
    resourceType: context.resourceType ?? null,
    resourceId: resourceId === null ? null : String(resourceId).slice(0, 255),
    statusCode: res.statusCode,
    traceId: (res.locals.traceId as string | undefined) ?? null,
    body: isEmptyBody(req.body) ? null : redact(req.body),
    createdAt: new Date(),
  };
}

export function auditMiddleware(orm: MikroORM, logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!AUDITED_METHODS.has(req.method) || EXEMPT_PATHS.has(req.path) || !req.originalUrl.startsWith('/api/')) {
      return next();
    }
    res.on('finish', () => {
      let row: RequiredEntityData<IAuditLog>;
      try {
        row = auditRow(req, res);
      } catch (err) {
        logger.error({ err, traceId: res.locals.traceId }, 'audit: could not build the record');
        return;
      }
      orm.em
        .fork()
        .insert(AuditLog, row)
        .catch((err: unknown) =>
          logger.error({ err, traceId: row.traceId, action: row.action }, 'audit: write failed'),
        );
    });
    next();
  };
}
