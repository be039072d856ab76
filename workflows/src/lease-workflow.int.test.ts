// leaseWorkflow with time skipping (the time-skipping test server binary): a 3-month lease raises its
// reminders 7 and 1 days before expiry and reclaims at expiry; `extend` moves the expiry and its
// validator rejects bad months without touching history. Control activities run against a scratch
// PostgreSQL database; host activities run in a real simulated host whose agent polls the test server.
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Alert, Allocation, Machine, Operation } from '@remotegpu/core';
import {
  LEASE_HANDLERS,
  SEARCH_ATTRIBUTE_NAMES,
  addCalendarMonths,
  leaseWorkflowId,
  type AllocationWorkflowResult,
  type ExtendLeaseInput,
  type ExtendLeaseResult,
  type LeaseStatus,
  type LeaseWorkflowResult,
} from '@remotegpu/core/contracts';
import { createControlActivities } from '../../activities/src/control';
import { newOperationId, reserveMachine } from '../../activities/src/control/reservation';
import { pyBin, uniqueSuffix } from '../../tests/support/env';
import { workflowBundlePath } from '../../tests/support/global-setup';
import {
  createLifecycleDatabase,
  createMachine,
  createTenantWithKey,
  simHostAgentEnv,
  type LifecycleDatabase,
  type TestTenant,
} from '../../tests/support/lifecycle';
import { SimHost } from '../../tests/support/simhost';

jest.setTimeout(240_000);

const DAY_MS = 24 * 60 * 60 * 1000;
const suffix = uniqueSuffix('lease');

/**
 * One time-skipping server per scenario (a server whose time skipping was used once did not skip again
 * for a second lease), its own machine and simulated host (127.0.2.x is the lifecycle tests' range) whose
 * agent polls host-<machineId> on that server, and a worker with the control activities on the scratch
 * database.
 */
interface LeaseFixture {
  env: TestWorkflowEnvironment;
  db: LifecycleDatabase;
  tenant: TestTenant;
  host: SimHost;
  machineId: string;
  taskQueue: string;
}

function useLeaseFixture(label: string, ip: string): LeaseFixture {
  const fixture = {} as LeaseFixture;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    fixture.machineId = `m-${suffix}-${label}`;
    fixture.taskQueue = `control-${suffix}-${label}`;
    [fixture.env, fixture.db] = await Promise.all([
      TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: pyBin('temporal-test-server') } },
      }),
      createLifecycleDatabase(`lease_${label}`),
    ]);
    const { env, db } = fixture;
    // The test server starts without the attributes the dev server registers at start.
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace,
      searchAttributes: Object.fromEntries(
        Object.values(SEARCH_ATTRIBUTE_NAMES).map((name) => [
          name,
          temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        ]),
      ),
    });
    fixture.tenant = await createTenantWithKey(db.orm, 'lease');
    await createMachine(db.orm, fixture.machineId, ip);
    fixture.host = await SimHost.start(
      `lease-${suffix.slice(-4)}-${label}`,
      ip,
      simHostAgentEnv(fixture.machineId, env.address),
    );
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace,
      taskQueue: fixture.taskQueue,
      workflowBundle: { codePath: workflowBundlePath },
      activities: createControlActivities({ orm: db.orm, clock: { now: () => new Date() } }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await fixture.host?.stop();
    await fixture.env?.teardown();
    await fixture.db?.close();
  });
  return fixture;
}

/** Reserves the machine as the API does and runs allocationWorkflow to the started lease. */
async function allocate(f: LeaseFixture, durationMonths: number): Promise<AllocationWorkflowResult> {
  const startsAt = new Date(await f.env.currentTimeMs());
  const reserved = await reserveMachine(f.db.orm.em.fork(), {
    machineId: f.machineId,
    tenantId: f.tenant.tenantId,
    unixUser: f.tenant.unixUser,
    durationMonths,
    startsAt,
  });
  // A plain client: awaiting this result must not skip time (the lease starts inside this workflow).
  const client = new Client({ connection: f.env.connection, namespace: f.env.namespace });
  return client.workflow.execute('allocationWorkflow', {
    taskQueue: f.taskQueue,
    workflowId: reserved.workflowId,
    args: [reserved.workflowInput],
  });
}

