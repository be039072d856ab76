import { Component, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialog, MatDialogModule } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { TranslatePipe } from '../i18n/i18n-pipes';
import { I18nService } from '../i18n/i18n.service';

export interface ConfirmData {
  title: string;
  message: string;
  confirmLabel?: string;
  danger?: boolean;
}

@Component({
  selector: 'rg-confirm-dialog',
  imports: [MatDialogModule, MatButton, TranslatePipe],
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <mat-dialog-content>{{ data.message }}</mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" [mat-dialog-close]="false">{{ 'common.cancel' | t }}</button>
      <button mat-flat-button type="button" [mat-dialog-close]="true" cdkFocusInitial>
        {{ data.confirmLabel ?? ('common.confirm' | t) }}
      </button>
    </mat-dialog-actions>
  `,
})
export class ConfirmDialog {
  readonly data = inject<ConfirmData>(MAT_DIALOG_DATA);
}

export function confirm(dialog: MatDialog, data: ConfirmData): Promise<boolean> {
  return firstValueFrom(dialog.open(ConfirmDialog, { data }).afterClosed()).then((result) => result === true);
}

/** The danger confirmation every delete asks first; `message` names what goes. */
export function confirmDelete(dialog: MatDialog, i18n: Pick<I18nService, 't'>, message: string): Promise<boolean> {
  return confirm(dialog, { title: i18n.t('common.delete'), message, danger: true });
}
