// GET /api/v1/admin/monitoring/realtime: the fleet snapshot (Redis-cached for 30 s).
import { Router } from 'express';
import { sendOk } from '../../http/envelope';
import type { FleetSnapshotService } from './fleet-snapshot';

export function monitoringRoutes(snapshots: FleetSnapshotService): Router {
  const router = Router();
  router.get('/realtime', async (_req, res) => {
    sendOk(res, await snapshots.realtime());
  });
  return router;
}
