// Crashes in the middle of the machine lifecycle (issue #4, Acceptance "Crashes"), against the real
// Temporal dev server, PostgreSQL, Docker and a simulated GPU host on 127.0.7.1 (this file's range):
//   (a) kill -9 of the control-plane worker PROCESS (node workers/dist/main.js) while an allocation's host
//       step runs; the host finishes the step while no control worker exists; after a restart the
//       allocation completes: machine allocated, the tenant key logs in;
//   (b) the same during a reclaim: machine idle, key refused, processes gone, data wiped;
//   (c) the agent killed (SIGKILL) while a reclaim's cleanup step runs on it: the reclaim waits (operation
//       running, machine reclaiming, nothing skipped), then finishes after the agent is back.
// "While a host step runs" is made deterministic by a gate the test puts in the simulated host: a wrapper
// in /usr/local/bin (first on the agent's PATH) in front of chpasswd or ps that blocks while a hold file
// exists. Needs `npx tsc -b tsconfig.build.json` (the worker process and the simulated host run dist/).
import type { Server } from 'node:http';
import type { WorkflowHandle } from '@temporalio/client';
import { tenantUnixUser } from '@remotegpu/core';
import { ALLOCATION_STEPS } from '@remotegpu/core/contracts';
import {
  startControlWorkerProcess,
  stopAllProcesses,
  withProcessLogs,
  type ManagedProcess,
} from '../support/agent-process';
import { bearer, startTestApi, type TestApi, type TestCustomer } from '../support/api-server';
import { uniqueSuffix } from '../support/env';
import { eventually } from '../support/eventually';
import { workflowBundlePath } from '../support/global-setup';
import { simHostAgentEnv } from '../support/lifecycle';
import { SimHost } from '../support/simhost';
import { addOwnerKey, listenOnLoopback, registerMachine } from '../support/e2e-stack';
import { sshCanLogin, sshRun } from '../support/ssh';

// (c) waits for the lost attempt's heartbeat timeout (10 s: host activities heartbeat every 2 s).
jest.setTimeout(240_000);

const suffix = uniqueSuffix('crash').toLowerCase();
const controlQueue = `control-${suffix}`;
const HOST_IP = '127.0.7.1';
const machineId = `m-${suffix}`;

let api: TestApi;
let server: Server;
let host: SimHost;
let admin: string;
let customer: TestCustomer;
let unixUser: string;
let privateKey: string;
let worker: ManagedProcess;

interface StepView {
  name: string;
  status: string;
  error: string | null;
}
interface OperationView {
  id: string;
  status: string;
  workflow_id: string;
  current_step: string | null;
  steps: StepView[];
  error: string | null;
}

/** The real control worker process, on this file's queue and scratch database. */
const startWorker = () =>
  startControlWorkerProcess({
    taskQueue: controlQueue,
    workflowBundlePath,
    env: { DATABASE_URL: api.databaseUrl },
    readyTimeoutMs: 60_000,
  });

async function operation(id: string): Promise<OperationView> {
  const res = await api.request.get(`/api/v1/admin/operations/${id}`).set(bearer(admin)).expect(200);
  return res.body.data as OperationView;
}

async function machineStatus(): Promise<string> {
  const res = await api.request.get(`/api/v1/admin/machines/${machineId}`).set(bearer(admin)).expect(200);
  return res.body.data.allocation_status as string;
}

async function operationEnds(id: string, timeoutMs = 120_000): Promise<OperationView> {
  return eventually(
    async () => {
      const op = await operation(id);
      if (op.status === 'pending' || op.status === 'running') throw new Error(`operation ${id} is ${op.status}`);
      return op;
    },
    { timeoutMs, intervalMs: 500 },
  );
}

const keyLogsIn = () => sshCanLogin({ host: HOST_IP, username: unixUser, privateKey, timeoutMs: 15_000 });

// ---- the gate in the simulated host -------------------------------------------------------------

const holdFile = (command: string) => `/run/simhost/hold-${command}`;
const heldFile = (command: string) => `/run/simhost/held-${command}`;

