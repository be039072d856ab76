// Allocation endpoints against the real services. No worker polls this file's control queue, so the
// started allocationWorkflows wait untouched: these tests check the synchronous half (atomic
// reservation, 409s, operations, workflow start with search attributes); the e2e test runs the rest.
import { WorkflowNotFoundError } from '@temporalio/client';
import { allocationWorkflowId } from '@remotegpu/core/contracts';
import { bearer, startTestApi, type TestApi } from '../../../../tests/support/api-server';
import { uniqueSuffix } from '../../../../tests/support/env';
import { createMachine, createTenantWithKey, type TestTenant } from '../../../../tests/support/lifecycle';

const suffix = uniqueSuffix('alc').toLowerCase();
const taskQueue = `control-${suffix}`;
let api: TestApi;
let admin: string;
let tenant: TestTenant;
let ipCounter = 1;
const startedWorkflows: string[] = [];

async function newMachine(label: string): Promise<string> {
  const id = `${suffix}-${label}`;
  await createMachine(api.deps.orm, id, `192.0.2.${ipCounter++}`);
  return id;
}

const sql = (query: string, params: unknown[] = []) => api.em().getConnection().execute(query, params);

function track<T extends { status: number; body: unknown }>(res: T): T {
  const ids = (res.body as { data?: { allocation_ids?: string[] } }).data?.allocation_ids ?? [];
  if (res.status === 200) startedWorkflows.push(...ids.map(allocationWorkflowId));
  return res;
}

beforeAll(async () => {
  api = await startTestApi({
    configure: (config) => ({ ...config, temporal: { ...config.temporal, controlTaskQueue: taskQueue } }),
  });
  admin = await api.loginAdmin();
  tenant = await createTenantWithKey(api.deps.orm, 'alc');
}, 60_000);

afterAll(async () => {
  // Nothing polls this queue: end the workflows the tests started.
  await Promise.allSettled(
    startedWorkflows.map((id) => api.deps.temporal.workflow.getHandle(id).terminate('test cleanup')),
  );
  await api?.close();
});

