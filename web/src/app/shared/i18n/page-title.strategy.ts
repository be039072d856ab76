import { Injectable, effect, inject, signal } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { RouterStateSnapshot, TitleStrategy } from '@angular/router';
import { TranslationKey } from './dictionary';
import { I18nService } from './i18n.service';

/**
 * Document titles per page: a route's `title` is a translation key, shown as "<page> [id] · RemoteGPU" and
 * re-translated when the language changes (screen readers and browser tabs name the page, not just the app).
 */
@Injectable({ providedIn: 'root' })
export class PageTitleStrategy extends TitleStrategy {
  private readonly title = inject(Title);
  private readonly i18n = inject(I18nService);
  private readonly page = signal<{ key: TranslationKey | null; id: string | null }>({ key: null, id: null });

  constructor() {
    super();
    effect(() => {
      const { key, id } = this.page();
      const app = this.i18n.t('app.title');
      this.title.setTitle(key ? `${this.i18n.t(key)}${id ? ` ${id}` : ''} · ${app}` : app);
    });
  }

  override updateTitle(snapshot: RouterStateSnapshot): void {
    let route = snapshot.root;
    while (route.firstChild) route = route.firstChild;
    this.page.set({
      key: (this.buildTitle(snapshot) as TranslationKey | undefined) ?? null,
      id: route.paramMap.get('id'),
    });
  }
}