/** /usr/local/bin/<command>: waits while the hold file exists (recording that a call is held), then runs the real one. */
async function installGate(command: string, realPath: string): Promise<void> {
  const script = [
    '#!/bin/bash',
    `if [ -e ${holdFile(command)} ]; then`,
    `  echo "$$" >>${heldFile(command)}`,
    `  while [ -e ${holdFile(command)} ]; do sleep 0.05; done`,
    'fi',
    `exec ${realPath} "$@"`,
    '',
  ].join('\n');
  await host.execOk(['bash', '-c', 'cat >"$1" && chmod 755 "$1"', '_', `/usr/local/bin/${command}`], {
    input: script,
  });
}

async function hold(command: string): Promise<void> {
  await host.execOk(['bash', '-c', 'rm -f "$2" && touch "$1"', '_', holdFile(command), heldFile(command)]);
}

async function release(command: string): Promise<void> {
  await host.execOk(['rm', '-f', holdFile(command)]);
}

/** Resolves once the agent has called `command` and the call is held. */
async function waitUntilHeld(command: string): Promise<void> {
  await eventually(
    async () => {
      const result = await host.exec(['test', '-s', heldFile(command)]);
      if (result.exitCode !== 0) throw new Error(`no ${command} call is held yet`);
    },
    { timeoutMs: 60_000, intervalMs: 100 },
  );
}

// ---- Temporal history ---------------------------------------------------------------------------

/** true once the history holds a completed attempt of `activityType` (recorded by the server, no worker needed). */
async function activityCompleted(handle: WorkflowHandle, activityType: string): Promise<boolean> {
  const events = (await handle.fetchHistory()).events ?? [];
  const scheduled = new Set(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType)
      .map((e) => String(e.eventId)),
  );
  return events.some(
    (e) =>
      e.activityTaskCompletedEventAttributes &&
      scheduled.has(String(e.activityTaskCompletedEventAttributes.scheduledEventId)),
  );
}

// ---- fixtures -----------------------------------------------------------------------------------

beforeAll(async () => {
  api = await startTestApi({
    configure: (config) => ({ ...config, temporal: { ...config.temporal, controlTaskQueue: controlQueue } }),
  });
  let apiUrl: string;
  ({ server, url: apiUrl } = await listenOnLoopback(api.app));
  admin = await api.loginAdmin();

  customer = await api.createCustomer('crash');
  unixUser = tenantUnixUser(customer.companyCode);
  privateKey = await addOwnerKey(api, customer, `${customer.companyCode}@crash`);

  const registered = await registerMachine(api, admin, { id: machineId, name: `crash ${suffix}`, ip: HOST_IP });
  const credentials = registered.agent_credentials;

  [worker, host] = await Promise.all([
    startWorker(),
    SimHost.start(`crash-${suffix.slice(-4)}`, HOST_IP, {
      ...simHostAgentEnv(machineId),
      API_URL: apiUrl,
      AGENT_KEY_ID: credentials.key_id,
      AGENT_SECRET: credentials.secret,
    }),
  ]);
  await installGate('chpasswd', '/usr/sbin/chpasswd');
  await installGate('ps', '/usr/bin/ps');
  // The agent polls its queue before the test goes on.
  await eventually(async () => expect(await host.agentPid()).not.toBeNull(), { timeoutMs: 30_000 });
});

afterAll(async () => {
  await stopAllProcesses();
  // A failed run must not leave workflows (a lease lasts months) on this queue behind in the shared server.
  if (api) {
    for await (const run of api.deps.temporal.workflow.list({
      query: `TaskQueue = '${controlQueue}' AND ExecutionStatus = 'Running'`,
    })) {
      await api.deps.temporal.workflow
        .getHandle(run.workflowId, run.runId)
        .terminate('test cleanup')
        .catch(() => undefined);
    }
  }
  await host?.stop();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await api?.close();
});

/** Leaves a long-running process and files of the tenant on the host. */
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

