import { HttpContext, HttpContextToken } from '@angular/common/http';

/** Request goes out without the bearer token and is never retried after a refresh (login, refresh). */
export const SKIP_AUTH = new HttpContextToken<boolean>(() => false);
/** The caller shows the error itself: no global snackbar. */
export const SILENT_ERRORS = new HttpContextToken<boolean>(() => false);

export function requestContext(options: { skipAuth?: boolean; silent?: boolean } = {}): HttpContext {
  const context = new HttpContext();
  if (options.skipAuth) context.set(SKIP_AUTH, true);
  if (options.silent) context.set(SILENT_ERRORS, true);
  return context;
}
