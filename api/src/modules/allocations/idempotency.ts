// `Idempotency-Key` for workflow-starting requests: the first request with a key runs and its result is
// kept in Redis for a day; a repeat (same caller, same route, same body) gets that result back instead
// of a second operation/workflow. A repeat while the first still runs is 409; the same key with a
// different body is 422.
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AppError } from '../../http/errors';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const TTL_SECONDS = 24 * 60 * 60;
const keySchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, { error: 'printable ASCII only' });

interface Stored<T> {
  state: 'pending' | 'done';
  fingerprint: string;
  result?: T;
}

/** Runs `work` once per (caller, route, key); without the header it simply runs. */
export async function idempotent<T>(redis: Redis, req: Request, callerId: number, work: () => Promise<T>): Promise<T> {
  const header = req.get(IDEMPOTENCY_HEADER);
  if (header === undefined) return work();
  const parsed = keySchema.safeParse(header);
  if (!parsed.success) {
    throw new AppError('VALIDATION_ERROR', 'invalid Idempotency-Key header', {
      fields: [{ field: 'Idempotency-Key', message: parsed.error.issues[0]?.message ?? 'invalid' }],
    });
  }
  const route = `${req.method} ${req.baseUrl}${req.path}`;
  const redisKey = `rg:idempotency:${callerId}:${createHash('sha256').update(`${route}\n${parsed.data}`).digest('hex')}`;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(req.body ?? null))
    .digest('hex');

  const pending: Stored<T> = { state: 'pending', fingerprint };
  const claimed = await redis.set(redisKey, JSON.stringify(pending), 'EX', TTL_SECONDS, 'NX');
  if (claimed !== 'OK') {
    const raw = await redis.get(redisKey);
    const stored = raw ? (JSON.parse(raw) as Stored<T>) : null;
    if (!stored) return idempotent(redis, req, callerId, work);
    if (stored.fingerprint !== fingerprint) {
      throw new AppError('UNPROCESSABLE', 'this Idempotency-Key was used with a different request body');
    }
    if (stored.state === 'pending') {
      throw new AppError('CONFLICT', 'a request with this Idempotency-Key is still being processed', {
        reason: 'idempotency_in_progress',
      });
    }
    return stored.result as T;
  }
  try {
    const result = await work();
    const done: Stored<T> = { state: 'done', fingerprint, result };
    await redis.set(redisKey, JSON.stringify(done), 'EX', TTL_SECONDS);
    return result;
  } catch (err) {
    // A failed request did nothing durable (or undid it): the key may be used again.
    await redis.del(redisKey);
    throw err;
  }
}
