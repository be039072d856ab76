// Alerts API, dashboard stats and GPU trend, realtime snapshot, the customer's per-machine metrics
// and the Prometheus fleet gauges, against a scratch database whose machines are all this file's.
import { ALERT_EVENTS_CHANNEL, type AlertEvent } from '@remotegpu/core/contracts';
import { Redis } from 'ioredis';
import { bearer, startTestApi, type TestApi, type TestCustomer } from '../../../../tests/support/api-server';
import { testEnv, uniqueSuffix } from '../../../../tests/support/env';
import { eventually } from '../../../../tests/support/eventually';
import {
  gpus,
  insertAllocation,
  insertMachine,
  issueAgentKey,
  metrics,
  postSigned,
  signHeartbeat,
} from '../../../../tests/support/fleet';

let api: TestApi;
let admin: string;
let acme: TestCustomer;
let other: TestCustomer;
let subscriber: Redis;
const events: AlertEvent[] = [];
const prefix = uniqueSuffix('fa').toLowerCase();
const id = (name: string) => `${prefix}-${name}`;
const sql = (text: string, params: unknown[] = []) => api.em().getConnection().execute(text, params);

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.loginAdmin();
  acme = await api.createCustomer('fa-acme');
  other = await api.createCustomer('fa-other');
  subscriber = new Redis(testEnv.redisUrl);
  await subscriber.subscribe(ALERT_EVENTS_CHANNEL);
  subscriber.on('message', (_c, message: string) => {
    const event = JSON.parse(message) as AlertEvent;
    if (event.alert.machine_id?.startsWith(prefix)) events.push(event);
  });
  // The scratch database's seeded demo machines would skew the counts: this file owns every machine.
  await sql(`delete from machines`);
  // 4 machines: 3 online (2 allocated to acme / other), 1 offline; 2+2+4+8 = 16 GPUs.
  await insertMachine(api.em(), { id: id('a'), gpuCount: 2, status: 'online' });
  await insertMachine(api.em(), { id: id('b'), gpuCount: 2, status: 'online' });
  await insertMachine(api.em(), { id: id('c'), gpuCount: 4, status: 'online' });
  await insertMachine(api.em(), { id: id('d'), gpuCount: 8, status: 'offline' });
  await insertAllocation(api.em(), id('a'), acme.tenantId);
  await insertAllocation(api.em(), id('b'), other.tenantId);
  // Latest GPU values: online a (10, 30), b (50), c (90, null); offline d (100, ignored).
  const gpu = (m: string, index: number, util: number | null) =>
    sql(`insert into gpu_devices (machine_id, gpu_index, model, last_util) values (?, ?, 'H100', ?)`, [m, index, util]);
  await gpu(id('a'), 0, 10);
  await gpu(id('a'), 1, 30);
  await gpu(id('b'), 0, 50);
  await gpu(id('c'), 0, 90);
  await gpu(id('c'), 1, null);
  await gpu(id('d'), 0, 100);
  const alert = (m: string, kind: string, severity: string, status: string) =>
    sql(`insert into alerts (machine_id, kind, severity, status, message) values (?, ?, ?, ?, ?)`, [
      m,
      kind,
      severity,
      status,
      `${kind} on ${m}`,
    ]);
  await alert(id('a'), 'gpu_overheat', 'warning', 'active');
  await alert(id('d'), 'host_offline', 'critical', 'active');
  await alert(id('c'), 'gpu_lost', 'critical', 'acknowledged');
  await alert(id('b'), 'host_offline', 'critical', 'resolved');
});

afterAll(async () => {
  subscriber.disconnect();
  await api.app.locals.services.fleet.close();
  await api.close();
});

