// GET /api/v1/operations/:id for every signed-in user (issue #4, outcome 5): admins see any operation
// (the same view as /admin/operations/:id); a customer sees only its tenant's operations — anything else,
// including another tenant's, is 404 so ids of other tenants cannot be probed.
import { Router } from 'express';
import { authUser, callerTenantId, type Guards } from '../../auth/guards';
import { sendOk } from '../../http/envelope';
import { operationIdParam, type OperationService } from './operation-routes';
import type { OperationView } from './operation-repository';

/** What a tenant sees: no links into the Temporal Web UI (an operator console) and no internal ids. */
export type CustomerOperationView = Omit<OperationView, 'temporal_url' | 'workflow_id' | 'run_id' | 'requested_by'>;

export function toCustomerOperationView(view: OperationView): CustomerOperationView {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { temporal_url, workflow_id, run_id, requested_by, ...visible } = view;
  return visible;
}

/** Mounted on /api/v1/operations. */
export function customerOperationRoutes(service: OperationService, guards: Pick<Guards, 'requireAuth'>): Router {
  const router = Router();
  router.use(guards.requireAuth);

  router.get('/:id', async (req, res) => {
    const id = operationIdParam(req.params.id);
    if (authUser(req).role === 'admin') {
      sendOk(res, await service.get(req.em, id));
      return;
    }
    sendOk(res, toCustomerOperationView(await service.get(req.em, id, callerTenantId(req))));
  });

  return router;
}
