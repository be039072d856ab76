import { HttpBackend, HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { I18nService } from '../i18n/i18n.service';
import { Notifier } from '../ui/notifier.service';
import { unwrapEnvelope } from './api-envelope';
import { LoginResponse, Profile } from './api-types';
import { LoginTokens, StorageTokenStore, TokenRefresher, tokensFromResponse } from './auth-session';
import { ApiClient } from './api-client';

export const API_BASE = '/api/v1';

/** The signed-in user: tokens (localStorage), profile, refresh, sign-in/out. */
@Injectable({ providedIn: 'root' })
export class SessionService {
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18nService);
  private readonly api = inject(ApiClient);
  // Refresh goes around the interceptors so a failing refresh cannot recurse into another refresh.
  private readonly rawHttp = new HttpClient(inject(HttpBackend));
  private readonly store = new StorageTokenStore(localStorage);
  private profileLoad: Promise<Profile | null> | null = null;

  readonly refresher = new TokenRefresher(this.store, (refreshToken) =>
    firstValueFrom(this.rawHttp.post<unknown>(`${API_BASE}/auth/refresh`, { refresh_token: refreshToken })).then(
      (body) => unwrapEnvelope<LoginTokens>(body),
    ),
  );

  readonly signedIn = signal(this.store.read() !== null);
  readonly profile = signal<Profile | null>(null);
  readonly mustChangePassword = signal(false);
  readonly isAdmin = computed(() => this.profile()?.role === 'admin');
  readonly isOwner = computed(() => this.profile()?.tenant_role === 'owner');

  accessToken(): string | null {
    return this.refresher.accessToken();
  }

  async login(username: string, password: string): Promise<Profile | null> {
    const response = await this.api.post<LoginResponse>(
      '/auth/login',
      { username, password },
      { skipAuth: true, silent: true },
    );
    this.store.write(tokensFromResponse(response, null, Date.now()));
    this.signedIn.set(true);
    this.profile.set(null);
    this.profileLoad = null;
    const profile = await this.loadProfile();
    if (response.must_change_password) this.mustChangePassword.set(true);
    return profile;
  }

  /** Loads the profile once per session (guards call this on every navigation). */
  loadProfile(force = false): Promise<Profile | null> {
    if (!this.signedIn()) return Promise.resolve(null);
    if (force || !this.profileLoad) {
      this.profileLoad = this.api
        .get<Profile>('/auth/profile')
        .then((profile) => {
          this.profile.set(profile);
          if (profile.must_change_password !== undefined) this.mustChangePassword.set(profile.must_change_password);
          return profile;
        })
        .catch(() => {
          this.profileLoad = null;
          return null;
        });
    }
    return this.profileLoad;
  }

  async changePassword(oldPassword: string, newPassword: string): Promise<void> {
    await this.api.post(
      '/auth/change-password',
      { old_password: oldPassword, new_password: newPassword },
      { silent: true },
    );
    this.mustChangePassword.set(false);
    await this.loadProfile(true);
  }

  async logout(): Promise<void> {
    const refreshToken = this.store.read()?.refreshToken;
    try {
      await this.api.post('/auth/logout', { refresh_token: refreshToken }, { silent: true });
    } catch {
      // the local session ends anyway
    }
    this.clear();
    await this.router.navigate(['/login']);
  }

  /** Called when the tokens are no longer accepted: back to the login page, keeping where the user was. */
  endSession(): void {
    if (!this.signedIn()) return;
    this.clear();
    this.notifier.error(this.i18n.t('error.sessionEnded'));
    const returnUrl = this.router.url.startsWith('/login') ? undefined : this.router.url;
    void this.router.navigate(['/login'], { queryParams: returnUrl ? { returnUrl } : {} });
  }

  /** The API refused a request until the password is changed (first sign-in or reset by an admin). */
  requirePasswordChange(): void {
    this.mustChangePassword.set(true);
    if (!this.router.url.startsWith('/change-password')) void this.router.navigate(['/change-password']);
  }

  homeUrl(): string {
    return this.profile()?.role === 'admin' ? '/admin/dashboard' : '/my/machines';
  }

  private clear(): void {
    this.store.clear();
    this.signedIn.set(false);
    this.profile.set(null);
    this.profileLoad = null;
    this.mustChangePassword.set(false);
  }
}
