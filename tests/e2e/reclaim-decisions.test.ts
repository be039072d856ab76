// The reclaim paths an admin decides, end to end through the HTTP API against a simulated GPU host
// (real sshd + real agent in a container on 127.0.10.x, this file's loopback range):
// - a reclaim refused while the tenant's tasks run (the API's check and the workflow's own check_tasks
//   step), then forced: the machine ends idle;
// - a quarantined reclaim (verify_clean keeps failing: simulated GPU compute processes) that the admin
//   answers with `skip-step`: the workflow releases the machine (idle, allocation reclaimed, alert
//   resolved), the cleanup before the skipped step really happened on the host;
// - a quarantined reclaim answered with `mark-broken`: the lease ends, the machine stays out of the pool
//   (maintenance, unhealthy), the operation fails, the alert stays open.
// Needs `npx tsc -b tsconfig.build.json` (the simulated host mounts the built agent).
import type { Server } from 'node:http';
import { WorkflowFailedError } from '@temporalio/client';
import { Alert } from '@remotegpu/core';
import { LIFECYCLE_FAILURE_TYPES, type ReclaimWorkflowInput } from '@remotegpu/core/contracts';
import { newOperationId } from '../../activities/src/control/reservation';
import type { RunningControlWorker } from '../../workers/src/control-worker';
import { bearer, startTestApi, type TestApi, type TestCustomer } from '../support/api-server';
import { uniqueSuffix } from '../support/env';
import { eventually } from '../support/eventually';
import { simHostAgentEnv, startLifecycleControlWorker } from '../support/lifecycle';
import { SimHost } from '../support/simhost';
import { addOwnerKey, listenOnLoopback, registerMachine } from '../support/e2e-stack';
import { sshCanLogin, sshRun } from '../support/ssh';

jest.setTimeout(300_000);

const suffix = uniqueSuffix('rcd').toLowerCase();
const controlQueue = `control-${suffix}`;
// 127.0.10.x is this file's loopback range.
const HOST_IP = '127.0.10.1';
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
  steps: { name: string; status: string; error?: string | null }[];
  result: Record<string, unknown> | null;
  error: string | null;
}

async function getOperation(operationId: string): Promise<OperationBody> {
  const res = await api.request.get(`/api/v1/admin/operations/${operationId}`).set(bearer(admin)).expect(200);
  return res.body.data as OperationBody;
}

