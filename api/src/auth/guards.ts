// Route guards: requireAuth (bearer JWT; users who must change their password get 403 except on
// the few routes that let them do so), requireAdmin, requireCustomer, requireOwner.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type passport from 'passport';
import { AppError } from '../http/errors';
import type { AuthUser } from './auth-user';
import { JwtRejection } from './passport';

export interface Guards {
  requireAuth: RequestHandler;
  /** For profile, change-password and logout: a pending password change does not block them. */
  requireAuthAllowingPasswordChange: RequestHandler;
  requireAdmin: RequestHandler;
  requireCustomer: RequestHandler;
  requireOwner: RequestHandler;
}

function rejectionError(info: unknown): AppError {
  if (info instanceof Error && info.name === 'TokenExpiredError') {
    return new AppError('TOKEN_EXPIRED', 'access token has expired');
  }
  if (info instanceof JwtRejection) {
    return info.reason === 'revoked'
      ? new AppError('TOKEN_INVALID', 'access token has been revoked')
      : new AppError('UNAUTHENTICATED', 'account is disabled');
  }
  if (info instanceof Error && info.message === 'No auth token') {
    return new AppError('UNAUTHENTICATED', 'authentication required');
  }
  return new AppError('TOKEN_INVALID', 'access token is invalid');
}

function authenticate(instance: passport.PassportStatic, allowPendingPasswordChange: boolean): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    instance.authenticate('jwt', { session: false }, (err: unknown, user: AuthUser | false, info: unknown) => {
      if (err) return next(err);
      if (!user) return next(rejectionError(info));
      req.user = user;
      if (user.mustChangePassword && !allowPendingPasswordChange) {
        return next(new AppError('PASSWORD_CHANGE_REQUIRED', 'you must change your password before continuing'));
      }
      next();
    })(req, res, next);
  };
}

export function authUser(req: Request): AuthUser {
  if (!req.user) throw new AppError('UNAUTHENTICATED', 'authentication required');
  return req.user;
}

/** The caller's tenant id; only for routes behind requireCustomer. */
export function callerTenantId(req: Request): number {
  const user = authUser(req);
  if (user.tenantId === null) throw new AppError('FORBIDDEN', 'this action needs a customer account');
  return user.tenantId;
}

export function createGuards(instance: passport.PassportStatic): Guards {
  return {
    requireAuth: authenticate(instance, false),
    requireAuthAllowingPasswordChange: authenticate(instance, true),
    requireAdmin: (req, _res, next) => {
      next(authUser(req).role === 'admin' ? undefined : new AppError('FORBIDDEN', 'administrator role required'));
    },
    requireCustomer: (req, _res, next) => {
      const user = authUser(req);
      next(
        user.role === 'customer' && user.tenantId !== null
          ? undefined
          : new AppError('FORBIDDEN', 'customer role required'),
      );
    },
    requireOwner: (req, _res, next) => {
      const user = authUser(req);
      next(
        user.role === 'customer' && user.tenantRole === 'owner'
          ? undefined
          : new AppError('FORBIDDEN', 'tenant owner role required'),
      );
    },
  };
}
