import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { MatIconRegistry } from '@angular/material/icon';
import { TitleStrategy, provideRouter, withComponentInputBinding } from '@angular/router';
import { provideEchartsCore } from 'ngx-echarts';
import { routes } from './app.routes';
import { PageTitleStrategy } from './shared/i18n/page-title.strategy';
import { authInterceptor, envelopeInterceptor } from './shared/api/interceptors';
import { ThemeService } from './shared/theme/theme.service';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    { provide: TitleStrategy, useClass: PageTitleStrategy },
    // envelope first = outermost: it also sees failures that the auth interceptor could not recover from.
    provideHttpClient(withInterceptors([envelopeInterceptor, authInterceptor])),
    // echarts is loaded only when a chart is first shown (keeps it out of the initial bundle).
    provideEchartsCore({ echarts: () => import('./shared/ui/echarts-lite').then((m) => m.echarts) }),
    provideAppInitializer(() => {
      inject(ThemeService);
      inject(MatIconRegistry).setDefaultFontSetClass('material-icons');
    }),
  ],
};
