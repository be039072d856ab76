// Builds echarts options for time series (pure: unit-tested without a browser).
import { toDate } from '../i18n/format';

export interface SeriesSpec {
  name: string;
  points: { ts: string | number; value: number | null | undefined }[];
}

export interface ChartTheme {
  dark: boolean;
  /** y-axis suffix, e.g. '%' */
  unit?: string;
  max?: number;
}

export function timeSeriesOption(series: SeriesSpec[], theme: ChartTheme): Record<string, unknown> {
  const text = theme.dark ? '#e3e3e3' : '#303030';
  const grid = theme.dark ? '#444' : '#e0e0e0';
  return {
    backgroundColor: 'transparent',
    textStyle: { color: text },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value: number) => `${Math.round(value * 10) / 10}${theme.unit ?? ''}`,
    },
    legend: { show: series.length > 1, textStyle: { color: text } },
    grid: { left: 48, right: 16, top: series.length > 1 ? 36 : 16, bottom: 32 },
    xAxis: { type: 'time', axisLabel: { color: text }, splitLine: { show: false } },
    yAxis: {
      type: 'value',
      min: 0,
      max: theme.max,
      axisLabel: { color: text, formatter: `{value}${theme.unit ?? ''}` },
      splitLine: { lineStyle: { color: grid } },
    },
    series: series.map((s) => ({
      name: s.name,
      type: 'line',
      // With few samples the points themselves must show (a lone sample draws no line).
      showSymbol: s.points.length < 20,
      smooth: true,
      areaStyle: series.length === 1 ? { opacity: 0.15 } : undefined,
      data: s.points
        .map((p) => [toDate(p.ts)?.getTime() ?? null, p.value ?? null] as const)
        .filter(([time]) => time !== null)
        .sort((a, b) => (a[0] as number) - (b[0] as number)),
    })),
  };
}
