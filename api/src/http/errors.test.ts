import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { AppError, errorMiddleware } from './errors';

function run(err: unknown) {
  const res = {
    locals: { traceId: 'trace-1' },
    headersSent: false,
    statusCode: 0,
    headers: {} as Record<string, string>,
    body: undefined as unknown,
    setHeader(name: string, value: string) {
      this.headers[name] = value;
    },
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json(body: unknown) {
      this.body = body;
      return this;
    },
  };
  const logged: unknown[] = [];
  const req = { log: { error: (...args: unknown[]) => logged.push(args) } };
  errorMiddleware(err, req as unknown as Request, res as unknown as Response, (() => {}) as NextFunction);
  return { res, logged };
}

describe('errorMiddleware', () => {
  it('renders an AppError with its status, code, details and headers', () => {
    const { res } = run(new AppError('RATE_LIMITED', 'slow down', { retry_after: 7 }, { 'Retry-After': '7' }));
    expect(res.statusCode).toBe(429);
    expect(res.headers).toEqual({ 'Retry-After': '7' });
    expect(res.body).toEqual({ code: 'RATE_LIMITED', msg: 'slow down', data: { retry_after: 7 }, traceId: 'trace-1' });
  });

  it('turns a zod error into 400 VALIDATION_ERROR with one entry per field', () => {
    const parsed = z
      .object({ name: z.string().min(1), owner: z.object({ age: z.number() }) })
      .safeParse({ name: '', owner: {} });
    const { res } = run(parsed.error);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      data: { fields: [{ field: 'name' }, { field: 'owner.age' }] },
    });
  });

  it('hides the details of unknown errors behind a 500 and logs them', () => {
    const { res, logged } = run(new Error('connection string postgres://user:secret@db failed'));
    expect(res.statusCode).toBe(500);
    expect(res.body).toEqual({ code: 'INTERNAL_ERROR', msg: 'internal server error', data: null, traceId: 'trace-1' });
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(logged).toHaveLength(1);
  });

  it('maps body-parser failures to 400 and 413', () => {
    expect(
      run(Object.assign(new Error('Unexpected token'), { type: 'entity.parse.failed', status: 400 })).res.statusCode,
    ).toBe(400);
    const tooLarge = run(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413 })).res;
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('gives every code a stable HTTP status', () => {
    expect(new AppError('PASSWORD_CHANGE_REQUIRED', 'x').status).toBe(403);
    expect(new AppError('TOKEN_EXPIRED', 'x').status).toBe(401);
    expect(new AppError('HOST_UNREACHABLE', 'x').status).toBe(503);
    expect(new AppError('UNPROCESSABLE', 'x').status).toBe(422);
    expect(AppError.notFound('machine')).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      message: 'machine not found',
    });
  });
});
