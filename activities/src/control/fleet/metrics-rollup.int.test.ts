// Roll-up correctness on a generated series in a scratch database: 1-minute averages per bucket from
// raw samples, 1-hour averages from the minute rows, the incomplete minute left alone, re-runs give
// identical rows, and retention deletes only rows past their resolution's horizon.
import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from '@remotegpu/core';
import { Redis } from 'ioredis';
import { createTestDatabase, type ScratchDatabase } from '../../../../tests/support/scratch-database';
import { testEnv, uniqueSuffix } from '../../../../tests/support/env';
import { insertMachine } from '../../../../tests/support/fleet';
import { createFleetActivities } from './index';

let orm: MikroORM;
let redis: Redis;
let db: ScratchDatabase;
const machineId = uniqueSuffix('ru').toLowerCase();
const NOW = Date.parse('2026-03-01T10:00:30Z');
const MIN = 60_000;
const HOUR = 3_600_000;

beforeAll(async () => {
  db = await createTestDatabase('rollup');
  orm = await MikroORM.init(createOrmConfig({ clientUrl: db.url, pool: { min: 0, max: 3 } }));
  redis = new Redis(testEnv.redisUrl);
  await insertMachine(orm.em.fork(), { id: machineId, gpuCount: 1 });
});

afterAll(async () => {
  redis.disconnect();
  await orm.close(true);
  await db.drop();
});

type Row = { resolution: string; gpu_index: number | null; ts: Date; gpu_util: number | null; cpu_util: number | null };

async function insert(
  resolution: string,
  ts: number,
  gpuIndex: number | null,
  gpuUtil: number,
  cpuUtil: number | null,
) {
  await orm.em
    .fork()
    .getConnection()
    .execute(
      `insert into metric_samples (machine_id, gpu_index, ts, resolution, gpu_util, cpu_util) values (?, ?, ?, ?, ?, ?)`,
      [machineId, gpuIndex, new Date(ts), resolution, gpuUtil, cpuUtil],
    );
}

async function select(resolution: string): Promise<Row[]> {
  return (await orm.em
    .fork()
    .getConnection()
    .execute(
      `select resolution, gpu_index, ts, gpu_util, cpu_util from metric_samples
       where machine_id = ? and resolution = ? order by ts, gpu_index nulls first`,
      [machineId, resolution],
    )) as Row[];
}

const flat = (rows: Row[]) =>
  rows.map((r) => [
    new Date(r.ts).toISOString(),
    r.gpu_index,
    r.gpu_util === null ? null : Number(Number(r.gpu_util).toFixed(3)),
    r.cpu_util === null ? null : Number(Number(r.cpu_util).toFixed(3)),
  ]);

it('averages per bucket, ignores the running minute, is idempotent and keeps only unexpired rows', async () => {
  // Raw: 12 samples (every 5 s) in each of the 10 complete minutes 09:50..09:59, host row + GPU 0.
  const minuteStart = NOW - 30_000 - 10 * MIN;
  for (let i = 0; i < 10; i++) {
    for (let j = 0; j < 12; j++) {
      const ts = minuteStart + i * MIN + j * 5_000;
      await insert('raw', ts, null, i * 2 + j, 10 + j);
      await insert('raw', ts, 0, 100 - j, null);
    }
  }
  // The running minute 10:00 and a sample older than the look-back window.
  await insert('raw', NOW - 10_000, null, 999, 999);
  await insert('raw', NOW - 30_000 - 30 * MIN, null, 555, 555);
  // Minute rows of 08:00..08:59 (value = minute) and 09:00..09:49 (value 100).
  for (let i = 0; i < 60; i++) await insert('1m', NOW - 30_000 - 2 * HOUR + i * MIN, null, i, null);
  for (let i = 0; i < 50; i++) await insert('1m', NOW - 30_000 - HOUR + i * MIN, null, 100, null);
  // Retention candidates.
  await insert('raw', NOW - 25 * HOUR, null, 7001, 1);
  await insert('raw', NOW - 23 * HOUR, null, 7002, 2);
  await insert('1m', NOW - 31 * 24 * HOUR, null, 7003, null);
  await insert('1m', NOW - 29 * 24 * HOUR, null, 7004, null);
  await insert('1h', NOW - 366 * 24 * HOUR, null, 7005, null);
  await insert('1h', NOW - 364 * 24 * HOUR, null, 7006, null);

  const activities = createFleetActivities({ orm, redis, clock: { now: () => new Date(NOW) } });
  const first = await activities.rollupMetrics({ machineIdPrefix: machineId });
  expect(first.minuteRows).toBe(20);
  expect(first.hourRows).toBe(3); // 08:00 host, 09:00 host, 09:00 GPU 0
  expect(first.deleted).toEqual({ raw: 1, '1m': 1, '1h': 1 });

  const minutes = (await select('1m')).filter((r) => new Date(r.ts).getTime() >= minuteStart);
  const expected: (string | number | null)[][] = [];
  for (let i = 0; i < 10; i++) {
    const ts = new Date(minuteStart + i * MIN).toISOString();
    expected.push([ts, null, i * 2 + 5.5, 15.5], [ts, 0, 94.5, null]);
  }
  expect(flat(minutes)).toEqual(expected);

  const hours = await select('1h');
  const hour08 = new Date(NOW - 30_000 - 2 * HOUR).toISOString();
  const hour09 = new Date(NOW - 30_000 - HOUR).toISOString();
  // 09:xx hour: mean of 50 minutes at 100 and the ten host minutes rolled up above.
  const hour09Host = (50 * 100 + [...Array(10).keys()].reduce((s, i) => s + i * 2 + 5.5, 0)) / 60;
  expect(flat(hours)).toEqual([
    [new Date(NOW - 364 * 24 * HOUR).toISOString(), null, 7006, null],
    [hour08, null, 29.5, null],
    [hour09, null, Number(hour09Host.toFixed(3)), 15.5],
    [hour09, 0, 94.5, null],
  ]);

  // The running minute's raw sample is untouched and not rolled up; expired rows are gone.
  const raw = await select('raw');
  expect(raw.some((r) => Number(r.gpu_util) === 999)).toBe(true);
  expect(raw.some((r) => Number(r.gpu_util) === 7001)).toBe(false);
  expect(raw.some((r) => Number(r.gpu_util) === 7002)).toBe(true);
  expect((await select('1m')).map((r) => Number(r.gpu_util))).not.toContain(7003);
  expect((await select('1m')).map((r) => Number(r.gpu_util))).toContain(7004);

  // A second run (same clock) changes nothing.
  const before = { m: flat(await select('1m')), h: flat(await select('1h')), r: flat(await select('raw')) };
  const second = await activities.rollupMetrics({ machineIdPrefix: machineId });
  expect(second.deleted).toEqual({ raw: 0, '1m': 0, '1h': 0 });
  expect({ m: flat(await select('1m')), h: flat(await select('1h')), r: flat(await select('raw')) }).toEqual(before);
});