describe('leaseWorkflow (time skipping): expiry', () => {
  const f = useLeaseFixture('a', '127.0.2.3');
  const em = () => f.db.orm.em.fork();

  it('a 3-month lease reminds 7 days and 1 day before expiry and reclaims at expiry', async () => {
    const allocation = await allocate(f, 3);
    expect(allocation.expiresAt).toBe(addCalendarMonths(allocation.startsAt, 3));
    const lease = f.env.client.workflow.getHandle(leaseWorkflowId(allocation.allocationId));

    // Awaiting the result lets the server skip three months.
    const result = (await lease.result()) as LeaseWorkflowResult;
    expect(result.endedBy).toBe('expiry');

    // From the result: a query of the closed workflow would hold the test server's time-skipping lock.
    const status = result;
    expect(status.expiresAt).toBe(allocation.expiresAt);
    const expiresMs = Date.parse(allocation.expiresAt);
    // At the reminder instants (the test server's clock runs on for the few ms a workflow task takes).
    expect(status.remindersSent.map((r) => r.daysBefore)).toEqual([7, 1]);
    status.remindersSent.forEach((reminder) => {
      const due = expiresMs - reminder.daysBefore * DAY_MS;
      expect(Date.parse(reminder.sentAt)).toBeGreaterThanOrEqual(due);
      expect(Date.parse(reminder.sentAt)).toBeLessThan(due + 60_000);
    });

    const alert = await em().findOneOrFail(Alert, { machine: f.machineId, kind: 'lease_expiring' });
    expect(alert.count).toBe(2);
    expect(alert.details).toMatchObject({ allocation_id: allocation.allocationId, days_before: 1 });

    const row = await em().findOneOrFail(Allocation, allocation.allocationId);
    expect(row.status).toBe('reclaimed');
    expect((await em().findOneOrFail(Machine, f.machineId)).allocationStatus).toBe('idle');
    const reclaimOperation = await em().findOneOrFail(Operation, result.reclaimOperationId);
    expect(reclaimOperation).toMatchObject({ kind: 'reclaim', status: 'succeeded' });
    const shadow = await f.host.execOk(['getent', 'shadow', f.tenant.unixUser]);
    expect(shadow.split(':')[1]).toMatch(/^!/);
  });
});

describe('leaseWorkflow (time skipping): extend', () => {
  const f = useLeaseFixture('b', '127.0.2.4');
  const em = () => f.db.orm.em.fork();

  it('extend moves the expiry by calendar months; the validator rejects 0 and 37 months', async () => {
    const allocation = await allocate(f, 3);
    const lease = f.env.client.workflow.getHandle(leaseWorkflowId(allocation.allocationId));

    for (const months of [0, 37, 1.5]) {
      const bad: ExtendLeaseInput = { months, operationId: newOperationId() };
      const error = await lease.executeUpdate(LEASE_HANDLERS.extendUpdate, { args: [bad] }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((error as WorkflowUpdateFailedError).cause?.message).toMatch(/months must/);
    }
    const history = await lease.fetchHistory();
    // Rejected by the validator: no update was accepted into history.
    expect(history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);

    const operationId = newOperationId();
    const extended = await lease.executeUpdate<ExtendLeaseResult, [ExtendLeaseInput]>(LEASE_HANDLERS.extendUpdate, {
      args: [{ months: 1, operationId }],
    });
    expect(extended).toEqual({
      allocationId: allocation.allocationId,
      previousExpiresAt: allocation.expiresAt,
      expiresAt: addCalendarMonths(allocation.expiresAt, 1),
    });
    const row = await em().findOneOrFail(Allocation, allocation.allocationId);
    expect(row.expiresAt.toISOString()).toBe(extended.expiresAt);
    expect(row.durationMonths).toBe(4);
    expect(await em().findOneOrFail(Operation, operationId)).toMatchObject({ kind: 'extend', status: 'succeeded' });
    expect((await lease.query<LeaseStatus>(LEASE_HANDLERS.statusQuery)).expiresAt).toBe(extended.expiresAt);

    // The lease now ends at the new expiry, with reminders for it.
    const result = (await lease.result()) as LeaseWorkflowResult;
    expect(result.endedBy).toBe('expiry');
    expect(result.expiresAt).toBe(extended.expiresAt);
    expect(result.remindersSent.map((r) => [r.daysBefore, r.expiresAt])).toEqual([
      [7, extended.expiresAt],
      [1, extended.expiresAt],
    ]);
    expect((await em().findOneOrFail(Allocation, allocation.allocationId)).status).toBe('reclaimed');
  });
});
