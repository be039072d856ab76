// The response envelope of every endpoint: `{ code, msg, data, traceId }`, code 0 = ok.
import type { Response } from 'express';

export interface Envelope<T> {
  code: 0 | string;
  msg: string;
  data: T;
  traceId: string;
}

export function sendOk<T>(res: Response, data: T, status = 200): void {
  res.status(status).json({ code: 0, msg: 'ok', data, traceId: res.locals.traceId as string } satisfies Envelope<T>);
}

export interface Page<T> {
  list: T[];
  total: number;
  page: number;
  page_size: number;
}
