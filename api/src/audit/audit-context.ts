// What a route tells the audit middleware about the request it handled: the action name, the
// resource it touched and, for login, who the actor was (there is no req.user yet).
import type { Response } from 'express';

export interface AuditActor {
  id: number | null;
  username: string | null;
  tenantId: number | null;
}

export interface AuditContext {
  action?: string;
  resourceType?: string;
  resourceId?: string | number | null;
  actor?: AuditActor;
}

export function audit(res: Response, context: AuditContext): void {
  res.locals.audit = { ...(res.locals.audit as AuditContext | undefined), ...context };
}

export function auditContextOf(res: Response): AuditContext {
  return (res.locals.audit as AuditContext | undefined) ?? {};
}
