import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, firstValueFrom, map } from 'rxjs';
import { ApiEnvelope, Page, QueryValue, toQueryParams } from './api-envelope';
import { requestContext } from './http-context';

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** no global error snackbar: the caller shows the error */
  silent?: boolean;
  skipAuth?: boolean;
}

/**
 * Typed client of /api/v1. The envelope interceptor has already turned non-zero codes and HTTP errors into
 * ApiError, so here a response is always a successful envelope and only `data` is returned.
 */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);
  readonly base = '/api/v1';

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.unwrap(
      this.http.get<ApiEnvelope<T>>(this.base + path, {
        params: toQueryParams(options.query ?? {}),
        context: requestContext(options),
      }),
    );
  }

  page<T>(path: string, query: Record<string, QueryValue>, options: RequestOptions = {}): Promise<Page<T>> {
    return this.get<Page<T>>(path, { ...options, query });
  }

  post<T = unknown>(path: string, body: unknown = {}, options: RequestOptions = {}): Promise<T> {
    return this.unwrap(
      this.http.post<ApiEnvelope<T>>(this.base + path, body, {
        params: toQueryParams(options.query ?? {}),
        context: requestContext(options),
      }),
    );
  }

  put<T = unknown>(path: string, body: unknown = {}, options: RequestOptions = {}): Promise<T> {
    return this.unwrap(this.http.put<ApiEnvelope<T>>(this.base + path, body, { context: requestContext(options) }));
  }

  delete<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.unwrap(this.http.delete<ApiEnvelope<T>>(this.base + path, { context: requestContext(options) }));
  }

  private unwrap<T>(request: Observable<ApiEnvelope<T>>): Promise<T> {
    return firstValueFrom(request.pipe(map((envelope) => envelope.data)));
  }
}
