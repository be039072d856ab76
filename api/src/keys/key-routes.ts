// /api/v1/customer/keys: list, add (validated by the core SSH key rule), delete. Adding or deleting starts
// the sync of the tenant's keys to the hosts it holds; its operation id comes back as sync_operation_id.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { audit } from '../audit/audit-context';
import { authUser, callerTenantId } from '../auth/guards';
import { sendOk } from '../http/envelope';
import { idParam } from '../http/params';
import { TenantScope } from '../tenancy/tenant-scope';
import type { KeyService } from './key-service';
import type { KeySyncStarter } from './key-sync';

export const addKeyBody = z.strictObject({
  name: z.string().trim().max(100).optional(),
  public_key: z.string().min(1).max(16_384),
});

const scopeOf = (req: Request) => new TenantScope(req.em, callerTenantId(req));

export function keyRoutes(service: KeyService, sync: KeySyncStarter): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    sendOk(res, await service.list(scopeOf(req), authUser(req)));
  });

  router.post('/', async (req, res) => {
    audit(res, { action: 'ssh_key.create', resourceType: 'ssh_key' });
    const caller = authUser(req);
    const scope = scopeOf(req);
    const key = await service.add(scope, caller, addKeyBody.parse(req.body));
    audit(res, { resourceId: key.id });
    const syncOperationId = await sync.start(req.em, { tenantId: scope.tenantId, requestedBy: caller.id });
    sendOk(res, { ...key, sync_operation_id: syncOperationId }, 201);
  });

  router.delete('/:id', async (req, res) => {
    audit(res, { action: 'ssh_key.delete', resourceType: 'ssh_key' });
    const caller = authUser(req);
    const scope = scopeOf(req);
    const revoked = await service.remove(scope, caller, idParam(req, 'ssh key'));
    const syncOperationId = await sync.start(req.em, {
      tenantId: scope.tenantId,
      requestedBy: caller.id,
      revokedPublicKeys: [revoked],
    });
    sendOk(res, { sync_operation_id: syncOperationId });
  });

  return router;
}
