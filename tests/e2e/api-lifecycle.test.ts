// The machine lifecycle through the HTTP API, end to end: an admin registers a simulated GPU host
// (real sshd + real agent worker in a container on 127.0.4.x, this file's loopback range), allocates
// it to a customer whose SSH key was registered through the API; the allocate operation succeeds, the
// key logs in, the customer sees the machine with its ssh host/port/user, extends and resets the
// password; the admin reclaims → login refused, machine idle, the customer's list is empty. Then a
// reclaim that cannot verify the host (simulated GPU compute processes) quarantines the machine
// (maintenance) until the admin's quarantine/retry finishes it.
// Needs `npx tsc -b tsconfig.build.json` (the simulated host mounts the built agent).
import type { Server } from 'node:http';
import { ALLOCATION_STEPS, addCalendarMonths } from '@remotegpu/core/contracts';
import type { RunningControlWorker } from '../../workers/src/control-worker';
import { bearer, startTestApi, type TestApi, type TestCustomer } from '../support/api-server';
import { uniqueSuffix } from '../support/env';
import { eventually } from '../support/eventually';
import { simHostAgentEnv, startLifecycleControlWorker } from '../support/lifecycle';
import { SimHost } from '../support/simhost';
import { addOwnerKey, listenOnLoopback, registerMachine } from '../support/e2e-stack';
import { sshCanLogin, sshRun } from '../support/ssh';

jest.setTimeout(300_000);

const suffix = uniqueSuffix('apil').toLowerCase();
const controlQueue = `control-${suffix}`;
const HOST_IP = '127.0.4.1';
const machineId = `m-${suffix}`;

let api: TestApi;
let server: Server;
let worker: RunningControlWorker;
let host: SimHost;
let admin: string;
let customer: TestCustomer;
let privateKey: string;
let unixUser: string;

interface OperationBody {
  status: string;
  steps: { name: string; status: string }[];
  error: string | null;
}

async function operationEnds(operationId: string, timeoutMs = 120_000): Promise<OperationBody> {
  return eventually(
    async () => {
      const res = await api.request.get(`/api/v1/admin/operations/${operationId}`).set(bearer(admin)).expect(200);
      const op = res.body.data as OperationBody;
      if (op.status === 'pending' || op.status === 'running')
        throw new Error(`operation ${operationId} is ${op.status}`);
      return op;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

const login = (password?: string) =>
  sshCanLogin({ host: HOST_IP, username: unixUser, ...(password ? { password } : { privateKey }), timeoutMs: 15_000 });

beforeAll(async () => {
  api = await startTestApi({
    configure: (config) => ({ ...config, temporal: { ...config.temporal, controlTaskQueue: controlQueue } }),
  });
  let apiUrl: string;
  ({ server, url: apiUrl } = await listenOnLoopback(api.app));
  admin = await api.loginAdmin();

  customer = await api.createCustomer('apil');
  unixUser = `t_${customer.companyCode}`;
  privateKey = await addOwnerKey(api, customer, `${customer.companyCode}@e2e`);

  const registered = await registerMachine(api, admin, { id: machineId, name: `e2e ${suffix}`, ip: HOST_IP });
  const credentials = registered.agent_credentials;
  expect(registered.task_queue).toBe(`host-${machineId}`);

  [worker, host] = await Promise.all([
    startLifecycleControlWorker(api.deps.orm, controlQueue),
    SimHost.start(`apil-${suffix.slice(-4)}`, HOST_IP, {
      ...simHostAgentEnv(machineId),
      API_URL: apiUrl,
      AGENT_KEY_ID: credentials.key_id,
      AGENT_SECRET: credentials.secret,
    }),
  ]);
});

afterAll(async () => {
  await worker?.shutdown();
  await host?.stop();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await api?.close();
});

describe('allocate → use → reclaim through the API', () => {
  let allocationId: string;

  it('allocates: the operation succeeds and the tenant key logs in', async () => {
    expect(await login()).toBe(false);
    const res = await api.request
      .post(`/api/v1/admin/machines/${machineId}/allocate`)
      .set(bearer(admin))
      .send({ tenant_id: customer.tenantId, duration_months: 3, remark: 'e2e' })
      .expect(200);
    allocationId = res.body.data.allocation_id;

    const operation = await operationEnds(res.body.data.operation_id);
    expect(operation.error).toBeNull();
    expect(operation.status).toBe('succeeded');
    expect(operation.steps.map((s) => s.name)).toEqual([...ALLOCATION_STEPS]);

    expect(await login()).toBe(true);
    const whoami = await sshRun({ host: HOST_IP, username: unixUser, privateKey, command: 'whoami' });
    expect(whoami.stdout.trim()).toBe(unixUser);

    const detail = await api.request.get(`/api/v1/admin/machines/${machineId}`).set(bearer(admin)).expect(200);
    expect(detail.body.data).toMatchObject({
      allocation_status: 'allocated',
      tenant_id: customer.tenantId,
      current_allocation: { id: allocationId, status: 'active', unix_user: unixUser },
    });
  });

  it('the customer lists the machine with its ssh host, port and user; the connection matches', async () => {
    const list = await api.request.get('/api/v1/customer/machines').set(bearer(customer.ownerToken)).expect(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        id: machineId,
        allocation_status: 'active',
        allocation_id: allocationId,
        ssh_host: HOST_IP,
        ssh_port: 22,
        ssh_user: unixUser,
        expires_at: expect.any(String),
      }),
    ]);
    const connection = await api.request
      .get(`/api/v1/customer/machines/${machineId}/connection`)
      .set(bearer(customer.ownerToken))
      .expect(200);
    expect(connection.body.data.ssh_command).toBe(`ssh -p 22 ${unixUser}@${HOST_IP}`);
  });

  it('extends the lease through the Update; an invalid extension is 422 and changes nothing', async () => {
    const before = await api.request.get(`/api/v1/admin/allocations/${allocationId}`).set(bearer(admin)).expect(200);
    const rejected = await api.request
      .post(`/api/v1/admin/allocations/${allocationId}/extend`)
      .set(bearer(admin))
      .send({ months: 0 })
      .expect(422);
    expect(rejected.body.code).toBe('UNPROCESSABLE');
    const res = await api.request
      .post(`/api/v1/admin/allocations/${allocationId}/extend`)
      .set(bearer(admin))
      .send({ months: 2 })
      .expect(200);
    expect(res.body.data.previous_expires_at).toBe(before.body.data.expires_at);
    expect(res.body.data.expires_at).toBe(addCalendarMonths(before.body.data.expires_at, 2));
    const after = await api.request.get(`/api/v1/admin/allocations/${allocationId}`).set(bearer(admin)).expect(200);
    expect(after.body.data.expires_at).toBe(res.body.data.expires_at);
  });

  it('the owner resets the SSH password: returned once, and it logs in', async () => {
    const res = await api.request
      .post(`/api/v1/customer/machines/${machineId}/ssh-reset`)
      .set(bearer(customer.ownerToken))
      .expect(200);
    expect(res.body.data).toMatchObject({ machine_id: machineId, ssh_user: unixUser });
    expect(res.body.data.password).toEqual(expect.any(String));
    expect(await login(res.body.data.password)).toBe(true);
  });

  it('reclaims: the operation succeeds, the login is refused, the machine is idle, the customer list empties', async () => {
    const res = await api.request
      .post(`/api/v1/admin/machines/${machineId}/reclaim`)
      .set(bearer(admin))
      .send({ reason: 'e2e reclaim', force: false })
      .expect(200);
    expect(res.body.msg).toBe('Reclaim process started');
    const taskId = res.body.data.task_id as string;
    // Asking again while it runs returns the same operation.
    const repeated = await api.request
      .post(`/api/v1/admin/machines/${machineId}/reclaim`)
      .set(bearer(admin))
      .send({ reason: 'again', force: false });
    if (repeated.status === 200) expect(repeated.body.data.task_id).toBe(taskId);
    else expect(repeated.status).toBe(409);

    const operation = await operationEnds(taskId);
    expect(operation.error).toBeNull();
    expect(operation.status).toBe('succeeded');
    expect(operation.steps.map((s) => s.name)).toContain('verify_clean');

    const machine = await api.request.get(`/api/v1/admin/machines/${machineId}`).set(bearer(admin)).expect(200);
    expect(machine.body.data).toMatchObject({ allocation_status: 'idle', current_allocation: null, tenant_name: null });
    expect(await login()).toBe(false);
    const list = await api.request.get('/api/v1/customer/machines').set(bearer(customer.ownerToken)).expect(200);
    expect(list.body.data).toEqual([]);
    const allocation = await api.request
      .get(`/api/v1/admin/allocations/${allocationId}`)
      .set(bearer(admin))
      .expect(200);
    expect(allocation.body.data.status).toBe('reclaimed');
    const ops = await api.request.get(`/api/v1/admin/machines/${machineId}/operations`).set(bearer(admin)).expect(200);
    expect(ops.body.data.list.map((o: { kind: string }) => o.kind)).toEqual(
      expect.arrayContaining(['allocate', 'reclaim']),
    );
  });
});

