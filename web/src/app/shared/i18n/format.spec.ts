import {
  countdown,
  detectLang,
  expiryLevel,
  formatBytes,
  formatCountdown,
  formatDateTime,
  formatNumber,
  interpolate,
  toDate,
} from './format';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const HOUR = 3_600_000;

describe('formatBytes', () => {
  it('uses binary units with locale digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1,023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(24 * 1024 ** 3)).toBe('24 GB');
    expect(formatBytes(2.5 * 1024 ** 4, 'zh-CN')).toBe('2.5 TB');
    expect(formatBytes(1234567 * 1024 ** 5)).toBe('1,234,567 PB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('countdown', () => {
  it('splits the remaining time', () => {
    expect(countdown(new Date(NOW + 26 * HOUR + 5 * 60_000), NOW)).toMatchObject({
      expired: false,
      days: 1,
      hours: 2,
      minutes: 5,
    });
    expect(countdown(new Date(NOW - 1), NOW).expired).toBe(true);
    expect(countdown('garbage', NOW).expired).toBe(true);
  });

  it('formats the two most significant units per language', () => {
    const in12d = new Date(NOW + 12 * 24 * HOUR + 3 * HOUR).toISOString();
    expect(formatCountdown(in12d, NOW, 'en')).toBe('12d 3h');
    expect(formatCountdown(in12d, NOW, 'zh-CN')).toBe('12天3小时');
    expect(formatCountdown(NOW + 3 * HOUR + 20 * 60_000, NOW, 'en')).toBe('3h 20m');
    expect(formatCountdown(NOW + 45 * 60_000 + 30_000, NOW, 'en')).toBe('45m');
    expect(formatCountdown(NOW - HOUR, NOW, 'en')).toBe('expired');
    expect(formatCountdown(NOW - HOUR, NOW, 'zh-CN')).toBe('已到期');
  });

  it('expiryLevel warns within 7 days and alarms within 1 day', () => {
    expect(expiryLevel(NOW + 30 * 24 * HOUR, NOW)).toBe('ok');
    expect(expiryLevel(NOW + 3 * 24 * HOUR, NOW)).toBe('warn');
    expect(expiryLevel(NOW + 2 * HOUR, NOW)).toBe('bad');
    expect(expiryLevel(NOW - 2 * HOUR, NOW)).toBe('bad');
  });
});

describe('dates and numbers', () => {
  it('formats dates per locale in 24-hour time', () => {
    const iso = '2026-02-05T08:30:00Z';
    expect(formatDateTime(iso, 'en', 'UTC')).toBe('02/05/2026, 08:30');
    expect(formatDateTime(iso, 'zh-CN', 'UTC')).toBe('2026/02/05 08:30');
    expect(formatDateTime(iso, 'zh-CN', 'Asia/Shanghai')).toBe('2026/02/05 16:30');
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it('accepts epoch seconds, milliseconds and ISO strings', () => {
    expect(toDate(1_700_000_000)?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(toDate(1_700_000_000_000)?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(toDate('x')).toBeNull();
  });

  it('formats numbers', () => {
    expect(formatNumber(75.55, 'en')).toBe('75.6');
    expect(formatNumber(12345, 'zh-CN', 0)).toBe('12,345');
    expect(formatNumber(undefined)).toBe('—');
  });
});

describe('interpolate and detectLang', () => {
  it('replaces known placeholders only', () => {
    expect(interpolate('{a} of {b} {c}', { a: 1, b: 'x' })).toBe('1 of x {c}');
    expect(interpolate('plain')).toBe('plain');
  });

  it('defaults from the browser languages', () => {
    expect(detectLang(['zh-TW', 'en'])).toBe('zh-CN');
    expect(detectLang(['en-GB', 'zh-CN'])).toBe('en');
    expect(detectLang(['fr-FR', 'zh'])).toBe('zh-CN');
    expect(detectLang(['fr-FR'])).toBe('en');
    expect(detectLang(undefined)).toBe('en');
  });
});
