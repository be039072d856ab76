// /api/v1/customer/keys: list, add (validated by the core SSH key rule), delete.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { audit } from '../audit/audit-context';
import { authUser, callerTenantId } from '../auth/guards';
import { sendOk } from '../http/envelope';
import { idParam } from '../http/params';
import { TenantScope } from '../tenancy/tenant-scope';
import type { KeyService } from './key-service';

export const addKeyBody = z.object({
  name: z.string().trim().max(100).optional(),
  public_key: z.string().min(1).max(16_384),
});

const scopeOf = (req: Request) => new TenantScope(req.em, callerTenantId(req));

export function keyRoutes(service: KeyService): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    sendOk(res, await service.list(scopeOf(req), authUser(req)));
  });

  router.post('/', async (req, res) => {
    audit(res, { action: 'ssh_key.create', resourceType: 'ssh_key' });
    const key = await service.add(scopeOf(req), authUser(req), addKeyBody.parse(req.body));
    audit(res, { resourceId: key.id });
    sendOk(res, key, 201);
  });

  router.delete('/:id', async (req, res) => {
    audit(res, { action: 'ssh_key.delete', resourceType: 'ssh_key' });
    await service.remove(scopeOf(req), authUser(req), idParam(req, 'ssh key'));
    sendOk(res, null);
  });

  return router;
}
