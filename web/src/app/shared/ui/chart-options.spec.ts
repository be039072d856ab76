import { timeSeriesOption } from './chart-options';

describe('timeSeriesOption', () => {
  it('sorts points by time, drops undated points and sets axis units', () => {
    const option = timeSeriesOption(
      [
        {
          name: 'GPU',
          points: [
            { ts: 1_700_000_060, value: 50 },
            { ts: 'bad', value: 1 },
            { ts: 1_700_000_000, value: 40 },
          ],
        },
      ],
      { dark: false, unit: '%', max: 100 },
    ) as {
      series: { data: unknown[] }[];
      yAxis: { max: number; axisLabel: { formatter: string } };
      legend: { show: boolean };
    };
    expect(option.series[0].data).toEqual([
      [1_700_000_000_000, 40],
      [1_700_000_060_000, 50],
    ]);
    expect(option.yAxis.max).toBe(100);
    expect(option.yAxis.axisLabel.formatter).toBe('{value}%');
    expect(option.legend.show).toBe(false);
  });

  it('shows the sample points of short series only, and a legend for several series', () => {
    const points = (n: number) => Array.from({ length: n }, (_, i) => ({ ts: 1_700_000_000 + i * 60, value: i }));
    const option = timeSeriesOption(
      [
        { name: 'a', points: points(1) },
        { name: 'b', points: points(50) },
      ],
      { dark: true },
    ) as { series: { showSymbol: boolean }[]; legend: { show: boolean } };
    expect(option.series.map((s) => s.showSymbol)).toEqual([true, false]);
    expect(option.legend.show).toBe(true);
  });
});
