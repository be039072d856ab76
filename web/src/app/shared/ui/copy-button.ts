import { Component, inject, input } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatTooltip } from '@angular/material/tooltip';
import { TranslatePipe } from '../i18n/i18n-pipes';
import { Notifier } from './notifier.service';

@Component({
  selector: 'rg-copy-button',
  imports: [MatIconButton, MatIcon, MatTooltip, TranslatePipe],
  template: `
    <button
      mat-icon-button
      type="button"
      [matTooltip]="'common.copy' | t"
      [attr.aria-label]="('common.copy' | t) + ' ' + (label() ?? '')"
      (click)="copy()"
    >
      <mat-icon>content_copy</mat-icon>
    </button>
  `,
})
export class CopyButton {
  readonly value = input.required<string>();
  readonly label = input<string>();
  private readonly notifier = inject(Notifier);

  async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.value());
      this.notifier.success('common.copied');
    } catch {
      this.notifier.error(this.value());
    }
  }
}
