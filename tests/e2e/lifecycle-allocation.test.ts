// The machine lifecycle end to end against the real Temporal dev server, PostgreSQL and simulated GPU
// hosts (containers with their own sshd and the real agent): the API's reservation, allocationWorkflow
// (tenant key logs in over ssh), reclaimNow (login refused, processes gone, data wiped, machine idle),
// the GPU-lost saga (allocation failed, machine maintenance, alert, user disabled) and a reclaim that
// waits for a stopped agent and finishes when it returns. Needs `npx tsc -b tsconfig.build.json`.
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { Alert, Allocation, Machine, Operation } from '@remotegpu/core';
import {
  ALLOCATION_STEPS,
  LEASE_HANDLERS,
  RECLAIM_HANDLERS,
  leaseWorkflowId,
  reclaimWorkflowId,
  type AllocationWorkflowResult,
  type LeaseStatus,
  type LeaseWorkflowResult,
  type ReclaimNowInput,
  type ReclaimStatus,
} from '@remotegpu/core/contracts';
import { reserveMachine, newOperationId } from '../../activities/src/control/reservation';
import type { RunningControlWorker } from '../../workers/src/control-worker';
import { testEnv, uniqueSuffix } from '../support/env';
import { eventually } from '../support/eventually';
import {
  createLifecycleDatabase,
  createMachine,
  createTenantWithKey,
  simHostAgentEnv,
  startLifecycleControlWorker,
  type LifecycleDatabase,
  type TestTenant,
} from '../support/lifecycle';
import { SimHost } from '../support/simhost';
import { sshCanLogin, sshRun } from '../support/ssh';

jest.setTimeout(240_000);

const suffix = uniqueSuffix('life');
const controlQueue = `control-${suffix}`;
const machineIdKey = defineSearchAttributeKey('MachineId', SearchAttributeType.KEYWORD);
const allocationIdKey = defineSearchAttributeKey('AllocationId', SearchAttributeType.KEYWORD);
const operationKindKey = defineSearchAttributeKey('OperationKind', SearchAttributeType.KEYWORD);
// 127.0.2.x is this file's loopback range.
const HOST_IP = '127.0.2.1';
const GPU_LOST_IP = '127.0.2.2';

let db: LifecycleDatabase;
let connection: Connection;
let client: Client;
let worker: RunningControlWorker;
let tenant: TestTenant;
let host: SimHost;
let gpuLostHost: SimHost;
const machineId = `m-${suffix}`;
const gpuLostMachineId = `m-${suffix}-gpu`;

beforeAll(async () => {
  db = await createLifecycleDatabase('life');
  tenant = await createTenantWithKey(db.orm, 'life');
  await createMachine(db.orm, machineId, HOST_IP);
  await createMachine(db.orm, gpuLostMachineId, GPU_LOST_IP);
  connection = await Connection.connect({ address: testEnv.temporalAddress });
  client = new Client({ connection, namespace: testEnv.temporalNamespace });
  [worker, host, gpuLostHost] = await Promise.all([
    startLifecycleControlWorker(db.orm, controlQueue),
    SimHost.start(`life-${suffix.slice(-4)}-a`, HOST_IP, simHostAgentEnv(machineId)),
    SimHost.start(`life-${suffix.slice(-4)}-b`, GPU_LOST_IP, {
      ...simHostAgentEnv(gpuLostMachineId),
      SIMHOST_NVIDIA_MODE: 'gpu_lost',
    }),
  ]);
});

afterAll(async () => {
  await worker?.shutdown();
  await Promise.all([host?.stop(), gpuLostHost?.stop()]);
  await connection?.close();
  await db?.close();
});

const em = () => db.orm.em.fork();

