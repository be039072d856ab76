// A trace id per request (taken from a well-formed `X-Trace-Id` header or generated), echoed in the
// response header and the envelope, and bound to every log line of the request.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export const TRACE_HEADER = 'x-trace-id';
const TRACE_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

function traceIdOf(req: IncomingMessage): string {
  const given = req.headers[TRACE_HEADER];
  return typeof given === 'string' && TRACE_ID_PATTERN.test(given) ? given : randomUUID();
}

export function requestLogging(logger: Logger): RequestHandler {
  const httpLogger = pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const traceId = traceIdOf(req);
      res.setHeader('X-Trace-Id', traceId);
      return traceId;
    },
    customAttributeKeys: { reqId: 'traceId' },
    // Probes, scrapes and agent heartbeats (~200/s on a big fleet; rejections are logged by the route) would drown the log.
    autoLogging: {
      ignore: (req) => ['/healthz', '/readyz', '/metrics', '/api/v1/agent/heartbeat'].includes(req.url ?? ''),
    },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
  return (req, res, next) => {
    httpLogger(req, res);
    res.locals.traceId = String(req.id);
    next();
  };
}