describe('dashboard', () => {
  it('stats match the seeded rows', async () => {
    const res = await api.request.get('/api/v1/admin/dashboard/stats').set(bearer(admin)).expect(200);
    expect(res.body.data).toEqual({
      total_machines: 4,
      online_machines: 3,
      offline_machines: 1,
      total_gpus: 16,
      avg_gpu_utilization: 45, // (10 + 30 + 50 + 90) / 4, offline d and unknown values excluded
      allocation_rate: 50, // 2 of 4
      active_customers: 2,
      active_alerts: 2, // unacknowledged and unresolved
    });
  });

  it('is for admins only', async () => {
    await api.request.get('/api/v1/admin/dashboard/stats').set(bearer(acme.ownerToken)).expect(403);
    await api.request.get('/api/v1/admin/dashboard/stats').expect(401);
  });

  it('gpu-trend averages the 1-minute roll-ups per step', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    for (const [offsetMin, util] of [
      [-10, 20],
      [-9, 40],
      [-8, 60],
      [-2, 80],
    ] as const) {
      for (const m of [id('a'), id('b')]) {
        await sql(
          `insert into metric_samples (machine_id, gpu_index, ts, resolution, gpu_util) values (?, null, ?, '1m', ?)`,
          [m, new Date(minute + offsetMin * 60_000), m === id('a') ? util : util + 10],
        );
      }
    }
    // Expected: every sample of both machines grouped into its 5-minute bucket and averaged.
    const expected = new Map<number, number[]>();
    for (const [offsetMin, util] of [
      [-10, 20],
      [-9, 40],
      [-8, 60],
      [-2, 80],
    ] as const) {
      const bucket = Math.floor((minute + offsetMin * 60_000) / 300_000) * 300_000;
      expected.set(bucket, [...(expected.get(bucket) ?? []), util, util + 10]);
    }
    const res = await api.request
      .get('/api/v1/admin/dashboard/gpu-trend?range=1h&step=5m')
      .set(bearer(admin))
      .expect(200);
    expect(res.body.data).toMatchObject({ range: '1h', step: 300, resolution: '1m' });
    expect(res.body.data.points).toEqual(
      [...expected.entries()]
        .sort(([a], [b]) => a - b)
        .map(([bucket, values]) => ({
          ts: new Date(bucket).toISOString(),
          avg_gpu_utilization: values.reduce((x, y) => x + y, 0) / values.length,
          avg_gpu_memory_used_mb: null,
          avg_gpu_temperature: null,
          machines: 2,
        })),
    );
    await api.request.get('/api/v1/admin/dashboard/gpu-trend?range=2h').set(bearer(admin)).expect(400);
    await api.request.get('/api/v1/admin/dashboard/gpu-trend?range=7d&step=5m').set(bearer(admin)).expect(400);
    const week = await api.request.get('/api/v1/admin/dashboard/gpu-trend?range=7d').set(bearer(admin)).expect(200);
    expect(week.body.data).toMatchObject({ resolution: '1h', step: 3600 });
  });
});

describe('alerts API', () => {
  it('lists with filters and paging', async () => {
    const all = await api.request.get('/api/v1/admin/alerts').set(bearer(admin)).expect(200);
    expect(all.body.data.total).toBe(4);
    // Unacknowledged first, then acknowledged, then resolved; critical before warning within each.
    expect(all.body.data.list.map((a: { machine_id: string; status: string }) => [a.machine_id, a.status])).toEqual([
      [id('d'), 'active'],
      [id('a'), 'active'],
      [id('c'), 'acknowledged'],
      [id('b'), 'resolved'],
    ]);
    const critical = await api.request
      .get('/api/v1/admin/alerts?severity=critical&status=active')
      .set(bearer(admin))
      .expect(200);
    expect(critical.body.data.list.map((a: { machine_id: string }) => a.machine_id)).toEqual([id('d')]);
    const byMachine = await api.request
      .get(`/api/v1/admin/alerts?machine_id=${id('c')}`)
      .set(bearer(admin))
      .expect(200);
    expect(byMachine.body.data.list).toEqual([
      expect.objectContaining({ kind: 'gpu_lost', status: 'acknowledged', count: 1, machine_name: `node ${id('c')}` }),
    ]);
    const open = await api.request.get('/api/v1/admin/alerts?status=open').set(bearer(admin)).expect(200);
    expect(open.body.data.total).toBe(3);
    const page = await api.request.get('/api/v1/admin/alerts?page=2&page_size=3').set(bearer(admin)).expect(200);
    expect(page.body.data).toMatchObject({ total: 4, page: 2, page_size: 3 });
    expect(page.body.data.list).toHaveLength(1);
    await api.request.get('/api/v1/admin/alerts?severity=fatal').set(bearer(admin)).expect(400);
    await api.request.get('/api/v1/admin/alerts').set(bearer(acme.ownerToken)).expect(403);
  });

  it('acknowledges and resolves, publishing each change on events:alerts', async () => {
    const [{ id: alertId }] = (await sql(`select id from alerts where machine_id = ? and kind = 'gpu_overheat'`, [
      id('a'),
    ])) as { id: number }[];
    const ack = await api.request.post(`/api/v1/admin/alerts/${alertId}/acknowledge`).set(bearer(admin)).expect(200);
    expect(ack.body.data).toMatchObject({ status: 'acknowledged', acknowledged_by: expect.any(Number) });
    expect(ack.body.data.acknowledged_at).not.toBeNull();
    // Idempotent.
    await api.request.post(`/api/v1/admin/alerts/${alertId}/acknowledge`).set(bearer(admin)).expect(200);
    const resolved = await api.request.post(`/api/v1/admin/alerts/${alertId}/resolve`).set(bearer(admin)).expect(200);
    expect(resolved.body.data).toMatchObject({ status: 'resolved' });
    expect(resolved.body.data.resolved_at).not.toBeNull();
    await api.request.post(`/api/v1/admin/alerts/${alertId}/acknowledge`).set(bearer(admin)).expect(409);
    await api.request.post(`/api/v1/admin/alerts/999999/resolve`).set(bearer(admin)).expect(404);
    await eventually(() =>
      expect(events.filter((e) => e.alert.id === Number(alertId)).map((e) => e.action)).toEqual([
        'acknowledged',
        'resolved',
      ]),
    );
    // Once resolved, the same problem can open a fresh alert (one open alert per machine + kind).
    await sql(
      `insert into alerts (machine_id, kind, severity, status, message) values (?, 'gpu_overheat', 'warning', 'active', 'again')`,
      [id('a')],
    );
  });
});

