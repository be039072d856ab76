// POST /api/v1/agent/heartbeat. Mounted before the JSON body parser: the HMAC covers the exact bytes,
// so the body is read raw here and parsed only after the signature checks out.
import express, { Router } from 'express';
import { AGENT_SIGNATURE_HEADERS } from '@remotegpu/core/contracts';
import { sendOk } from '../../http/envelope';
import type { HeartbeatService } from './heartbeat-service';

const header = (value: string | string[] | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

export function agentRoutes(heartbeats: HeartbeatService, now: () => Date): Router {
  const router = Router();
  router.post('/heartbeat', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const result = await heartbeats
      .accept({
        method: req.method,
        path: req.originalUrl,
        headers: {
          keyId: header(req.headers[AGENT_SIGNATURE_HEADERS.keyId.toLowerCase()]),
          timestamp: header(req.headers[AGENT_SIGNATURE_HEADERS.timestamp.toLowerCase()]),
          signature: header(req.headers[AGENT_SIGNATURE_HEADERS.signature.toLowerCase()]),
        },
        rawBody,
      })
      .catch((err: unknown) => {
        // Heartbeats are not access-logged: record refusals here.
        req.log?.warn({ err: err instanceof Error ? err.message : String(err), ip: req.ip }, 'heartbeat refused');
        throw err;
      });
    sendOk(res, { accepted: true, ...result, server_time: now().toISOString() });
  });
  return router;
}
