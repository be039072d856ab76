import { Component, inject, signal } from '@angular/core';
import {
  AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { Router } from '@angular/router';
import { createFormSubmission } from '../../shared/api/form-submission';
import { SessionService } from '../../shared/api/session.service';
import { TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { Notifier } from '../../shared/ui/notifier.service';
import { CENTERED_CARD_STYLES } from '../../shared/ui/page-templates';
import { PrefsMenu } from '../../shared/ui/prefs-menu';
import { passwordPolicyProblems } from './password-policy';

@Component({
  selector: 'rg-change-password-page',
  imports: [ReactiveFormsModule, MatCardModule, MatFormFieldModule, MatInput, MatButton, TranslatePipe, PrefsMenu],
  template: `
    <div class="corner"><rg-prefs-menu /></div>
    <main class="center">
      <mat-card appearance="outlined" class="card">
        <mat-card-header>
          <mat-card-title
            ><h1>{{ 'password.title' | t }}</h1></mat-card-title
          >
          @if (session.mustChangePassword()) {
            <mat-card-subtitle>{{ 'password.forcedHint' | t }}</mat-card-subtitle>
          }
        </mat-card-header>
        <mat-card-content>
          <form [formGroup]="form" (ngSubmit)="submit()" class="dialog-form" novalidate>
            <mat-form-field>
              <mat-label>{{ 'password.current' | t }}</mat-label>
              <input matInput type="password" formControlName="current" autocomplete="current-password" />
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ 'password.new' | t }}</mat-label>
              <input matInput type="password" formControlName="next" autocomplete="new-password" />
              <mat-hint>{{ 'password.policy' | t }}</mat-hint>
              @if (form.controls.next.touched && form.controls.next.invalid) {
                <mat-error>{{ 'password.policy' | t }}</mat-error>
              }
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ 'password.confirm' | t }}</mat-label>
              <input matInput type="password" formControlName="repeat" autocomplete="new-password" />
            </mat-form-field>
            @if (mismatch()) {
              <p class="error-text" role="alert">{{ 'password.mismatch' | t }}</p>
            }
            @if (submission.error()) {
              <p class="error-text" role="alert">{{ submission.error() }}</p>
            }
            <div class="row">
              @if (!session.mustChangePassword()) {
                <button mat-button type="button" (click)="back()">{{ 'common.back' | t }}</button>
              }
              <span class="spacer"></span>
              <button mat-flat-button type="submit" [disabled]="submission.busy()">{{ 'password.submit' | t }}</button>
            </div>
          </form>
        </mat-card-content>
      </mat-card>
    </main>
  `,
  styles: [
    CENTERED_CARD_STYLES,
    `
      .card {
        width: min(460px, 100%);
      }
      h1 {
        margin: 0;
      }
      form {
        gap: 8px;
      }
    `,
  ],
})
export class ChangePasswordPage {
  readonly session = inject(SessionService);
  private readonly router = inject(Router);
  private readonly notifier = inject(Notifier);
  readonly submission = createFormSubmission(signal);
  readonly mismatch = signal(false);
  readonly form = inject(NonNullableFormBuilder).group({
    current: ['', Validators.required],
    next: ['', [Validators.required, (control: AbstractControl<string>) => this.policy(control)]],
    repeat: ['', Validators.required],
  });

  private policy(control: AbstractControl<string>): ValidationErrors | null {
    return passwordPolicyProblems(control.value, this.session.profile()?.username).length ? { policy: true } : null;
  }

  async submit(): Promise<void> {
    const { current, next, repeat } = this.form.getRawValue();
    this.mismatch.set(next !== repeat);
    if (next !== repeat) {
      this.form.markAllAsTouched();
      return;
    }
    await this.submission.run(this.form, async () => {
      await this.session.changePassword(current, next);
      this.notifier.success('password.changed');
      await this.router.navigateByUrl(this.session.homeUrl());
    });
  }

  back(): void {
    void this.router.navigateByUrl('/profile');
  }
}
