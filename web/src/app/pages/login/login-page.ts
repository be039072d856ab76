import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { ActivatedRoute, Router } from '@angular/router';
import { ApiError } from '../../shared/api/api-envelope';
import { createFormSubmission } from '../../shared/api/form-submission';
import { SessionService } from '../../shared/api/session.service';
import { TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { I18nService } from '../../shared/i18n/i18n.service';
import { CENTERED_CARD_STYLES } from '../../shared/ui/page-templates';
import { PrefsMenu } from '../../shared/ui/prefs-menu';

@Component({
  selector: 'rg-login-page',
  imports: [
    ReactiveFormsModule,
    MatCardModule,
    MatFormFieldModule,
    MatInput,
    MatButton,
    MatIconButton,
    MatIcon,
    MatProgressBar,
    TranslatePipe,
    PrefsMenu,
  ],
  template: `
    <div class="corner"><rg-prefs-menu /></div>
    <main class="center">
      <mat-card appearance="outlined" class="login-card">
        @if (submission.busy()) {
          <mat-progress-bar mode="indeterminate" />
        }
        <mat-card-header>
          <mat-card-title
            ><h1>{{ 'login.title' | t }}</h1></mat-card-title
          >
          <mat-card-subtitle>{{ 'login.subtitle' | t }}</mat-card-subtitle>
        </mat-card-header>
        <mat-card-content>
          <form [formGroup]="form" (ngSubmit)="submit()" class="dialog-form" novalidate>
            <mat-form-field>
              <mat-label>{{ 'login.username' | t }}</mat-label>
              <input matInput formControlName="username" name="username" autocomplete="username" required />
              @if (form.controls.username.touched && form.controls.username.invalid) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              }
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ 'login.password' | t }}</mat-label>
              <input
                matInput
                [type]="showPassword() ? 'text' : 'password'"
                formControlName="password"
                name="password"
                autocomplete="current-password"
                required
              />
              <button
                mat-icon-button
                matSuffix
                type="button"
                (click)="showPassword.set(!showPassword())"
                [attr.aria-label]="'login.showPassword' | t"
                [attr.aria-pressed]="showPassword()"
              >
                <mat-icon>{{ showPassword() ? 'visibility_off' : 'visibility' }}</mat-icon>
              </button>
              @if (form.controls.password.touched && form.controls.password.invalid) {
                <mat-error>{{ 'common.required' | t }}</mat-error>
              }
            </mat-form-field>
            @if (submission.error()) {
              <p class="error-text" role="alert" data-testid="login-error">{{ submission.error() }}</p>
            }
            <button mat-flat-button type="submit" [disabled]="submission.busy()">{{ 'login.submit' | t }}</button>
          </form>
        </mat-card-content>
      </mat-card>
    </main>
  `,
  styles: [
    CENTERED_CARD_STYLES,
    `
      .login-card {
        width: min(420px, 100%);
      }
      h1 {
        margin: 0 0 4px;
      }
    `,
  ],
})
export class LoginPage {
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly i18n = inject(I18nService);
  readonly submission = createFormSubmission(signal, {
    describeError: (error) => (error instanceof ApiError ? error.message : this.i18n.t('login.failed')),
  });
  readonly showPassword = signal(false);
  readonly form = inject(NonNullableFormBuilder).group({
    username: ['', Validators.required],
    password: ['', Validators.required],
  });

  submit(): Promise<void> {
    return this.submission.run(this.form, async () => {
      const { username, password } = this.form.getRawValue();
      await this.session.login(username.trim(), password);
      if (this.session.mustChangePassword()) {
        await this.router.navigate(['/change-password']);
        return;
      }
      const returnUrl = this.route.snapshot.queryParamMap.get('returnUrl');
      await this.router.navigateByUrl(returnUrl && returnUrl.startsWith('/') ? returnUrl : this.session.homeUrl());
    });
  }
}