describe('POST /admin/machines/:id/allocate', () => {
  it('20 concurrent allocations of one idle machine: exactly one 200 and nineteen 409', async () => {
    const machineId = await newMachine('race');
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.request
          .post(`/api/v1/admin/machines/${machineId}/allocate`)
          .set(bearer(admin))
          .send({ tenant_id: tenant.tenantId, duration_months: 3 })
          .then(track),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const loser of responses.filter((r) => r.status === 409)) {
      expect(loser.body.code).toBe('MACHINE_NOT_AVAILABLE');
      expect(loser.body.data.machine_id).toBe(machineId);
    }
    const live = await sql(`select id, status from allocations where machine_id = ?`, [machineId]);
    expect(live).toHaveLength(1);
    expect(live[0].status).toBe('pending');
    const [machine] = await sql('select allocation_status from machines where id = ?', [machineId]);
    expect(machine.allocation_status).toBe('allocating');
  });

  it('starts allocationWorkflow on the control queue with search attributes and records the operation', async () => {
    const machineId = await newMachine('wf');
    const res = track(
      await api.request
        .post(`/api/v1/admin/machines/${machineId}/allocate`)
        .set(bearer(admin))
        .send({ tenant_id: tenant.tenantId, duration_months: 2, remark: 'project A' }),
    );
    expect(res.status).toBe(200);
    const { allocation_id: allocationId, operation_id: operationId } = res.body.data;
    expect(res.body.data).toMatchObject({ allocation_ids: [allocationId], operation_ids: [operationId] });

    const description = await api.deps.temporal.workflow.getHandle(allocationWorkflowId(allocationId)).describe();
    expect(description.type).toBe('allocationWorkflow');
    expect(description.taskQueue).toBe(taskQueue);
    expect(description.status.name).toBe('RUNNING');
    const attributes = Object.fromEntries(
      description.typedSearchAttributes.getAll().map((pair) => [pair.key.name, pair.value]),
    );
    expect(attributes).toMatchObject({
      MachineId: machineId,
      TenantId: String(tenant.tenantId),
      AllocationId: allocationId,
      OperationKind: 'allocate',
    });

    const [allocation] = await sql('select * from allocations where id = ?', [allocationId]);
    expect(allocation).toMatchObject({
      tenant_id: tenant.tenantId,
      duration_months: 2,
      remark: 'project A',
      unix_user: tenant.unixUser,
    });

    const operation = await api.request.get(`/api/v1/admin/operations/${operationId}`).set(bearer(admin)).expect(200);
    expect(operation.body.data).toMatchObject({
      id: operationId,
      kind: 'allocate',
      status: 'pending',
      machine_id: machineId,
      allocation_id: allocationId,
      workflow_id: allocationWorkflowId(allocationId),
      temporal_url: expect.stringMatching(
        new RegExp(`^http://127\\.0\\.0\\.1:\\d+/namespaces/default/workflows/${allocationWorkflowId(allocationId)}$`),
      ),
    });
    const machineOps = await api.request
      .get(`/api/v1/admin/machines/${machineId}/operations`)
      .set(bearer(admin))
      .expect(200);
    expect(machineOps.body.data.list.map((o: { id: string }) => o.id)).toEqual([operationId]);
    const byQuery = await api.request
      .get('/api/v1/admin/operations')
      .set(bearer(admin))
      .query({ machineId, kind: 'allocate' })
      .expect(200);
    expect(byQuery.body.data).toMatchObject({ total: 1, list: [{ id: operationId }] });
    const decision = await api.request
      .post(`/api/v1/admin/operations/${operationId}/decision`)
      .set(bearer(admin))
      .send({ decision: 'retry' })
      .expect(409);
    expect(decision.body.msg).toContain('reclaim');
    await api.request
      .post(`/api/v1/admin/operations/${operationId}/decision`)
      .set(bearer(admin))
      .send({ decision: 'reboot' })
      .expect(400);

    const detail = await api.request.get(`/api/v1/admin/machines/${machineId}`).set(bearer(admin)).expect(200);
    expect(detail.body.data.current_allocation).toMatchObject({
      id: allocationId,
      tenant_id: tenant.tenantId,
      status: 'pending',
    });
    expect(detail.body.data.recent_operations.map((o: { id: string }) => o.id)).toEqual([operationId]);
    expect(detail.body.data.tenant_name).toEqual(expect.any(String));

    // Deleting, reclaiming and extending are refused while the allocation is in progress.
    await api.request.delete(`/api/v1/admin/machines/${machineId}`).set(bearer(admin)).expect(409);
    const reclaim = await api.request
      .post(`/api/v1/admin/machines/${machineId}/reclaim`)
      .set(bearer(admin))
      .send({ reason: 'test' })
      .expect(409);
    expect(reclaim.body.data.reason).toBe('allocation_in_progress');
    await api.request
      .post(`/api/v1/admin/allocations/${allocationId}/extend`)
      .set(bearer(admin))
      .send({ months: 1 })
      .expect(409);
  });

  it('answers 404 for an unknown machine or tenant and 400 for bad input', async () => {
    const machineId = await newMachine('val');
    const post = (id: string, body: object) =>
      api.request.post(`/api/v1/admin/machines/${id}/allocate`).set(bearer(admin)).send(body);
    await post(`${suffix}-missing`, { tenant_id: tenant.tenantId, duration_months: 1 }).expect(404);
    await post(machineId, { tenant_id: 999_999, duration_months: 1 }).expect(404);
    for (const body of [
      { tenant_id: tenant.tenantId, duration_months: 0 },
      { tenant_id: tenant.tenantId, duration_months: 37 },
      { tenant_id: tenant.tenantId, duration_months: 1.5 },
      { tenant_id: tenant.tenantId },
      { tenant_id: tenant.tenantId, duration_months: 1, start_time: 'tomorrow' },
      { tenant_id: tenant.tenantId, duration_months: 1, start_time: '2001-01-01T00:00:00Z' },
    ]) {
      const res = await post(machineId, body).expect(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
    }
    const [machine] = await sql('select allocation_status from machines where id = ?', [machineId]);
    expect(machine.allocation_status).toBe('idle');
  });
});

