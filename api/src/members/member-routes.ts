// /api/v1/customer/members: every tenant user may list; only the owner creates, edits, deletes.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { USER_STATUSES } from '@remotegpu/core';
import { audit } from '../audit/audit-context';
import { authUser, callerTenantId, type Guards } from '../auth/guards';
import { usernameSchema } from '../customers/customer-routes';
import { sendOk } from '../http/envelope';
import { pagingQuery } from '../http/paging';
import { idParam } from '../http/params';
import { TenantScope } from '../tenancy/tenant-scope';
import type { KeySyncStarter } from '../keys/key-sync';
import type { MemberService } from './member-service';

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const createMemberBody = z.strictObject({
  username: usernameSchema,
  password: z.string().min(1).max(256),
  display_name: optionalText(100),
  email: z.email().nullable().optional(),
  phone: optionalText(50),
});

export const updateMemberBody = z
  .object({
    display_name: optionalText(100),
    email: z.email().nullable().optional(),
    phone: optionalText(50),
    status: z.enum(USER_STATUSES).optional(),
  })
  .strict();

const scopeOf = (req: Request) => new TenantScope(req.em, callerTenantId(req));

export function memberRoutes(service: MemberService, guards: Guards, sync: KeySyncStarter): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    sendOk(res, await service.list(scopeOf(req), pagingQuery.parse(req.query)));
  });

  router.post('/', guards.requireOwner, async (req, res) => {
    audit(res, { action: 'member.create', resourceType: 'user' });
    const member = await service.create(scopeOf(req), createMemberBody.parse(req.body));
    audit(res, { resourceId: member.id });
    sendOk(res, member, 201);
  });

  router.put('/:id', guards.requireOwner, async (req, res) => {
    audit(res, { action: 'member.update', resourceType: 'user' });
    const id = idParam(req, 'member');
    const body = updateMemberBody.parse(req.body);
    const scope = scopeOf(req);
    const member = await service.update(scope, authUser(req).id, id, body);
    // A disabled member's keys leave the tenant's hosts; re-enabled, they are installed again.
    const syncOperationId =
      body.status === undefined
        ? null
        : await sync.start(req.em, {
            tenantId: scope.tenantId,
            requestedBy: authUser(req).id,
            revokedPublicKeys: body.status === 'disabled' ? await service.keyLines(scope, id) : [],
          });
    sendOk(res, { ...member, sync_operation_id: syncOperationId });
  });

  router.delete('/:id', guards.requireOwner, async (req, res) => {
    audit(res, { action: 'member.delete', resourceType: 'user' });
    await service.remove(scopeOf(req), authUser(req).id, idParam(req, 'member'));
    sendOk(res, null);
  });

  return router;
}
