import type { Request } from 'express';
import { AppError } from './errors';

/** A positive integer route id; anything else cannot name a row, so it is not found. */
export function idParam(req: Request, what: string, name = 'id'): number {
  const raw = req.params[name];
  const id = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw AppError.notFound(what);
  return id;
}
