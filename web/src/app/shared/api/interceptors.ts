import { HttpErrorResponse, HttpInterceptorFn, HttpRequest, HttpResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, map, switchMap, throwError } from 'rxjs';
import { I18nService } from '../i18n/i18n.service';
import { Notifier } from '../ui/notifier.service';
import { ApiError, apiErrorFromBody, isEnvelope } from './api-envelope';
import { SessionEndedError, isExpiredTokenFailure } from './auth-session';
import { SILENT_ERRORS, SKIP_AUTH } from './http-context';
import { SessionService } from './session.service';

function withToken<T>(request: HttpRequest<T>, token: string): HttpRequest<T> {
  return request.clone({ setHeaders: { Authorization: `Bearer ${token}` } });
}

/**
 * Adds the bearer token. On 401 with an expired token it refreshes once (shared by concurrent requests) and
 * retries the request once; when the refresh fails, or the retry is still 401, the session ends.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (request.context.get(SKIP_AUTH)) return next(request);
  const session = inject(SessionService);
  const token = session.accessToken();
  return next(token ? withToken(request, token) : request).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
      const code = isEnvelope(error.error) ? error.error.code : undefined;
      if (error.status === 403 && code === 'PASSWORD_CHANGE_REQUIRED') {
        session.requirePasswordChange();
        return throwError(() => error);
      }
      if (error.status !== 401) return throwError(() => error);
      if (!isExpiredTokenFailure(error.status, code, token, Date.now())) {
        if (token) session.endSession();
        return throwError(() => error);
      }
      return from(session.refresher.refresh()).pipe(
        switchMap((fresh) => next(withToken(request, fresh))),
        catchError((retryError: unknown) => {
          if (
            retryError instanceof SessionEndedError ||
            (retryError instanceof HttpErrorResponse && retryError.status === 401)
          ) {
            session.endSession();
            return throwError(() => new SessionEndedError('refresh did not help'));
          }
          return throwError(() => retryError);
        }),
      );
    }),
  );
};

/**
 * Turns every failure into an ApiError carrying the API's msg, and shows it in a snackbar unless the request
 * is marked SILENT_ERRORS. A 2xx envelope with a non-zero code is a failure too.
 */
export const envelopeInterceptor: HttpInterceptorFn = (request, next) => {
  const notifier = inject(Notifier);
  const i18n = inject(I18nService);
  const silent = request.context.get(SILENT_ERRORS);
  return next(request).pipe(
    map((event) => {
      if (event instanceof HttpResponse && isEnvelope(event.body) && event.body.code !== 0) {
        throw apiErrorFromBody(event.status, event.body);
      }
      return event;
    }),
    catchError((error: unknown) => {
      if (error instanceof SessionEndedError) return throwError(() => error);
      let apiError: ApiError;
      if (error instanceof ApiError) apiError = error;
      else if (error instanceof HttpErrorResponse) {
        apiError =
          error.status === 0
            ? new ApiError(i18n.t('error.network'), 0, 'NETWORK_ERROR')
            : apiErrorFromBody(error.status, error.error);
      } else apiError = new ApiError(String(error), 0, 'CLIENT_ERROR');
      if (!silent) notifier.error(apiError.message, apiError.traceId);
      return throwError(() => apiError);
    }),
  );
};
