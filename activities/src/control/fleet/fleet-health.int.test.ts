// The fleet-health sweep against the real PostgreSQL + Redis (scratch database of the API harness),
// with heartbeats sent through the real API: stale → offline, then host_offline on the second stale
// sweep; fresh heartbeats → online + resolved; the GPU gate moves an idle machine to maintenance and
// back. One run goes through Temporal (fleetHealthWorkflow on this file's own task queue).
import { NativeConnection, Worker } from '@temporalio/worker';
import { DEFAULT_LIVENESS_POLICY } from '@remotegpu/core';
import { ALERT_EVENTS_CHANNEL, machineHeartbeatKey, type AlertEvent } from '@remotegpu/core/contracts';
import { Redis } from 'ioredis';
import { startTestApi, type TestApi } from '../../../../tests/support/api-server';
import { testEnv, uniqueSuffix } from '../../../../tests/support/env';
import { eventually } from '../../../../tests/support/eventually';
import {
  gpus,
  insertMachine,
  issueAgentKey,
  metrics,
  postSigned,
  signHeartbeat,
  type AgentKey,
} from '../../../../tests/support/fleet';
import { workflowBundlePath } from '../../../../tests/support/global-setup';
import { createFleetActivities } from './index';

let api: TestApi;
let admin: string;
let subscriber: Redis;
const events: AlertEvent[] = [];
const prefix = uniqueSuffix('fh').toLowerCase();
let clockMs = Date.now();
const clock = { now: () => new Date(clockMs) };

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.loginAdmin();
  subscriber = new Redis(testEnv.redisUrl);
  await subscriber.subscribe(ALERT_EVENTS_CHANNEL);
  subscriber.on('message', (_channel, message: string) => {
    const event = JSON.parse(message) as AlertEvent;
    if (event.alert.machine_id?.startsWith(prefix)) events.push(event);
  });
});

afterAll(async () => {
  subscriber.disconnect();
  await api.app.locals.services.fleet.close();
  await api.close();
});

const activities = () =>
  createFleetActivities({ orm: api.deps.orm, redis: api.deps.redis, clock, gpuGate: { maxTemperatureC: 90 } });

async function machine(
  id: string,
): Promise<{ status: string; allocation_status: string; health_notes: string | null }> {
  const [row] = (await api
    .em()
    .getConnection()
    .execute(`select status, allocation_status, health_notes from machines where id = ?`, [id])) as {
    status: string;
    allocation_status: string;
    health_notes: string | null;
  }[];
  return row;
}

async function alerts(id: string) {
  return (await api
    .em()
    .getConnection()
    .execute(`select id, kind, status, count, severity from alerts where machine_id = ? order by id`, [id])) as {
    id: number;
    kind: string;
    status: string;
    count: number;
    severity: string;
  }[];
}

async function heartbeat(key: AgentKey, gpuCount: number, extra: Parameters<typeof gpus>[1] = {}): Promise<void> {
  const res = await postSigned(api, signHeartbeat(key, metrics(gpus(gpuCount, extra))));
  expect(res.status).toBe(200);
}

it('a stale machine goes offline at the first sweep, gets one host_offline alert from the second on, and comes back with heartbeats', async () => {
  const id = `${prefix}-stale`;
  await insertMachine(api.em(), { id, gpuCount: 2, status: 'online' });
  const key = await issueAgentKey(api, admin, id);
  await heartbeat(key, 2);
  // A never-seen machine in the same sweep is not alerted.
  await insertMachine(api.em(), { id: `${prefix}-never`, gpuCount: 1 });

  clockMs = Date.now();
  const fresh = await activities().sweepFleetHealth({ machineIdPrefix: prefix });
  expect(fresh.markedOffline).toEqual([]);
  expect((await machine(id)).status).toBe('online');

  clockMs = Date.now() + DEFAULT_LIVENESS_POLICY.offlineAfterMs + 1_000;
  const first = await activities().sweepFleetHealth({ machineIdPrefix: prefix });
  expect(first.markedOffline).toEqual([id]);
  expect((await machine(id)).status).toBe('offline');
  expect(await alerts(id)).toEqual([]);

  clockMs += 10_000;
  await activities().sweepFleetHealth({ machineIdPrefix: prefix });
  clockMs += 10_000;
  await activities().sweepFleetHealth({ machineIdPrefix: prefix });
  const raised = await alerts(id);
  expect(raised).toHaveLength(1);
  expect(raised[0]).toMatchObject({ kind: 'host_offline', status: 'active', count: 2, severity: 'critical' });
  expect(await alerts(`${prefix}-never`)).toEqual([]);
  await eventually(() =>
    expect(events.filter((e) => e.alert.machine_id === id).map((e) => e.action)).toEqual(['raised']),
  );

  // Back: two fresh heartbeats (the API's clock is real time) → online, alert resolved.
  await heartbeat(key, 2);
  expect((await machine(id)).status).toBe('offline');
  await heartbeat(key, 2);
  expect((await machine(id)).status).toBe('online');
  expect((await alerts(id))[0].status).toBe('resolved');
  await eventually(() =>
    expect(events.filter((e) => e.alert.machine_id === id).map((e) => e.action)).toEqual(['raised', 'resolved']),
  );
});

