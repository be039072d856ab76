// GET /api/v1/admin/alerts, POST /admin/alerts/:id/acknowledge, POST /admin/alerts/:id/resolve.
import { Router } from 'express';
import { authUser } from '../../auth/guards';
import { sendOk } from '../../http/envelope';
import { idParam } from '../../http/params';
import { alertListQuery, type AlertService } from './alert-service';

export function alertRoutes(alerts: AlertService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    sendOk(res, await alerts.list(req.em, alertListQuery.parse(req.query)));
  });
  router.post('/:id/acknowledge', async (req, res) => {
    sendOk(res, await alerts.acknowledge(req.em, idParam(req, 'alert'), authUser(req).id));
  });
  router.post('/:id/resolve', async (req, res) => {
    sendOk(res, await alerts.resolve(req.em, idParam(req, 'alert')));
  });
  return router;
}