async function allocate(target: string): Promise<{ allocationId: string; operationId: string; workflowId: string }> {
  const reserved = await reserveMachine(em(), {
    machineId: target,
    tenantId: tenant.tenantId,
    unixUser: tenant.unixUser,
    durationMonths: 3,
    startsAt: new Date(),
    requestedBy: null,
  });
  await client.workflow.start('allocationWorkflow', {
    taskQueue: controlQueue,
    workflowId: reserved.workflowId,
    args: [reserved.workflowInput],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return reserved;
}

const login = (ip: string) =>
  sshCanLogin({ host: ip, username: tenant.unixUser, privateKey: tenant.privateKey, timeoutMs: 15_000 });

async function reclaimNow(allocationId: string, reason: string): Promise<string> {
  const operationId = newOperationId();
  const signal: ReclaimNowInput = { reason, force: false, operationId, requestedBy: null };
  await client.workflow.getHandle(leaseWorkflowId(allocationId)).signal(LEASE_HANDLERS.reclaimNowSignal, signal);
  return operationId;
}

async function expectReclaimedAndClean(allocationId: string, ip: string): Promise<void> {
  const lease = await client.workflow.getHandle(leaseWorkflowId(allocationId)).result();
  expect((lease as LeaseWorkflowResult).endedBy).toBe('reclaim_now');
  const allocation = await em().findOneOrFail(Allocation, allocationId);
  expect(allocation.status).toBe('reclaimed');
  expect(allocation.reclaimedAt).toBeInstanceOf(Date);
  expect((await em().findOneOrFail(Machine, machineId)).allocationStatus).toBe('idle');
  expect(await login(ip)).toBe(false);
  const processes = await host.exec(['pgrep', '-u', tenant.unixUser]);
  expect(processes.stdout.trim()).toBe('');
  expect(await host.execOk(['find', `/home/${tenant.unixUser}`, '-mindepth', '1'])).toBe('');
}

describe('allocation and reclaim on a simulated host', () => {
  let allocationId: string;

  it('allocates: the tenant key logs in, every step succeeded, the lease runs', async () => {
    const reserved = await allocate(machineId);
    allocationId = reserved.allocationId;
    expect((await em().findOneOrFail(Machine, machineId)).allocationStatus).toBe('allocating');

    const result = (await client.workflow.getHandle(reserved.workflowId).result()) as AllocationWorkflowResult;
    expect(result.allocationId).toBe(allocationId);

    expect(await login(HOST_IP)).toBe(true);
    const whoami = await sshRun({
      host: HOST_IP,
      username: tenant.unixUser,
      privateKey: tenant.privateKey,
      command: 'whoami',
    });
    expect(whoami.stdout.trim()).toBe(tenant.unixUser);

    const operation = await em().findOneOrFail(Operation, reserved.operationId);
    expect(operation.status).toBe('succeeded');
    expect(operation.steps.map((s) => s.name)).toEqual([...ALLOCATION_STEPS]);
    expect(operation.steps.every((s) => s.status === 'succeeded')).toBe(true);
    expect(operation.runId).toBeTruthy();

    const allocation = await em().findOneOrFail(Allocation, allocationId);
    expect(allocation.status).toBe('active');
    expect(allocation.expiresAt.toISOString()).toBe(result.expiresAt);
    expect((await em().findOneOrFail(Machine, machineId)).allocationStatus).toBe('allocated');

    const description = await client.workflow.getHandle(reserved.workflowId).describe();
    expect(description.typedSearchAttributes.get(machineIdKey)).toBe(machineId);
    expect(description.typedSearchAttributes.get(allocationIdKey)).toBe(allocationId);
    expect(description.typedSearchAttributes.get(operationKindKey)).toBe('allocate');

    const lease = client.workflow.getHandle(leaseWorkflowId(allocationId));
    const status = await lease.query<LeaseStatus>(LEASE_HANDLERS.statusQuery);
    expect(status).toMatchObject({ allocationId, state: 'active', expiresAt: result.expiresAt, remindersSent: [] });
  });

  it('a second reservation of the allocated machine is refused', async () => {
    await expect(allocate(machineId)).rejects.toMatchObject({ code: 'MACHINE_NOT_AVAILABLE' });
  });

  it('reclaimNow: login refused, processes gone, data wiped, machine idle', async () => {
    // Leave work behind: a long-running process and files in the home directory.
    await sshRun({
      host: HOST_IP,
      username: tenant.unixUser,
      privateKey: tenant.privateKey,
      command:
        'mkdir -p ~/project && echo secret > ~/project/data.txt && (nohup sleep 3600 >/dev/null 2>&1 </dev/null &)',
    });
    await eventually(async () =>
      expect((await host.exec(['pgrep', '-u', tenant.unixUser, 'sleep'])).stdout.trim()).not.toBe(''),
    );

    const operationId = await reclaimNow(allocationId, 'e2e reclaim');
    await expectReclaimedAndClean(allocationId, HOST_IP);

    const operation = await em().findOneOrFail(Operation, operationId);
    expect(operation.kind).toBe('reclaim');
    expect(operation.status).toBe('succeeded');
    expect(operation.steps.filter((s) => s.status !== 'succeeded')).toEqual([]);
    expect(operation.steps.map((s) => s.name)).toContain('verify_clean');
  });

  it('a reclaim waits for a stopped agent and finishes when it returns', async () => {
    const reserved = await allocate(machineId);
    await client.workflow.getHandle(reserved.workflowId).result();
    expect(await login(HOST_IP)).toBe(true);

    await host.stopAgent();
    const operationId = await reclaimNow(reserved.allocationId, 'agent offline');
    const reclaim = client.workflow.getHandle(reclaimWorkflowId(reserved.allocationId));
    // The first host step is scheduled and waits: nothing is skipped, nothing fails.
    await eventually(
      async () => {
        const status = await reclaim.query<ReclaimStatus>(RECLAIM_HANDLERS.statusQuery);
        expect(status.currentStep).toBe('kill_processes');
        const operation = await em().findOneOrFail(Operation, operationId);
        expect(operation.steps.find((s) => s.name === 'kill_processes')?.status).toBe('running');
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect((await em().findOneOrFail(Machine, machineId)).allocationStatus).toBe('reclaiming');
    expect(await login(HOST_IP)).toBe(true);

    await host.startAgent();
    await expectReclaimedAndClean(reserved.allocationId, HOST_IP);
    expect((await em().findOneOrFail(Operation, operationId)).status).toBe('succeeded');
  });
});

describe('GPU lost during allocation', () => {
  it('compensates: allocation failed, machine maintenance, alert raised, user disabled', async () => {
    const reserved = await allocate(gpuLostMachineId);
    const error = await client.workflow
      .getHandle(reserved.workflowId)
      .result()
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(String((error as WorkflowFailedError).cause?.message)).toMatch(/GPU check failed/);

    const allocation = await em().findOneOrFail(Allocation, reserved.allocationId);
    expect(allocation.status).toBe('failed');
    expect(allocation.error).toMatch(/GPU/);
    expect((await em().findOneOrFail(Machine, gpuLostMachineId)).allocationStatus).toBe('maintenance');
    const alert = await em().findOneOrFail(Alert, { machine: gpuLostMachineId, kind: 'gpu_check_failed' });
    expect(alert.status).toBe('active');

    const operation = await em().findOneOrFail(Operation, reserved.operationId);
    expect(operation.status).toBe('failed');
    const stepStatus = Object.fromEntries(operation.steps.map((s) => [s.name, s.status]));
    expect(stepStatus).toMatchObject({
      ensure_user: 'succeeded',
      nvidia_check: 'failed',
      revoke_ssh_keys: 'compensated',
      disable_user: 'compensated',
    });

    // The user exists but is locked and has no keys: the tenant cannot log in.
    const shadow = await gpuLostHost.execOk(['getent', 'shadow', tenant.unixUser]);
    expect(shadow.split(':')[1]).toMatch(/^!/);
    expect(await login(GPU_LOST_IP)).toBe(false);
  });
});