describe('POST /admin/allocations', () => {
  it('reserves all machines or none: one busy machine → 409 naming it, the others stay idle', async () => {
    const busy = await newMachine('busy');
    const free = [await newMachine('free1'), await newMachine('free2')];
    track(
      await api.request
        .post(`/api/v1/admin/machines/${busy}/allocate`)
        .set(bearer(admin))
        .send({ tenant_id: tenant.tenantId, duration_months: 1 })
        .expect(200),
    );
    const res = await api.request
      .post('/api/v1/admin/allocations')
      .set(bearer(admin))
      .send({ tenant_id: tenant.tenantId, machine_ids: [free[0], busy, free[1]], duration_months: 3 })
      .expect(409);
    expect(res.body).toMatchObject({ code: 'MACHINE_NOT_AVAILABLE', data: { machine_id: busy } });
    expect(res.body.msg).toContain(busy);
    const rows = await sql('select id, allocation_status from machines where id in (?, ?) order by id', free);
    expect(rows.map((r) => r.allocation_status)).toEqual(['idle', 'idle']);
    expect(await sql('select id from allocations where machine_id in (?, ?)', free)).toHaveLength(0);
  });

  it('allocates several machines in one request and 10 parallel requests for 10 machines all succeed', async () => {
    const pair = [await newMachine('pair1'), await newMachine('pair2')];
    const res = track(
      await api.request.post('/api/v1/admin/allocations').set(bearer(admin)).send({
        tenant_id: tenant.tenantId,
        machine_ids: pair,
        duration_months: 6,
        start_time: new Date().toISOString(),
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.data.allocation_ids).toHaveLength(2);
    expect(res.body.data.operation_ids).toHaveLength(2);

    const ten = await Promise.all(Array.from({ length: 10 }, (_, i) => newMachine(`ten${i}`)));
    const responses = await Promise.all(
      ten.map((id) =>
        api.request
          .post('/api/v1/admin/allocations')
          .set(bearer(admin))
          .send({ tenant_id: tenant.tenantId, machine_ids: [id], duration_months: 1 })
          .then(track),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
  });

  it('rejects duplicates, empty lists and unknown fields with 400', async () => {
    const id = await newMachine('dupreq');
    for (const body of [
      { tenant_id: tenant.tenantId, machine_ids: [id, id], duration_months: 1 },
      { tenant_id: tenant.tenantId, machine_ids: [], duration_months: 1 },
      { tenant_id: tenant.tenantId, machine_ids: [id], duration_months: 1, price: 3 },
    ]) {
      await api.request.post('/api/v1/admin/allocations').set(bearer(admin)).send(body).expect(400);
    }
  });
});

describe('Idempotency-Key', () => {
  it('a repeated request returns the same allocation and operation; another body with the key is 422', async () => {
    const id = await newMachine('idem');
    const key = `idem-${suffix}`;
    const send = (body: object) =>
      api.request
        .post(`/api/v1/admin/machines/${id}/allocate`)
        .set(bearer(admin))
        .set('Idempotency-Key', key)
        .send(body);
    const first = track(await send({ tenant_id: tenant.tenantId, duration_months: 1 }).expect(200));
    const again = await send({ tenant_id: tenant.tenantId, duration_months: 1 }).expect(200);
    expect(again.body.data).toEqual(first.body.data);
    expect(await sql('select id from allocations where machine_id = ?', [id])).toHaveLength(1);
    expect(await sql('select id from operations where machine_id = ?', [id])).toHaveLength(1);
    const other = await send({ tenant_id: tenant.tenantId, duration_months: 2 }).expect(422);
    expect(other.body.msg).toContain('Idempotency-Key');
    // Without the key the machine is simply taken.
    await api.request
      .post(`/api/v1/admin/machines/${id}/allocate`)
      .set(bearer(admin))
      .send({ tenant_id: tenant.tenantId, duration_months: 1 })
      .expect(409);
  });
});

describe('GET /admin/allocations', () => {
  it('lists with filters and paging, and the recent ones', async () => {
    const res = await api.request
      .get('/api/v1/admin/allocations')
      .set(bearer(admin))
      .query({ tenant_id: tenant.tenantId, page_size: 3 })
      .expect(200);
    expect(res.body.data.total).toBeGreaterThanOrEqual(14);
    expect(res.body.data.list).toHaveLength(3);
    expect(res.body.data.list[0]).toMatchObject({
      tenant_id: tenant.tenantId,
      status: 'pending',
      unix_user: tenant.unixUser,
    });
    const byMachine = await api.request
      .get('/api/v1/admin/allocations')
      .set(bearer(admin))
      .query({ machine_id: `${suffix}-race` })
      .expect(200);
    expect(byMachine.body.data.total).toBe(1);
    const recent = await api.request
      .get('/api/v1/admin/allocations/recent')
      .set(bearer(admin))
      .query({ limit: 2 })
      .expect(200);
    expect(recent.body.data).toHaveLength(2);
    await api.request.get('/api/v1/admin/allocations').set(bearer(admin)).query({ status: 'nope' }).expect(400);
    await api.request.get('/api/v1/admin/allocations/alloc-unknown').set(bearer(admin)).expect(404);
  });
});

describe('reclaim / extend / quarantine preconditions', () => {
  it('refuses what does not apply to the machine state with 409, unknown ids with 404', async () => {
    const idle = await newMachine('idle');
    const noAllocation = await api.request
      .post(`/api/v1/admin/machines/${idle}/reclaim`)
      .set(bearer(admin))
      .send({ reason: 'x' })
      .expect(409);
    expect(noAllocation.body.data.reason).toBe('not_allocated');
    await api.request.post(`/api/v1/admin/machines/${idle}/reclaim`).set(bearer(admin)).send({}).expect(400);
    await api.request.post(`/api/v1/admin/machines/${idle}/quarantine/retry`).set(bearer(admin)).expect(409);
    await api.request.post(`/api/v1/admin/machines/${idle}/quarantine/release`).set(bearer(admin)).expect(409);
    await api.request
      .post(`/api/v1/admin/machines/${suffix}-ghost/reclaim`)
      .set(bearer(admin))
      .send({ reason: 'x' })
      .expect(404);
    await api.request
      .post('/api/v1/admin/allocations/alloc-unknown/extend')
      .set(bearer(admin))
      .send({ months: 1 })
      .expect(404);
    await api.request.get('/api/v1/admin/operations/op-unknown').set(bearer(admin)).expect(404);
  });

  it('releases a machine in maintenance (no reclaim running) back to idle', async () => {
    const id = await newMachine('maint');
    await sql(`update machines set allocation_status = 'maintenance', health_notes = 'gpu lost' where id = ?`, [id]);
    const res = await api.request
      .post(`/api/v1/admin/machines/${id}/quarantine/release`)
      .set(bearer(admin))
      .expect(200);
    expect(res.body.data).toEqual({ machine_id: id, allocation_status: 'idle' });
    const [row] = await sql('select allocation_status, health_notes from machines where id = ?', [id]);
    expect(row).toEqual({ allocation_status: 'idle', health_notes: null });
    // A machine in maintenance that was never allocated has no reclaim to retry.
    await sql(`update machines set allocation_status = 'maintenance' where id = ?`, [id]);
    const retry = await api.request
      .post(`/api/v1/admin/machines/${id}/quarantine/retry`)
      .set(bearer(admin))
      .expect(409);
    expect(retry.body.data.reason).toBe('nothing_to_retry');
  });
});

it('the workflows this file started exist in Temporal', async () => {
  expect(startedWorkflows.length).toBeGreaterThan(0);
  await expect(api.deps.temporal.workflow.getHandle(startedWorkflows[0]).describe()).resolves.toBeDefined();
  await expect(api.deps.temporal.workflow.getHandle(`allocate-${suffix}-none`).describe()).rejects.toBeInstanceOf(
    WorkflowNotFoundError,
  );
});
