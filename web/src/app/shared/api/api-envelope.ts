// The API wraps every response in { code, msg, data, traceId } (code 0 = ok). These helpers are
// framework-free so they can be unit-tested without Angular.

export interface ApiEnvelope<T> {
  code: number | string;
  msg: string;
  data: T;
  traceId?: string;
}

/** Paged list shape of every list endpoint. */
export interface Page<T> {
  list: T[];
  total: number;
  page: number;
  page_size: number;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: number | string,
    readonly traceId?: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isEnvelope(body: unknown): body is ApiEnvelope<unknown> {
  return isRecord(body) && 'code' in body && ('data' in body || 'msg' in body);
}

/** Returns `data` of a successful envelope; throws ApiError for a non-zero code or a body that is not an envelope. */
export function unwrapEnvelope<T>(body: unknown, status = 200): T {
  if (!isEnvelope(body)) throw new ApiError('Unexpected response from the server', status, 'BAD_RESPONSE');
  if (body.code !== 0 && body.code !== '0') throw apiErrorFromBody(status, body);
  return body.data as T;
}

/** Builds an ApiError from an error response body (an envelope when the API produced it, anything otherwise). */
export function apiErrorFromBody(status: number, body: unknown): ApiError {
  if (isEnvelope(body)) {
    const msg = typeof body.msg === 'string' && body.msg ? body.msg : `HTTP ${status}`;
    return new ApiError(msg, status, body.code, body.traceId, body.data);
  }
  if (isRecord(body) && typeof body['message'] === 'string') {
    return new ApiError(body['message'], status, typeof body['code'] === 'string' ? body['code'] : status);
  }
  if (status === 0) return new ApiError('Network error: the server cannot be reached', 0, 'NETWORK_ERROR');
  return new ApiError(`HTTP ${status}`, status, status);
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** Drops empty values so optional filters are not sent; arrays become comma-separated lists. */
export function toQueryParams(query: Record<string, QueryValue>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params[key] = value.join(',');
      continue;
    }
    params[key] = String(value);
  }
  return params;
}

/** An empty page, for lists that failed to load. */
export function emptyPage<T>(page = 1, pageSize = 20): Page<T> {
  return { list: [], total: 0, page, page_size: pageSize };
}

/** Some list endpoints return a bare array, others a page: accept both. */
export function listOf<T>(data: readonly T[] | Page<T> | null | undefined): T[] {
  if (!data) return [];
  return Array.isArray(data) ? [...data] : [...(data as Page<T>).list];
}
