// Fleet health end to end: a simulated GPU host (own loopback address 127.0.5.x) runs the REAL agent,
// which sends signed heartbeats to an in-process API listening on loopback; a Temporal Schedule owned by
// this file runs fleetHealthWorkflow every 10 s on this file's task queue (the production schedule's
// shape, scoped to this machine). Stop the agent → offline + host_offline within 40 s; start it →
// online + resolved; nvidia-smi reporting GPU lost → alert and maintenance; healthy again → idle.
// Needs `npx tsc -b tsconfig.build.json` (the host runs agent-worker/dist).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScheduleOverlapPolicy, type ScheduleHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createFleetActivities } from '../../activities/src/control/fleet';
import { startTestApi, type TestApi } from '../support/api-server';
import { testEnv, uniqueSuffix } from '../support/env';
import { eventually } from '../support/eventually';
import { insertMachine, issueAgentKey } from '../support/fleet';
import { workflowBundlePath } from '../support/global-setup';
import { SimHost } from '../support/simhost';

jest.setTimeout(420_000);

const HOST_IP = '127.0.5.1';
const suffix = uniqueSuffix('fleet').toLowerCase();
const machineId = `${suffix}-h1`;
const taskQueue = `fleet-e2e-${suffix}`;

let api: TestApi;
let server: Server;
let host: SimHost | undefined;
let connection: NativeConnection;
let worker: Worker;
let workerDone: Promise<void>;
let schedule: ScheduleHandle | undefined;

const sql = (text: string, params: unknown[] = []) => api.em().getConnection().execute(text, params);
const machine = async () =>
  (
    (await sql(`select status, allocation_status from machines where id = ?`, [machineId])) as {
      status: string;
      allocation_status: string;
    }[]
  )[0];
const openAlerts = async () =>
  (
    (await sql(`select kind from alerts where machine_id = ? and status <> 'resolved' order by kind`, [machineId])) as {
      kind: string;
    }[]
  ).map((a) => a.kind);

beforeAll(async () => {
  api = await startTestApi();
  const admin = await api.loginAdmin();
  server = createServer(api.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  await insertMachine(api.em(), { id: machineId, gpuCount: 8, status: 'offline', ip: HOST_IP });
  const key = await issueAgentKey(api, admin, machineId);

  connection = await NativeConnection.connect({ address: testEnv.temporalAddress });
  worker = await Worker.create({
    connection,
    namespace: testEnv.temporalNamespace,
    taskQueue,
    workflowBundle: { codePath: workflowBundlePath },
    activities: createFleetActivities({ orm: api.deps.orm, redis: api.deps.redis, clock: { now: () => new Date() } }),
  });
  workerDone = worker.run();
  schedule = await api.deps.temporal.schedule.create({
    scheduleId: `${suffix}-fleet-health`,
    spec: { intervals: [{ every: '10s' }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'fleetHealthWorkflow',
      workflowId: `${suffix}-fleet-health`,
      taskQueue,
      args: [{ machineIdPrefix: machineId }],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
  });

  host = await SimHost.start(`fleet-${suffix.slice(-4)}`, HOST_IP, {
    MACHINE_ID: machineId,
    TEMPORAL_ADDRESS: testEnv.temporalAddress,
    API_URL: `http://127.0.0.1:${port}`,
    AGENT_KEY_ID: key.keyId,
    AGENT_SECRET: key.secret,
    HEARTBEAT_INTERVAL_MS: '5000',
    SIMHOST_GPU_PROFILE: 'h100x8',
    LOG_LEVEL: 'info',
  });
});

afterAll(async () => {
  await schedule?.delete().catch(() => undefined);
  await host?.stop();
  worker?.shutdown();
  await workerDone?.catch(() => undefined);
  await connection?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await api?.app.locals.services.fleet.close();
  await api?.close();
});

async function withHostLogs<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const logs = host ? await host.logs() : '';
    throw new Error(`${(err as Error).message}\n--- simhost logs ---\n${logs}`);
  }
}

it('a stopped agent is offline with an alert within 40 s; restarted it is online and the alert resolved', async () => {
  await withHostLogs(async () => {
    await eventually(async () => expect(await machine()).toMatchObject({ status: 'online' }), {
      timeoutMs: 90_000,
      intervalMs: 500,
    });
    const stoppedAt = Date.now();
    await host!.stopAgent();
    await eventually(
      async () => {
        expect((await machine()).status).toBe('offline');
        expect(await openAlerts()).toContain('host_offline');
      },
      { timeoutMs: 40_000, intervalMs: 500 },
    );
    expect(Date.now() - stoppedAt).toBeLessThanOrEqual(40_000);

    await host!.startAgent();
    await eventually(
      async () => {
        expect((await machine()).status).toBe('online');
        expect(await openAlerts()).not.toContain('host_offline');
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const [resolved] = (await sql(
      `select status from alerts where machine_id = ? and kind = 'host_offline' order by id desc limit 1`,
      [machineId],
    )) as { status: string }[];
    expect(resolved.status).toBe('resolved');
  });
});

it('GPU lost on an idle host raises alerts and puts it into maintenance; healthy again it returns to idle', async () => {
  await withHostLogs(async () => {
    // The inventory (gpu_devices) was learned from the healthy heartbeats.
    const [{ n }] = (await sql(`select count(*) as n from gpu_devices where machine_id = ?`, [machineId])) as {
      n: string;
    }[];
    expect(Number(n)).toBe(8);
    await host!.setNvidiaMode('gpu_lost');
    await eventually(
      async () => {
        expect(await openAlerts()).toEqual(expect.arrayContaining(['gpu_count_low', 'gpu_lost']));
        expect((await machine()).allocation_status).toBe('maintenance');
      },
      { timeoutMs: 40_000, intervalMs: 500 },
    );
    // Maintenance blocks allocation: the machine is no longer idle.
    expect((await machine()).status).toBe('online');

    await host!.setNvidiaMode('ok');
    await eventually(
      async () => {
        expect((await machine()).allocation_status).toBe('idle');
        expect(await openAlerts()).toEqual([]);
      },
      { timeoutMs: 40_000, intervalMs: 500 },
    );
  });
});
