import { Injectable, inject } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { TranslationKey } from '../i18n/dictionary';
import { I18nService } from '../i18n/i18n.service';

@Injectable({ providedIn: 'root' })
export class Notifier {
  private readonly snackBar = inject(MatSnackBar);
  private readonly i18n = inject(I18nService);

  success(key: TranslationKey, params?: Record<string, string | number>): void {
    this.snackBar.open(this.i18n.t(key, params), this.i18n.t('common.close'), { duration: 4000 });
  }

  /** A live alert pushed by the server. */
  alert(message: string, critical: boolean): void {
    this.snackBar.open(this.i18n.t('alert.new', { message }), this.i18n.t('common.close'), {
      duration: critical ? 15000 : 6000,
      politeness: critical ? 'assertive' : 'polite',
    });
  }

  /** Errors stay until dismissed a little longer; `message` is the API's msg (already in the user's words). */
  error(message: string, traceId?: string): void {
    const text = traceId ? `${message} (${traceId})` : message;
    this.snackBar.open(text, this.i18n.t('common.close'), { duration: 8000, panelClass: 'error-snackbar' });
  }
}