describe('a reclaim that cannot verify the host quarantines the machine until an admin decides', () => {
  it('maintenance while GPU compute processes remain; release is refused while it waits; retry finishes it', async () => {
    const allocated = await api.request
      .post(`/api/v1/admin/machines/${machineId}/allocate`)
      .set(bearer(admin))
      .send({ tenant_id: customer.tenantId, duration_months: 1 })
      .expect(200);
    expect((await operationEnds(allocated.body.data.operation_id)).status).toBe('succeeded');
    expect(await login()).toBe(true);

    // The simulated nvidia-smi now reports compute processes: verify_clean cannot pass.
    await host.setNvidiaMode('busy');
    const reclaim = await api.request
      .post(`/api/v1/admin/machines/${machineId}/reclaim`)
      .set(bearer(admin))
      .send({ reason: 'quarantine e2e', force: true })
      .expect(200);
    const taskId = reclaim.body.data.task_id as string;

    await eventually(
      async () => {
        const machine = await api.request.get(`/api/v1/admin/machines/${machineId}`).set(bearer(admin)).expect(200);
        expect(machine.body.data.allocation_status).toBe('maintenance');
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const waiting = await api.request.get(`/api/v1/admin/operations/${taskId}`).set(bearer(admin)).expect(200);
    expect(waiting.body.data.status).toBe('running');
    expect(waiting.body.data.steps).toContainEqual(expect.objectContaining({ name: 'verify_clean', status: 'failed' }));

    const release = await api.request
      .post(`/api/v1/admin/machines/${machineId}/quarantine/release`)
      .set(bearer(admin))
      .expect(409);
    expect(release.body.data.reason).toBe('reclaim_waiting');

    await host.setNvidiaMode('ok');
    const retry = await api.request
      .post(`/api/v1/admin/machines/${machineId}/quarantine/retry`)
      .set(bearer(admin))
      .expect(200);
    expect(retry.body.data.task_id).toBe(taskId);

    const finished = await operationEnds(taskId);
    expect(finished.status).toBe('succeeded');
    const machine = await api.request.get(`/api/v1/admin/machines/${machineId}`).set(bearer(admin)).expect(200);
    expect(machine.body.data).toMatchObject({ allocation_status: 'idle', current_allocation: null });
    expect(await login()).toBe(false);
  });
});