describe('monitoring and customer metrics', () => {
  it('realtime returns the fleet with the latest heartbeat metrics, cached for 30 s', async () => {
    const key = await issueAgentKey(api, admin, id('c'));
    await postSigned(api, signHeartbeat(key, metrics(gpus(4, { util_pct: 64 })))).expect(200);
    await api.deps.redis.del('fleet:realtime');
    const first = await api.request.get('/api/v1/admin/monitoring/realtime').set(bearer(admin)).expect(200);
    expect(first.body.data.cached).toBe(false);
    expect(first.body.data.summary).toMatchObject({ total_machines: 4, online_machines: 3 });
    const c = first.body.data.machines.find((m: { machine_id: string }) => m.machine_id === id('c'));
    expect(c).toMatchObject({ status: 'online', gpu_util: 64, gpu_mem: 4000, cpu_util: 10 });
    expect(c.gpus).toHaveLength(4);
    const a = first.body.data.machines.find((m: { machine_id: string }) => m.machine_id === id('a'));
    expect(a).toMatchObject({ tenant_id: acme.tenantId, gpu_util: null });
    const second = await api.request.get('/api/v1/admin/monitoring/realtime').set(bearer(admin)).expect(200);
    expect(second.body.data.cached).toBe(true);
    expect(await api.deps.redis.ttl('fleet:realtime')).toBeGreaterThan(20);
  });

  it("a customer reads its own machine's metrics and gets 404 for any other", async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    await sql(
      `insert into metric_samples (machine_id, gpu_index, ts, resolution, gpu_util, cpu_util) values (?, null, ?, '1m', 33, 12)`,
      [id('a'), new Date(minute)],
    );
    await sql(
      `insert into metric_samples (machine_id, gpu_index, ts, resolution, gpu_util) values (?, 0, ?, '1m', 44)`,
      [id('a'), new Date(minute)],
    );
    const res = await api.request
      .get(`/api/v1/customer/machines/${id('a')}/metrics?range=1h`)
      .set(bearer(acme.ownerToken))
      .expect(200);
    expect(res.body.data).toMatchObject({ machine_id: id('a'), range: '1h', resolution: '1m' });
    expect(res.body.data.host).toEqual(
      expect.arrayContaining([expect.objectContaining({ gpu_util: 33, cpu_util: 12 })]),
    );
    expect(res.body.data.gpus).toEqual([{ gpu_index: 0, points: [expect.objectContaining({ gpu_util: 44 })] }]);

    await api.request
      .get(`/api/v1/customer/machines/${id('b')}/metrics`)
      .set(bearer(acme.ownerToken))
      .expect(404);
    await api.request
      .get(`/api/v1/customer/machines/${id('c')}/metrics`)
      .set(bearer(acme.ownerToken))
      .expect(404);
    await api.request
      .get(`/api/v1/customer/machines/${id('a')}/metrics`)
      .set(bearer(other.ownerToken))
      .expect(404);
    await api.request.get(`/api/v1/customer/machines/nope/metrics`).set(bearer(other.ownerToken)).expect(404);
  });

  it('exposes fleet gauges on /metrics', async () => {
    const res = await api.request.get('/metrics').expect(200);
    expect(res.text).toContain('remotegpu_machines{status="online",allocation_status="allocated"} 2');
    expect(res.text).toContain('remotegpu_machines{status="offline",allocation_status="idle"} 1');
    expect(res.text).toMatch(/remotegpu_gpus\{bucket="high"\} [12]/);
    expect(res.text).toContain('remotegpu_alerts_open{severity="critical"}');
  });
});
