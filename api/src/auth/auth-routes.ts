// /api/v1/auth: login, refresh, logout, profile, change-password.
import { Router, type Request } from 'express';
import type passport from 'passport';
import { z } from 'zod';
import { audit } from '../audit/audit-context';
import { sendOk } from '../http/envelope';
import { AppError } from '../http/errors';
import type { IdentityRecord } from '../identity/user-repository';
import type { AuthService } from './auth-service';
import { authUser, type Guards } from './guards';
import type { LoginLimiter } from './login-limiter';

export const loginBody = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});
export const refreshBody = z.strictObject({ refresh_token: z.string().min(1).max(512) });
export const logoutBody = z.strictObject({ refresh_token: z.string().min(1).max(512).optional() }).default({});
export const changePasswordBody = z.strictObject({
  old_password: z.string().min(1).max(256),
  new_password: z.string().min(1).max(256),
});

function localAuthenticate(instance: passport.PassportStatic, req: Request): Promise<IdentityRecord | false> {
  return new Promise((resolve, reject) => {
    instance.authenticate('local', { session: false }, (err: unknown, identity: IdentityRecord | false) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(identity);
    })(req, undefined as never, reject);
  });
}

export function authRoutes(deps: {
  passport: passport.PassportStatic;
  auth: AuthService;
  limiter: LoginLimiter;
  guards: Guards;
}): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    const { username } = loginBody.parse(req.body);
    req.body.username = username;
    const ip = req.ip ?? 'unknown';
    audit(res, { action: 'auth.login', resourceType: 'user', actor: { id: null, username, tenantId: null } });
    await deps.limiter.assertAllowed(username, ip);
    const identity = await localAuthenticate(deps.passport, req);
    if (!identity) {
      await deps.limiter.recordFailure(username, ip);
      audit(res, { action: 'auth.login_failed' });
      // The same answer for unknown users, wrong passwords and disabled accounts/tenants.
      throw new AppError('INVALID_CREDENTIALS', 'invalid username or password');
    }
    await deps.limiter.reset(username, ip);
    audit(res, { resourceId: identity.id, actor: { id: identity.id, username, tenantId: identity.tenantId } });
    sendOk(res, await deps.auth.login(req.em, identity));
  });

  router.post('/refresh', async (req, res) => {
    const { refresh_token } = refreshBody.parse(req.body);
    audit(res, { action: 'auth.refresh' });
    sendOk(res, await deps.auth.refresh(req.em, refresh_token));
  });

  router.post('/logout', deps.guards.requireAuthAllowingPasswordChange, async (req, res) => {
    const { refresh_token } = logoutBody.parse(req.body ?? {});
    audit(res, { action: 'auth.logout', resourceType: 'user', resourceId: authUser(req).id });
    await deps.auth.logout(authUser(req), refresh_token);
    sendOk(res, null);
  });

  router.get('/profile', deps.guards.requireAuthAllowingPasswordChange, async (req, res) => {
    sendOk(res, await deps.auth.profile(req.em, authUser(req)));
  });

  router.post('/change-password', deps.guards.requireAuthAllowingPasswordChange, async (req, res) => {
    const body = changePasswordBody.parse(req.body);
    audit(res, { action: 'auth.change_password', resourceType: 'user', resourceId: authUser(req).id });
    await deps.auth.changePassword(req.em, authUser(req), body.old_password, body.new_password);
    sendOk(res, null);
  });

  return router;
}
