import { formatNumber, percentile, ratio, renderTable, summarize, throughputPerSecond } from './stats';

describe('percentile (linear interpolation between closest ranks)', () => {
  it('matches numpy.percentile on small samples', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 25)).toBe(1.75);
    expect(percentile([15, 20, 35, 40, 50], 40)).toBe(29);
    expect(percentile([10, 20, 30], 99)).toBeCloseTo(29.8, 10);
  });

  it('does not depend on input order and does not reorder the input', () => {
    const values = [9, 1, 5, 3, 7];
    expect(percentile(values, 50)).toBe(5);
    expect(values).toEqual([9, 1, 5, 3, 7]);
  });

  it('p0 is the minimum and p100 the maximum; one value is every percentile', () => {
    expect(percentile([4, 8, 2], 0)).toBe(2);
    expect(percentile([4, 8, 2], 100)).toBe(8);
    expect(percentile([42], 50)).toBe(42);
    expect(percentile([42], 99)).toBe(42);
  });

  it('p99 of 1..100 lies between the 99th and the 100th value', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 99)).toBeCloseTo(99.01, 10);
    expect(percentile(values, 50)).toBe(50.5);
  });

  it('is NaN for no values and rejects a percentile outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], NaN)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('gives count, min, mean, percentiles and max', () => {
    const summary = summarize([3, 1, 2, 4]);
    expect(summary).toMatchObject({ count: 4, min: 1, mean: 2.5, p50: 2.5, max: 4 });
    expect(summary.p90).toBeCloseTo(3.7, 10);
    expect(summary.p99).toBeCloseTo(3.97, 10);
  });

  it('is all NaN (count 0) without values', () => {
    const empty = summarize([]);
    expect(empty.count).toBe(0);
    for (const key of ['min', 'mean', 'p50', 'p90', 'p99', 'max'] as const) expect(empty[key]).toBeNaN();
  });
});

describe('throughput and ratio', () => {
  it('counts completions per second of wall time', () => {
    expect(throughputPerSecond(20, 4000)).toBe(5);
    expect(() => throughputPerSecond(1, 0)).toThrow(RangeError);
  });

  it('divides by the baseline, NaN for a zero or missing baseline', () => {
    expect(ratio(300, 100)).toBe(3);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(1, NaN)).toBeNaN();
  });
});

describe('formatting', () => {
  it('formats numbers and n/a', () => {
    expect(formatNumber(1.234, 2)).toBe('1.23');
    expect(formatNumber(NaN)).toBe('n/a');
  });

  it('aligns the table: first column left, the rest right', () => {
    const table = renderTable(
      ['metric', 'ms'],
      [
        ['p50', '12.5'],
        ['p99 long', '3'],
      ],
    );
    expect(table.split('\n')).toEqual(['metric      ms', '--------  ----', 'p50       12.5', 'p99 long     3']);
  });
});
