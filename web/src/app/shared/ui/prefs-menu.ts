import { Component, inject } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatIcon } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltip } from '@angular/material/tooltip';
import { I18nService } from '../i18n/i18n.service';
import { TranslatePipe } from '../i18n/i18n-pipes';
import { ThemeChoice, ThemeService } from '../theme/theme.service';

/** Language and theme switches (toolbar and login page). */
@Component({
  selector: 'rg-prefs-menu',
  imports: [MatIconButton, MatIcon, MatMenuModule, MatTooltip, TranslatePipe],
  template: `
    <button
      mat-icon-button
      type="button"
      data-testid="language-menu"
      [matMenuTriggerFor]="langMenu"
      [matTooltip]="'app.language' | t"
      [attr.aria-label]="'app.language' | t"
    >
      <mat-icon>translate</mat-icon>
    </button>
    <mat-menu #langMenu="matMenu">
      @for (lang of i18n.langs; track lang) {
        <button mat-menu-item type="button" [attr.data-lang]="lang" (click)="i18n.use(lang)">
          <mat-icon>{{ i18n.lang() === lang ? 'radio_button_checked' : 'radio_button_unchecked' }}</mat-icon>
          <span>{{ 'lang.' + lang | t }}</span>
        </button>
      }
    </mat-menu>
    <button
      mat-icon-button
      type="button"
      [matMenuTriggerFor]="themeMenu"
      [matTooltip]="'app.theme' | t"
      [attr.aria-label]="'app.theme' | t"
    >
      <mat-icon>{{ theme.isDark() ? 'dark_mode' : 'light_mode' }}</mat-icon>
    </button>
    <mat-menu #themeMenu="matMenu">
      @for (choice of themes; track choice.value) {
        <button mat-menu-item type="button" (click)="theme.choice.set(choice.value)">
          <mat-icon>{{ choice.icon }}</mat-icon>
          <span>{{ choice.label | t }}</span>
        </button>
      }
    </mat-menu>
  `,
})
export class PrefsMenu {
  readonly i18n = inject(I18nService);
  readonly theme = inject(ThemeService);
  readonly themes: { value: ThemeChoice; icon: string; label: string }[] = [
    { value: 'light', icon: 'light_mode', label: 'app.themeLight' },
    { value: 'dark', icon: 'dark_mode', label: 'app.themeDark' },
    { value: 'system', icon: 'contrast', label: 'app.themeSystem' },
  ];
}
