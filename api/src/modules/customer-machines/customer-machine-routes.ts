// /api/v1/customer/machines (customers, tenant-scoped): list, one machine, its connection details and
// the owner's SSH reset.
import { Router, type Request } from 'express';
import { audit } from '../../audit/audit-context';
import { authUser, callerTenantId, type Guards } from '../../auth/guards';
import { sendOk } from '../../http/envelope';
import { TenantScope } from '../../tenancy/tenant-scope';
import { machineIdParam } from '../machines/machine-routes';
import type { CustomerMachineService } from './customer-machine-service';

const scopeOf = (req: Request) => new TenantScope(req.em, callerTenantId(req));

export function customerMachineRoutes(service: CustomerMachineService, guards: Guards): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    sendOk(res, await service.list(scopeOf(req)));
  });

  router.get('/:id', async (req, res) => {
    sendOk(res, await service.get(scopeOf(req), machineIdParam(req.params.id)));
  });

  router.get('/:id/connection', async (req, res) => {
    sendOk(res, await service.connection(scopeOf(req), machineIdParam(req.params.id)));
  });

  router.post('/:id/ssh-reset', guards.requireOwner, async (req, res) => {
    const machineId = machineIdParam(req.params.id);
    audit(res, { action: 'machine.ssh_reset', resourceType: 'machine', resourceId: machineId });
    res.setHeader('Cache-Control', 'no-store');
    sendOk(res, await service.sshReset(scopeOf(req), machineId, authUser(req).id));
  });

  return router;
}