it('the GPU gate moves an idle machine that lost a GPU to maintenance with alerts, and a passing check returns it to idle', async () => {
  const id = `${prefix}-gate`;
  await insertMachine(api.em(), { id, gpuCount: 4, status: 'online', inventory: true });
  const key = await issueAgentKey(api, admin, id);
  await heartbeat(key, 3); // GPU 3 gone
  clockMs = Date.now();
  const failing = await activities().sweepFleetHealth({ machineIdPrefix: id });
  expect(failing.toMaintenance).toEqual([id]);
  const m = await machine(id);
  expect(m.allocation_status).toBe('maintenance');
  expect(m.health_notes).toMatch(/^gpu-gate:/);
  expect((await alerts(id)).map((a) => [a.kind, a.status])).toEqual([
    ['gpu_count_low', 'active'],
    ['gpu_lost', 'active'],
  ]);

  // Still failing: de-duplicated, the same alerts are bumped.
  await activities().sweepFleetHealth({ machineIdPrefix: id });
  expect((await alerts(id)).map((a) => [a.kind, a.count])).toEqual([
    ['gpu_count_low', 2],
    ['gpu_lost', 2],
  ]);

  await heartbeat(key, 4);
  clockMs = Date.now();
  const passing = await activities().sweepFleetHealth({ machineIdPrefix: id });
  expect(passing.backToIdle).toEqual([id]);
  expect(await machine(id)).toMatchObject({ allocation_status: 'idle', health_notes: null });
  expect((await alerts(id)).map((a) => a.status)).toEqual(['resolved', 'resolved']);
});

it('the gate raises ECC and temperature alerts, leaves allocated machines allocated and never releases an operator maintenance', async () => {
  const allocated = `${prefix}-alloc`;
  await insertMachine(api.em(), {
    id: allocated,
    gpuCount: 2,
    status: 'online',
    allocationStatus: 'allocated',
    inventory: true,
  });
  await heartbeat(await issueAgentKey(api, admin, allocated), 2, { ecc_uncorrected: 4, temperature_c: 95 });
  const manual = `${prefix}-manual`;
  await insertMachine(api.em(), {
    id: manual,
    gpuCount: 2,
    status: 'online',
    allocationStatus: 'maintenance',
    inventory: true,
  });
  await heartbeat(await issueAgentKey(api, admin, manual), 2);

  clockMs = Date.now();
  const result = await activities().sweepFleetHealth({ machineIdPrefix: `${prefix}-` });
  expect(result.toMaintenance).toEqual([]);
  expect(result.backToIdle).toEqual([]);
  expect((await machine(allocated)).allocation_status).toBe('allocated');
  expect((await alerts(allocated)).map((a) => [a.kind, a.severity])).toEqual([
    ['gpu_ecc_errors', 'critical'],
    ['gpu_overheat', 'warning'],
  ]);
  expect((await machine(manual)).allocation_status).toBe('maintenance');
});

it('fleetHealthWorkflow runs the sweep through Temporal', async () => {
  const id = `${prefix}-wf`;
  await insertMachine(api.em(), { id, gpuCount: 1, status: 'online' });
  await api.deps.redis.set(machineHeartbeatKey(id), String(Date.now() - 60_000));
  clockMs = Date.now();
  const taskQueue = `${prefix}-queue`;
  const connection = await NativeConnection.connect({ address: testEnv.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: testEnv.temporalNamespace,
    taskQueue,
    workflowBundle: { codePath: workflowBundlePath },
    activities: activities(),
  });
  const result = await worker
    .runUntil(
      api.deps.temporal.workflow.execute('fleetHealthWorkflow', {
        taskQueue,
        workflowId: `${prefix}-fleet-health`,
        args: [{ machineIdPrefix: id }],
      }),
    )
    .finally(() => connection.close());
  expect(result).toMatchObject({ checked: 1, markedOffline: [id] });
  expect((await machine(id)).status).toBe('offline');
});
