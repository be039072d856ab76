import { Pipe, PipeTransform, inject } from '@angular/core';
import { TranslationKey } from './dictionary';
import { formatBytes, formatCountdown, formatDateTime, formatNumber } from './format';
import { I18nService } from './i18n.service';

// The pipes are impure so they re-render when the language signal changes; each call is a cheap lookup.

@Pipe({ name: 't', pure: false })
export class TranslatePipe implements PipeTransform {
  private readonly i18n = inject(I18nService);
  transform(key: TranslationKey | string, params?: Record<string, string | number>): string {
    return this.i18n.t(key as TranslationKey, params);
  }
}

@Pipe({ name: 'localDate', pure: false })
export class LocalDatePipe implements PipeTransform {
  private readonly i18n = inject(I18nService);
  transform(value: string | number | Date | null | undefined): string {
    return formatDateTime(value, this.i18n.lang());
  }
}

@Pipe({ name: 'bytes', pure: false })
export class BytesPipe implements PipeTransform {
  private readonly i18n = inject(I18nService);
  /** `unit` scales the input first: 'MB' for MiB values, 'GB' for GiB values. */
  transform(value: number | null | undefined, unit: 'B' | 'MB' | 'GB' = 'B'): string {
    if (value === null || value === undefined) return '—';
    const factor = unit === 'GB' ? 1024 ** 3 : unit === 'MB' ? 1024 ** 2 : 1;
    return formatBytes(value * factor, this.i18n.lang());
  }
}

@Pipe({ name: 'countdown', pure: false })
export class CountdownPipe implements PipeTransform {
  private readonly i18n = inject(I18nService);
  transform(value: string | null | undefined, now: number): string {
    return value ? formatCountdown(value, now, this.i18n.lang()) : '—';
  }
}

@Pipe({ name: 'num', pure: false })
export class NumberPipe implements PipeTransform {
  private readonly i18n = inject(I18nService);
  transform(value: number | null | undefined, digits = 1): string {
    return formatNumber(value, this.i18n.lang(), digits);
  }
}

export const I18N_PIPES = [TranslatePipe, LocalDatePipe, BytesPipe, CountdownPipe, NumberPipe] as const;
