import { DOCUMENT, Injectable, computed, inject, signal } from '@angular/core';
import { DICTIONARIES, LANGS, Lang, TranslationKey } from './dictionary';
import { detectLang, interpolate } from './format';

const STORAGE_KEY = 'remotegpu.lang';

/** Runtime language switch: a signal holding the language, read by the `t` pipe and the format pipes. */
@Injectable({ providedIn: 'root' })
export class I18nService {
  private readonly document = inject(DOCUMENT);
  readonly langs = LANGS;
  readonly lang = signal<Lang>(this.initialLang());
  private readonly dictionary = computed(() => DICTIONARIES[this.lang()]);

  constructor() {
    this.document.documentElement.lang = this.lang();
  }

  t(key: TranslationKey, params?: Record<string, string | number>): string {
    const text = this.dictionary()[key] as string | undefined;
    // Unknown keys (e.g. a status value the API added later) show their last segment rather than nothing.
    return interpolate(text ?? key.slice(key.lastIndexOf('.') + 1), params);
  }

  use(lang: Lang): void {
    this.lang.set(lang);
    this.document.documentElement.lang = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // storage may be unavailable (private mode); the choice then lasts for this tab only
    }
  }

  private initialLang(): Lang {
    try {
      const saved = localStorage.getItem(STORAGE_KEY);
      if (saved && (LANGS as readonly string[]).includes(saved)) return saved as Lang;
    } catch {
      // ignore
    }
    return detectLang(this.document.defaultView?.navigator.languages);
  }
}
