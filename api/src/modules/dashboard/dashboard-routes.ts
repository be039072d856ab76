// GET /api/v1/admin/dashboard/stats and /admin/dashboard/gpu-trend?range=1h|24h|7d|30d&step=.
import { Router } from 'express';
import { sendOk } from '../../http/envelope';
import { dashboardStats, gpuTrend, trendQuery, trendWindow } from './dashboard-service';

export function dashboardRoutes(now: () => Date): Router {
  const router = Router();
  router.get('/stats', async (req, res) => {
    sendOk(res, await dashboardStats(req.em));
  });
  router.get('/gpu-trend', async (req, res) => {
    const query = trendQuery.parse(req.query);
    sendOk(res, await gpuTrend(req.em, trendWindow(query.range, query.step, now())));
  });
  return router;
}
