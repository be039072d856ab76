// Chart series of a machine's metrics: the machine-wide GPU average (history + live samples) and one
// series per GPU. Pure, for unit tests.
import type { MachineMetrics } from '../../shared/api/api-types';
import type { SeriesSpec } from '../../shared/ui/chart-options';

const MAX_LIVE_POINTS = 2000;

export function metricsSeries(
  metrics: MachineMetrics | null,
  live: readonly { ts: number; value: number | null }[],
  names: { average: string; gpu: (index: number) => string },
): SeriesSpec[] {
  const history = (metrics?.host ?? []).map((p) => ({ ts: p.ts, value: p.gpu_util ?? null }));
  const lastHistory = history.length ? new Date(history[history.length - 1].ts).getTime() : -Infinity;
  // Live samples newer than the history only (seconds → ms for comparison).
  // The server repeats a sample in every snapshot until the next heartbeat: keep one point per timestamp.
  const byTs = new Map<number, { ts: number; value: number | null }>();
  for (const p of live) if (p.ts * 1000 > lastHistory) byTs.set(p.ts, p);
  const fresh = [...byTs.values()].slice(-MAX_LIVE_POINTS);
  const series: SeriesSpec[] = [{ name: names.average, points: [...history, ...fresh] }];
  const gpus = [...(metrics?.gpus ?? [])].sort((a, b) => a.gpu_index - b.gpu_index);
  if (gpus.length > 1) {
    for (const gpu of gpus) {
      series.push({
        name: names.gpu(gpu.gpu_index),
        points: gpu.points.map((p) => ({ ts: p.ts, value: p.gpu_util ?? null })),
      });
    }
  }
  return series;
}
