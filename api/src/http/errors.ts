// One error type for the whole API: a stable string code the clients match on, and its HTTP status.
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';

export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  INVALID_SSH_KEY: 400,
  WEAK_PASSWORD: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  CONFLICT: 409,
  MACHINE_NOT_AVAILABLE: 409,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  HOST_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
  HOST_UNREACHABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }

  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', `${what} not found`);
  }
}

export function zodFieldErrors(err: ZodError): FieldError[] {
  return err.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
}

/** Maps any thrown value to the envelope; unknown errors become a 500 that leaks nothing. */
export const errorMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  const traceId = res.locals.traceId as string | undefined;
  let appError: AppError;
  if (err instanceof AppError) {
    appError = err;
  } else if (err instanceof ZodError) {
    appError = new AppError('VALIDATION_ERROR', 'request validation failed', { fields: zodFieldErrors(err) });
  } else if (isBodyParserError(err)) {
    appError =
      err.status === 413
        ? new AppError('PAYLOAD_TOO_LARGE', 'request body too large')
        : new AppError('VALIDATION_ERROR', 'malformed request body');
  } else {
    req.log?.error({ err }, 'unhandled error');
    appError = new AppError('INTERNAL_ERROR', 'internal server error');
  }
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(appError.headers ?? {})) res.setHeader(name, value);
  res.status(appError.status).json({
    code: appError.code,
    msg: appError.message,
    data: appError.details ?? null,
    traceId,
  });
};

/** body-parser's own errors (bad JSON, too large) carry `type` and a 4xx `status`. */
function isBodyParserError(err: unknown): err is { status: number; type: string } {
  if (typeof err !== 'object' || err === null || !('type' in err)) return false;
  const status = (err as { status?: unknown }).status;
  return status === 400 || status === 413;
}