/** Machine idle, allocation reclaimed, key refused, no process of the tenant, its home empty. */
async function expectReclaimedAndClean(operationId: string, allocationId: string): Promise<void> {
  const finished = await operationEnds(operationId, 240_000);
  expect(finished.error).toBeNull();
  expect(finished.status).toBe('succeeded');
  expect(finished.steps.filter((s) => s.status !== 'succeeded' && s.status !== 'skipped')).toEqual([]);
  expect(finished.steps.map((s) => s.name)).toEqual(
    expect.arrayContaining(['kill_processes', 'wipe_data', 'verify_clean']),
  );

  expect(await machineStatus()).toBe('idle');
  const allocation = await api.request.get(`/api/v1/admin/allocations/${allocationId}`).set(bearer(admin)).expect(200);
  expect(allocation.body.data.status).toBe('reclaimed');

  expect(await keyLogsIn()).toBe(false);
  expect((await host.exec(['pgrep', '-u', unixUser])).stdout.trim()).toBe('');
  expect(await host.execOk(['find', `/home/${unixUser}`, '-mindepth', '1'])).toBe('');
  const shadow = await host.execOk(['getent', 'shadow', unixUser]);
  expect(shadow.split(':')[1]).toMatch(/^!/);
}

async function allocate(): Promise<{ allocationId: string; operationId: string }> {
  const res = await api.request
    .post(`/api/v1/admin/machines/${machineId}/allocate`)
    .set(bearer(admin))
    .send({ tenant_id: customer.tenantId, duration_months: 3, remark: 'crash e2e' })
    .expect(200);
  return { allocationId: res.body.data.allocation_id as string, operationId: res.body.data.operation_id as string };
}

async function reclaim(reason: string): Promise<string> {
  const res = await api.request
    .post(`/api/v1/admin/machines/${machineId}/reclaim`)
    .set(bearer(admin))
    .send({ reason, force: false })
    .expect(200);
  return res.body.data.task_id as string;
}

