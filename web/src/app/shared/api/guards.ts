import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { SessionService } from './session.service';

/** Signed in, profile loaded, and the forced password change done (except on the change-password page). */
export const authGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionService);
  const router = inject(Router);
  if (!session.signedIn()) return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
  const profile = await session.loadProfile();
  if (!profile) return session.signedIn() ? true : router.createUrlTree(['/login']);
  if (session.mustChangePassword() && !state.url.startsWith('/change-password')) {
    return router.createUrlTree(['/change-password']);
  }
  return true;
};

export function roleGuard(role: 'admin' | 'customer'): CanActivateFn {
  return async () => {
    const session = inject(SessionService);
    const profile = await session.loadProfile();
    if (profile?.role === role) return true;
    return inject(Router).parseUrl(session.homeUrl());
  };
}

export const ownerGuard: CanActivateFn = async () => {
  const session = inject(SessionService);
  await session.loadProfile();
  return session.isOwner() ? true : inject(Router).parseUrl('/my/machines');
};

/** The login page is for signed-out users only. */
export const guestGuard: CanActivateFn = async () => {
  const session = inject(SessionService);
  if (!session.signedIn()) return true;
  const profile = await session.loadProfile();
  return profile ? inject(Router).parseUrl(session.homeUrl()) : true;
};

export const homeRedirectGuard: CanActivateFn = async () => {
  const session = inject(SessionService);
  const router = inject(Router);
  if (!session.signedIn()) return router.parseUrl('/login');
  await session.loadProfile();
  return router.parseUrl(session.homeUrl());
};
