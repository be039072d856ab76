// POST /api/v1/admin/machines/:id/agent-credentials (admin): issue or rotate a machine's agent key.
import { Router } from 'express';
import { audit } from '../audit/audit-context';
import { sendOk } from '../http/envelope';
import type { AgentCredentialService } from './agent-credential-service';

export function agentCredentialRoutes(service: AgentCredentialService): Router {
  const router = Router();
  router.post('/:id/agent-credentials', async (req, res) => {
    const machineId = String(req.params.id);
    audit(res, { action: 'agent_credential.issue', resourceType: 'machine', resourceId: machineId });
    res.setHeader('Cache-Control', 'no-store');
    sendOk(res, await service.issue(req.em, machineId), 201);
  });
  return router;
}
