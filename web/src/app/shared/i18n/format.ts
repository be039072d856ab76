// Locale-aware formatting helpers (pure, Intl-based).
import type { Lang } from './dictionary';

export const LOCALES: Record<Lang, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 1536 → "1.5 KB" (binary multiples, the way GPU memory and disks are usually quoted). */
export function formatBytes(bytes: number | null | undefined, lang: Lang = 'en', fractionDigits = 1): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const number = new Intl.NumberFormat(LOCALES[lang], {
    maximumFractionDigits: unit === 0 ? 0 : fractionDigits,
  }).format(bytes < 0 ? -value : value);
  return `${number} ${BYTE_UNITS[unit]}`;
}

export function formatDateTime(
  value: string | number | Date | null | undefined,
  lang: Lang = 'en',
  timeZone?: string,
): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = toDate(value);
  if (!date) return String(value);
  return new Intl.DateTimeFormat(LOCALES[lang], {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  }).format(date);
}

export function formatNumber(value: number | null | undefined, lang: Lang = 'en', fractionDigits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: fractionDigits }).format(value);
}

/** Accepts ISO strings, epoch seconds (< 1e12) or epoch milliseconds. */
export function toDate(value: string | number | Date): Date | null {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'number'
        ? new Date(value < 1e12 ? value * 1000 : value)
        : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface Countdown {
  expired: boolean;
  days: number;
  hours: number;
  minutes: number;
  totalMs: number;
}

export function countdown(target: string | number | Date, now: number): Countdown {
  const date = toDate(target);
  const totalMs = date ? date.getTime() - now : 0;
  if (!date || totalMs <= 0) return { expired: true, days: 0, hours: 0, minutes: 0, totalMs: Math.min(totalMs, 0) };
  const totalMinutes = Math.floor(totalMs / 60_000);
  return {
    expired: false,
    days: Math.floor(totalMinutes / 1440),
    hours: Math.floor((totalMinutes % 1440) / 60),
    minutes: totalMinutes % 60,
    totalMs,
  };
}

const COUNTDOWN_WORDS: Record<Lang, { d: string; h: string; m: string; expired: string; sep: string }> = {
  en: { d: 'd', h: 'h', m: 'm', expired: 'expired', sep: ' ' },
  'zh-CN': { d: '天', h: '小时', m: '分钟', expired: '已到期', sep: '' },
};

/** "12d 3h" / "3h 20m" / "45m" / "expired"; the two most significant units. */
export function formatCountdown(target: string | number | Date, now: number, lang: Lang = 'en'): string {
  const c = countdown(target, now);
  const w = COUNTDOWN_WORDS[lang];
  if (c.expired) return w.expired;
  if (c.days > 0) return `${c.days}${w.d}${w.sep}${c.hours}${w.h}`;
  if (c.hours > 0) return `${c.hours}${w.h}${w.sep}${c.minutes}${w.m}`;
  return `${Math.max(c.minutes, 0)}${w.m}`;
}

/** Remaining-lease severity used for colouring: < 1 day bad, < 7 days warn. */
export function expiryLevel(target: string | number | Date, now: number): 'ok' | 'warn' | 'bad' {
  const c = countdown(target, now);
  if (c.expired || c.totalMs < 86_400_000) return 'bad';
  return c.totalMs < 7 * 86_400_000 ? 'warn' : 'ok';
}

/** Replaces {name} placeholders. */
export function interpolate(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : match,
  );
}

/** Picks the UI language from the browser's preferences: any zh* → zh-CN, otherwise en. */
export function detectLang(languages: readonly string[] | undefined): Lang {
  for (const language of languages ?? []) {
    const lower = language.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}