async function operationEnds(operationId: string, timeoutMs = 120_000): Promise<OperationBody> {
  return eventually(
    async () => {
      const op = await getOperation(operationId);
      if (op.status === 'pending' || op.status === 'running')
        throw new Error(`operation ${operationId} is ${op.status}`);
      return op;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

async function machineDetail(): Promise<Record<string, unknown>> {
  const res = await api.request.get(`/api/v1/admin/machines/${machineId}`).set(bearer(admin)).expect(200);
  return res.body.data as Record<string, unknown>;
}

async function allocationStatus(allocationId: string): Promise<string> {
  const res = await api.request.get(`/api/v1/admin/allocations/${allocationId}`).set(bearer(admin)).expect(200);
  return res.body.data.status as string;
}

const openReclaimAlerts = () =>
  api.em().find(Alert, { machine: machineId, kind: 'reclaim_failed', status: { $ne: 'resolved' } });

const login = () => sshCanLogin({ host: HOST_IP, username: unixUser, privateKey, timeoutMs: 15_000 });

/** Allocates the machine to the customer and waits until the tenant key logs in. */
async function allocate(): Promise<string> {
  const res = await api.request
    .post(`/api/v1/admin/machines/${machineId}/allocate`)
    .set(bearer(admin))
    .send({ tenant_id: customer.tenantId, duration_months: 1 })
    .expect(200);
  const operation = await operationEnds(res.body.data.operation_id);
  expect(operation.error).toBeNull();
  expect(operation.status).toBe('succeeded');
  expect(await login()).toBe(true);
  return res.body.data.allocation_id as string;
}

/** The tenant leaves work behind: a long-running process and a file in its home directory. */
async function leaveWorkBehind(): Promise<void> {
  await sshRun({
    host: HOST_IP,
    username: unixUser,
    privateKey,
    command:
      'mkdir -p ~/project && echo secret > ~/project/data.txt && (nohup sleep 3600 >/dev/null 2>&1 </dev/null &)',
  });
  await eventually(async () =>
    expect((await host.exec(['pgrep', '-u', unixUser, 'sleep'])).stdout.trim()).not.toBe(''),
  );
}

/** Starts a reclaim through the API while nvidia-smi reports compute processes; waits for the quarantine. */
async function reclaimIntoQuarantine(reason: string): Promise<string> {
  await host.setNvidiaMode('busy');
  const res = await api.request
    .post(`/api/v1/admin/machines/${machineId}/reclaim`)
    .set(bearer(admin))
    .send({ reason, force: false })
    .expect(200);
  const taskId = res.body.data.task_id as string;
  await eventually(async () => expect((await machineDetail()).allocation_status).toBe('maintenance'), {
    timeoutMs: 90_000,
    intervalMs: 500,
  });
  const waiting = await getOperation(taskId);
  expect(waiting.status).toBe('running');
  expect(waiting.steps).toContainEqual(expect.objectContaining({ name: 'verify_clean', status: 'failed' }));
  const alerts = await openReclaimAlerts();
  expect(alerts).toHaveLength(1);
  expect(alerts[0].message).toContain('verify_clean');
  return taskId;
}

async function decide(operationId: string, decision: string) {
  return api.request.post(`/api/v1/admin/operations/${operationId}/decision`).set(bearer(admin)).send({ decision });
}

beforeAll(async () => {
  api = await startTestApi({
    configure: (config) => ({ ...config, temporal: { ...config.temporal, controlTaskQueue: controlQueue } }),
  });
  let apiUrl: string;
  ({ server, url: apiUrl } = await listenOnLoopback(api.app));
  admin = await api.loginAdmin();

  customer = await api.createCustomer('rcd');
  unixUser = `t_${customer.companyCode}`;
  privateKey = await addOwnerKey(api, customer, `${customer.companyCode}@e2e`);

  const registered = await registerMachine(api, admin, { id: machineId, name: `e2e ${suffix}`, ip: HOST_IP });
  const credentials = registered.agent_credentials;

  [worker, host] = await Promise.all([
    startLifecycleControlWorker(api.deps.orm, controlQueue),
    SimHost.start(`rcd-${suffix.slice(-4)}`, HOST_IP, {
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

describe('a reclaim while the tenant has running tasks', () => {
  it('is refused without force (API and workflow), the machine untouched; with force it ends idle', async () => {
    const allocationId = await allocate();
    await api
      .em()
      .getConnection()
      .execute(
        `insert into tasks (tenant_id, machine_id, name, command, status) values (?, ?, 'train', 'python train.py', 'running')`,
        [customer.tenantId, machineId],
      );

    // The API checks before it starts anything: a clear 409, no operation recorded.
    const refused = await api.request
      .post(`/api/v1/admin/machines/${machineId}/reclaim`)
      .set(bearer(admin))
      .send({ reason: 'tasks running', force: false })
      .expect(409);
    expect(refused.body.code).toBe('CONFLICT');
    expect(refused.body.data).toMatchObject({ reason: 'tasks_running' });
    expect(refused.body.msg).toContain('force');
    const ops = await api.request.get(`/api/v1/admin/machines/${machineId}/operations`).set(bearer(admin)).expect(200);
    expect(ops.body.data.list.map((o: { kind: string }) => o.kind)).not.toContain('reclaim');

    // The workflow checks again (a task may start after the request was accepted): started directly,
    // its operation fails with TASKS_RUNNING and nothing on the host or in the inventory changes.
    const operationId = newOperationId();
    const input: ReclaimWorkflowInput = {
      allocationId,
      machineId,
      tenantId: customer.tenantId,
      unixUser,
      reason: 'tasks running (workflow check)',
      force: false,
      operationId,
      requestedBy: null,
    };
    const handle = await api.deps.temporal.workflow.start('reclaimWorkflow', {
      taskQueue: controlQueue,
      workflowId: `reclaim-check-${suffix}`,
      args: [input],
    });
    const failure = await handle.result().then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toMatchObject({ type: LIFECYCLE_FAILURE_TYPES.tasksRunning });
    const operation = await getOperation(operationId);
    expect(operation.status).toBe('failed');
    expect(operation.error).toMatch(/^TASKS_RUNNING: 1 task\(s\) of the tenant are still running/);
    expect(operation.steps.map((s) => s.name)).toEqual(['check_tasks']);
    expect(await machineDetail()).toMatchObject({
      allocation_status: 'allocated',
      current_allocation: expect.objectContaining({ id: allocationId, status: 'active' }),
    });
    expect(await allocationStatus(allocationId)).toBe('active');
    expect(await login()).toBe(true);

    // force: the check is skipped and the reclaim runs to the end.
    const forced = await api.request
      .post(`/api/v1/admin/machines/${machineId}/reclaim`)
      .set(bearer(admin))
      .send({ reason: 'forced', force: true })
      .expect(200);
    const finished = await operationEnds(forced.body.data.task_id);
    expect(finished.error).toBeNull();
    expect(finished.status).toBe('succeeded');
    expect(finished.steps).toContainEqual(expect.objectContaining({ name: 'check_tasks', status: 'skipped' }));
    expect(await machineDetail()).toMatchObject({ allocation_status: 'idle', current_allocation: null });
    expect(await allocationStatus(allocationId)).toBe('reclaimed');
    expect(await login()).toBe(false);

    // The forced reclaim killed the task's processes, so its row is ended too: a later reclaim of this
    // machine is not refused by a task that no longer runs.
    const tasks = (await api
      .em()
      .getConnection()
      .execute(`select status, finished_at from tasks where machine_id = ?`, [machineId])) as {
      status: string;
      finished_at: Date | null;
    }[];
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) {
      expect(task.status).toBe('stopped');
      expect(task.finished_at).not.toBeNull();
    }
  });
});

describe('a quarantined reclaim answered with skip-step', () => {
  it('skips verify_clean, releases the machine idle; the cleanup before it happened on the host', async () => {
    await host.setNvidiaMode('ok');
    const allocationId = await allocate();
    await leaveWorkBehind();
    const taskId = await reclaimIntoQuarantine('skip-step e2e');

    // The steps before verify_clean really ran: key refused, the tenant's processes and data gone.
    expect(await login()).toBe(false);
    expect((await host.exec(['pgrep', '-u', unixUser])).stdout.trim()).toBe('');
    expect(await host.execOk(['find', `/home/${unixUser}`, '-mindepth', '1'])).toBe('');
    expect(await allocationStatus(allocationId)).toBe('reclaiming');

    // A bad decision is a 400 and changes nothing.
    expect((await decide(taskId, 'ignore')).status).toBe(400);
    expect((await getOperation(taskId)).status).toBe('running');

    const accepted = await decide(taskId, 'skip-step');
    expect(accepted.status).toBe(200);
    expect(accepted.body.data).toMatchObject({ operation_id: taskId, decision: 'skip-step' });

    const finished = await operationEnds(taskId);
    expect(finished.status).toBe('succeeded');
    expect(finished.error).toBeNull();
    expect(finished.result).toMatchObject({ outcome: 'reclaimed', skippedSteps: ['verify_clean'] });
    // Every cleanup step succeeded, only the one the admin skipped is marked skipped, then the release.
    expect(finished.steps.map((s) => [s.name, s.status])).toEqual([
      ['check_tasks', 'succeeded'],
      ['mark_reclaiming', 'succeeded'],
      ['kill_processes', 'succeeded'],
      ['stop_vnc', 'succeeded'],
      ['revoke_ssh_keys', 'succeeded'],
      ['disable_user', 'succeeded'],
      ['reset_password', 'succeeded'],
      ['wipe_data', 'succeeded'],
      ['verify_clean', 'skipped'],
      ['release', 'succeeded'],
    ]);
    expect(await machineDetail()).toMatchObject({ allocation_status: 'idle', current_allocation: null });
    expect(await allocationStatus(allocationId)).toBe('reclaimed');
    expect(await openReclaimAlerts()).toEqual([]);
    expect(await login()).toBe(false);

    // The workflow has ended: a later decision is refused.
    expect((await decide(taskId, 'retry')).status).toBe(409);
  });
});

describe('a quarantined reclaim answered with mark-broken', () => {
  it('ends the lease, keeps the machine in maintenance out of the pool, fails the operation, keeps the alert', async () => {
    await host.setNvidiaMode('ok');
    const allocationId = await allocate();
    const taskId = await reclaimIntoQuarantine('mark-broken e2e');

    const accepted = await decide(taskId, 'mark-broken');
    expect(accepted.status).toBe(200);

    const finished = await operationEnds(taskId);
    expect(finished.status).toBe('failed');
    expect(finished.error).toMatch(/^MARKED_BROKEN at step verify_clean: /);
    expect(await allocationStatus(allocationId)).toBe('reclaimed');
    expect(await machineDetail()).toMatchObject({
      allocation_status: 'maintenance',
      health_status: 'unhealthy',
      current_allocation: null,
    });
    const alerts = await openReclaimAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].status).toBe('active');
    expect(await login()).toBe(false);

    // Out of the pool: a new allocation of the machine is refused, and it is still in maintenance.
    const refused = await api.request
      .post(`/api/v1/admin/machines/${machineId}/allocate`)
      .set(bearer(admin))
      .send({ tenant_id: customer.tenantId, duration_months: 1 });
    expect(refused.status).toBe(409);
    expect((await machineDetail()).allocation_status).toBe('maintenance');
    const list = await api.request.get('/api/v1/customer/machines').set(bearer(customer.ownerToken)).expect(200);
    expect(list.body.data).toEqual([]);
  });
});
