import { DOCUMENT, Injectable, effect, inject, signal } from '@angular/core';

export type ThemeChoice = 'light' | 'dark' | 'system';
const STORAGE_KEY = 'remotegpu.theme';

/** Light/dark switch: sets a class on <html>; the Material theme follows through `color-scheme`. */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly document = inject(DOCUMENT);
  readonly choice = signal<ThemeChoice>(this.saved());

  constructor() {
    effect(() => {
      const choice = this.choice();
      const root = this.document.documentElement;
      root.classList.toggle('theme-dark', choice === 'dark');
      root.classList.toggle('theme-light', choice === 'light');
      root.style.colorScheme = choice === 'system' ? 'light dark' : choice;
      try {
        localStorage.setItem(STORAGE_KEY, choice);
      } catch {
        // ignore
      }
    });
  }

  isDark(): boolean {
    const choice = this.choice();
    if (choice !== 'system') return choice === 'dark';
    return this.document.defaultView?.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
  }

  private saved(): ThemeChoice {
    try {
      const value = localStorage.getItem(STORAGE_KEY);
      if (value === 'light' || value === 'dark' || value === 'system') return value;
    } catch {
      // ignore
    }
    return 'system';
  }
}
