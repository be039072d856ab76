import { Component, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatProgressBar } from '@angular/material/progress-bar';
import { ApiClient } from '../../shared/api/api-client';
import { ApiError } from '../../shared/api/api-envelope';
import { SshResetResponse } from '../../shared/api/api-types';
import { TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { CopyButton } from '../../shared/ui/copy-button';
import { oneTimePassword } from './connection';

export interface SshResetData {
  machineId: string;
  machineName: string;
}

/** Confirms, resets, then shows the new password once (it is not kept anywhere in the app). */
@Component({
  selector: 'rg-ssh-reset-dialog',
  imports: [MatDialogModule, MatButton, MatProgressBar, TranslatePipe, CopyButton],
  template: `
    <h2 mat-dialog-title>{{ 'my.resetPassword' | t }}</h2>
    <mat-dialog-content>
      @if (password(); as pw) {
        <p>{{ 'my.newPassword' | t }}</p>
        <p class="row">
          <code class="mono" data-testid="one-time-password">{{ pw }}</code>
          <rg-copy-button [value]="pw" />
        </p>
      } @else if (done()) {
        <p>{{ 'common.saved' | t }}</p>
      }
      @if (keysSynced() !== null) {
        <p class="muted">{{ 'my.keysSynced' | t: { count: keysSynced() ?? 0 } }}</p>
      } @else {
        <p>{{ 'my.resetConfirm' | t: { name: data.machineName } }}</p>
      }
      @if (busy()) {
        <mat-progress-bar mode="indeterminate" />
      }
      @if (error()) {
        <p class="error-text" role="alert">{{ error() }}</p>
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (done()) {
        <button mat-flat-button type="button" mat-dialog-close>{{ 'common.close' | t }}</button>
      } @else {
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | t }}</button>
        <button mat-flat-button type="button" [disabled]="busy()" (click)="reset()">{{ 'common.confirm' | t }}</button>
      }
    </mat-dialog-actions>
  `,
})
export class SshResetDialog {
  readonly data = inject<SshResetData>(MAT_DIALOG_DATA);
  private readonly api = inject(ApiClient);
  readonly busy = signal(false);
  readonly done = signal(false);
  readonly password = signal<string | null>(null);
  readonly keysSynced = signal<number | null>(null);
  readonly error = signal('');

  async reset(): Promise<void> {
    this.busy.set(true);
    this.error.set('');
    try {
      const response = await this.api.post<SshResetResponse>(
        `/customer/machines/${encodeURIComponent(this.data.machineId)}/ssh-reset`,
        {},
        { silent: true },
      );
      this.password.set(oneTimePassword(response));
      this.keysSynced.set(response?.keys_synced ?? null);
      this.done.set(true);
    } catch (error) {
      this.error.set(error instanceof ApiError ? error.message : String(error));
    } finally {
      this.busy.set(false);
    }
  }
}
