import { addCalendarMonths, extendMonthsProblem } from './lifecycle';

describe('addCalendarMonths', () => {
  it('adds calendar months in UTC, keeping the time of day', () => {
    expect(addCalendarMonths('2026-02-05T00:00:00.000Z', 3)).toBe('2026-05-05T00:00:00.000Z');
    expect(addCalendarMonths('2026-11-22T13:45:10.123Z', 2)).toBe('2027-01-22T13:45:10.123Z');
    expect(addCalendarMonths('2026-03-15T08:00:00.000Z', 12)).toBe('2027-03-15T08:00:00.000Z');
  });

  it('clamps the day to the end of a shorter month', () => {
    expect(addCalendarMonths('2026-01-31T10:00:00.000Z', 1)).toBe('2026-02-28T10:00:00.000Z');
    expect(addCalendarMonths('2028-01-31T10:00:00.000Z', 1)).toBe('2028-02-29T10:00:00.000Z');
    expect(addCalendarMonths('2026-08-31T00:00:00.000Z', 1)).toBe('2026-09-30T00:00:00.000Z');
  });

  it('refuses invalid dates and fractional months', () => {
    expect(() => addCalendarMonths('not a date', 1)).toThrow(/invalid date/);
    expect(() => addCalendarMonths('2026-01-01T00:00:00Z', 1.5)).toThrow(/integer/);
  });
});

describe('extendMonthsProblem', () => {
  it('accepts whole months from 1 to 36 only', () => {
    expect(extendMonthsProblem(1)).toBeNull();
    expect(extendMonthsProblem(36)).toBeNull();
    expect(extendMonthsProblem(0)).toMatch(/from 1 to 36/);
    expect(extendMonthsProblem(37)).toMatch(/from 1 to 36/);
    expect(extendMonthsProblem(2.5)).toMatch(/integer/);
    expect(extendMonthsProblem('3')).toMatch(/integer/);
  });
});
