// POST /api/v1/admin/hosts/:id/ping through a REAL Temporal server: a control-plane worker on this
// file's own queue runs hostPingWorkflow; no agent polls the host's queue, so the ping must come back
// quickly as 503 HOST_UNREACHABLE.
import { NativeConnection, Worker } from '@temporalio/worker';
import { Machine } from '@remotegpu/core';
import { bearer, startTestApi, type TestApi } from '../../../tests/support/api-server';
import { testEnv, uniqueSuffix } from '../../../tests/support/env';
import { workflowBundlePath } from '../../../tests/support/global-setup';

const suffix = uniqueSuffix('ping').toLowerCase();
const taskQueue = `control-${suffix}`;
let api: TestApi;
let admin: string;
let worker: Worker;
let workerRun: Promise<void>;
let workerConnection: NativeConnection;

beforeAll(async () => {
  api = await startTestApi({
    seed: true,
    configure: (config) => ({
      ...config,
      hostPingTimeoutSeconds: 1,
      temporal: { ...config.temporal, controlTaskQueue: taskQueue },
    }),
  });
  admin = await api.loginAdmin();
  workerConnection = await NativeConnection.connect({ address: testEnv.temporalAddress });
  worker = await Worker.create({
    connection: workerConnection,
    namespace: testEnv.temporalNamespace,
    taskQueue,
    workflowBundle: { codePath: workflowBundlePath },
  });
  workerRun = worker.run();
}, 60_000);

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await workerConnection?.close();
  await api?.close();
});

it('answers 503 HOST_UNREACHABLE quickly when no agent serves the host', async () => {
  const machineId = `${suffix}-absent`;
  const em = api.em();
  em.create(Machine, { id: machineId, name: machineId, ip: '127.0.9.9' });
  await em.flush();

  const started = Date.now();
  const res = await api.request.post(`/api/v1/admin/hosts/${machineId}/ping`).set(bearer(admin)).expect(503);
  const elapsed = Date.now() - started;
  expect(res.body).toMatchObject({ code: 'HOST_UNREACHABLE', data: { machine_id: machineId } });
  expect(res.body.msg).toContain(`host-${machineId}`);
  expect(elapsed).toBeLessThan(10_000);
});

it('answers 404 for an unknown or malformed machine id, 403 for customers', async () => {
  await api.request.post(`/api/v1/admin/hosts/${suffix}-nothing/ping`).set(bearer(admin)).expect(404);
  await api.request.post('/api/v1/admin/hosts/NOT_VALID!/ping').set(bearer(admin)).expect(404);
  const customer = await api.createCustomer('pinger');
  await api.request.post(`/api/v1/admin/hosts/${suffix}-absent/ping`).set(bearer(customer.ownerToken)).expect(403);
});