describe('crashes in the middle of the lifecycle', () => {
  let allocationId: string;

  it('(a) kill -9 of the control worker mid-allocation: after a restart the allocation completes and the key logs in', async () => {
    await hold('chpasswd');
    const started = await allocate();
    allocationId = started.allocationId;
    const handle = api.deps.temporal.workflow.getHandle((await operation(started.operationId)).workflow_id);

    await withProcessLogs(worker, async () => {
      // set_password's chpasswd is running on the host: user and keys are done, the GPU check is not.
      await waitUntilHeld('chpasswd');
      const before = await operation(started.operationId);
      expect(before.status).toBe('running');
      expect(before.current_step).toBe('set_password');
    });
    await worker.kill();

    // The host finishes its step while no control worker exists: Temporal records it, nothing moves on.
    await release('chpasswd');
    await eventually(async () => expect(await activityCompleted(handle, 'setUserPassword')).toBe(true), {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    const stalled = await operation(started.operationId);
    expect(stalled.status).toBe('running');
    expect(stalled.steps.find((s) => s.name === 'nvidia_check')).toBeUndefined();
    expect(await machineStatus()).toBe('allocating');

    const killedPid = worker.pid;
    worker = await startWorker();
    expect(worker.pid).not.toBe(killedPid);

    const finished = await withProcessLogs(worker, () => operationEnds(started.operationId));
    expect(finished.error).toBeNull();
    expect(finished.status).toBe('succeeded');
    expect(finished.steps.map((s) => s.name)).toEqual([...ALLOCATION_STEPS]);
    expect(finished.steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(await machineStatus()).toBe('allocated');
    const allocation = await api.request
      .get(`/api/v1/admin/allocations/${allocationId}`)
      .set(bearer(admin))
      .expect(200);
    expect(allocation.body.data.status).toBe('active');

    // Host state: the tenant user exists once, the key logs in as that user.
    expect(await keyLogsIn()).toBe(true);
    const whoami = await sshRun({ host: HOST_IP, username: unixUser, privateKey, command: 'whoami' });
    expect(whoami.stdout.trim()).toBe(unixUser);
    const passwd = await host.execOk(['getent', 'passwd', unixUser]);
    expect(passwd.trim().split('\n')).toHaveLength(1);
    const authorizedKeys = await host.execOk(['cat', `/home/${unixUser}/.ssh/authorized_keys`]);
    expect(authorizedKeys.split('\n').filter((line) => line.startsWith('ssh-ed25519'))).toHaveLength(1);
  });

  it('(b) kill -9 of the control worker mid-reclaim: after a restart the machine is idle and the host clean', async () => {
    await leaveWorkBehind();
    await hold('ps');
    const operationId = await reclaim('crash e2e (b)');
    const handle = api.deps.temporal.workflow.getHandle((await operation(operationId)).workflow_id);

    await withProcessLogs(worker, async () => {
      // kill_processes is listing the tenant's processes on the host.
      await waitUntilHeld('ps');
      const before = await operation(operationId);
      expect(before.status).toBe('running');
      expect(before.current_step).toBe('kill_processes');
    });
    await worker.kill();

    await release('ps');
    await eventually(async () => expect(await activityCompleted(handle, 'killUserProcesses')).toBe(true), {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    // The step finished on the host, the rest waits for a control worker: keys are still there.
    expect((await host.exec(['pgrep', '-u', unixUser, 'sleep'])).stdout.trim()).toBe('');
    const stalled = await operation(operationId);
    expect(stalled.status).toBe('running');
    expect(stalled.steps.find((s) => s.name === 'revoke_ssh_keys')).toBeUndefined();
    expect(await machineStatus()).toBe('reclaiming');
    expect(await keyLogsIn()).toBe(true);

    worker = await startWorker();
    await withProcessLogs(worker, () => expectReclaimedAndClean(operationId, allocationId));
  });

  it('(c) the agent killed during cleanup: the reclaim waits, then finishes when the agent is back', async () => {
    const started = await allocate();
    expect((await operationEnds(started.operationId)).status).toBe('succeeded');
    expect(await keyLogsIn()).toBe(true);
    await leaveWorkBehind();

    await hold('ps');
    const operationId = await reclaim('crash e2e (c)');
    const handle = api.deps.temporal.workflow.getHandle((await operation(operationId)).workflow_id);
    await waitUntilHeld('ps');
    await host.stopAgent(); // SIGKILL, and the supervisor keeps it down
    // Gone once the entrypoint has reaped it (a zombie still answers kill -0).
    await eventually(async () => expect(await host.agentPid()).toBeNull(), { timeoutMs: 15_000 });
    await release('ps');

    // The lost attempt times out (heartbeat, well before start-to-close) and the retry waits for an agent:
    // no step is skipped.
    await eventually(
      async () => {
        const { raw } = await handle.describe();
        const pending = (raw.pendingActivities ?? []).find((a) => a.activityType?.name === 'killUserProcesses');
        expect(pending?.attempt).toBeGreaterThanOrEqual(2);
        expect(String(pending?.state)).toMatch(/^(1|PENDING_ACTIVITY_STATE_SCHEDULED)$/);
        expect(String(pending?.lastFailure?.timeoutFailureInfo?.timeoutType)).toMatch(/^(4|TIMEOUT_TYPE_HEARTBEAT)$/);
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    const waiting = await operation(operationId);
    expect(waiting.status).toBe('running');
    expect(waiting.current_step).toBe('kill_processes');
    expect(waiting.steps.find((s) => s.name === 'kill_processes')?.status).toBe('running');
    expect(await machineStatus()).toBe('reclaiming');
    // Nothing was done half-way behind the test's back: the tenant's process and key are still there.
    expect((await host.exec(['pgrep', '-u', unixUser, 'sleep'])).stdout.trim()).not.toBe('');
    expect(await keyLogsIn()).toBe(true);

    await host.startAgent();
    await expectReclaimedAndClean(operationId, started.allocationId);
  });
});
