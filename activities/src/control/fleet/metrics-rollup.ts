// Metric roll-ups (Temporal Schedule `metrics-rollup`, every minute): 1-minute averages of the raw
// samples and 1-hour averages of the 1-minute rows, each bucket recomputed with delete + insert in one
// transaction so a repeated or overlapping run gives the same rows; then retention per resolution.
import type { EntityManager } from '@mikro-orm/core';
import type { MetricsRollupInput, MetricsRollupResult } from '@remotegpu/core/contracts';
import type { MetricsRetention } from './deps';
import { prefixPattern, rows, table } from './sql';

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Complete minutes recomputed on every run, so late heartbeats and a missed run are covered. */
export const MINUTE_LOOKBACK = 10;
/** Complete hours recomputed on every run. */
export const HOUR_LOOKBACK = 2;

const VALUE_COLUMNS = [
  'gpu_util',
  'gpu_mem_used_mb',
  'gpu_temp',
  'gpu_power_w',
  'cpu_util',
  'mem_used_pct',
  'disk_used_pct',
] as const;

async function rollUp(
  em: EntityManager,
  from: '1m' | 'raw',
  to: '1m' | '1h',
  unit: 'minute' | 'hour',
  start: Date,
  end: Date,
  pattern: string,
): Promise<number> {
  const t = table(em, 'metric_samples');
  await em
    .getConnection()
    .execute(`delete from ${t} where resolution = ? and ts >= ? and ts < ? and machine_id like ?`, [
      to,
      start,
      end,
      pattern,
    ]);
  const bucket = `date_trunc('${unit}', ts at time zone 'UTC') at time zone 'UTC'`;
  const inserted = await rows(
    em,
    `insert into ${t} (machine_id, gpu_index, ts, resolution, ${VALUE_COLUMNS.join(', ')}, ecc_uncorrected)
     select machine_id, gpu_index, ${bucket}, ?, ${VALUE_COLUMNS.map((c) => `avg(${c})`).join(', ')},
       max(ecc_uncorrected)
     from ${t}
     where resolution = ? and ts >= ? and ts < ? and machine_id like ?
     group by machine_id, gpu_index, ${bucket}
     returning id`,
    [to, from, start, end, pattern],
  );
  return inserted.length;
}

export async function rollupMetrics(
  em: EntityManager,
  retention: MetricsRetention,
  now: Date,
  input: MetricsRollupInput,
): Promise<MetricsRollupResult> {
  const pattern = prefixPattern(input.machineIdPrefix);
  const minuteEnd = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
  const minuteStart = new Date(minuteEnd.getTime() - MINUTE_LOOKBACK * MINUTE);
  const hourEnd = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  const hourStart = new Date(hourEnd.getTime() - HOUR_LOOKBACK * HOUR);

  const minuteRows = await em.transactional((tx) => rollUp(tx, 'raw', '1m', 'minute', minuteStart, minuteEnd, pattern));
  // The hour is averaged over its minute averages (samples arrive at a steady rate, so they weigh alike).
  const hourRows = await em.transactional((tx) => rollUp(tx, '1m', '1h', 'hour', hourStart, hourEnd, pattern));

  const deleted = { raw: 0, '1m': 0, '1h': 0 };
  for (const resolution of ['raw', '1m', '1h'] as const) {
    const cutoff = new Date(now.getTime() - retention[resolution]);
    const gone = await rows(
      em,
      `delete from ${table(em, 'metric_samples')} where resolution = ? and ts < ? and machine_id like ? returning id`,
      [resolution, cutoff, pattern],
    );
    deleted[resolution] = gone.length;
  }
  return { minuteRows, hourRows, deleted };
}
