// GET /api/v1/operations/:id against the real services: a customer (owner or member) sees its tenant's
// operations without Temporal internals; another tenant's, a tenant-less one or an unknown id is 404;
// admins see every operation with the link to the run in the Temporal Web UI.
import { randomUUID } from 'node:crypto';
import { Operation } from '@remotegpu/core';
import {
  bearer,
  startTestApi,
  type TestApi,
  type TestCustomer,
  type TestMember,
} from '../../../../tests/support/api-server';

let api: TestApi;
let admin: string;
let tenantA: TestCustomer;
let tenantB: TestCustomer;
let memberA: TestMember;
let operationOfA: string;
let operationOfB: string;
let operationWithoutTenant: string;

async function insertOperation(tenantId: number | null): Promise<string> {
  const id = `op-${randomUUID()}`;
  const em = api.em();
  em.create(Operation, {
    id,
    kind: 'ssh_reset',
    tenant: tenantId,
    workflowId: `ssh-reset-${id}`,
    runId: `run-${id}`,
    status: 'running',
    steps: [
      {
        name: 'load_keys',
        status: 'succeeded',
        startedAt: '2026-01-01T00:00:00.000Z',
        endedAt: '2026-01-01T00:00:01.000Z',
      },
      { name: 'set_password', status: 'running', startedAt: '2026-01-01T00:00:01.000Z' },
    ],
    error: null,
  });
  await em.flush();
  return id;
}

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.loginAdmin();
  [tenantA, tenantB] = await Promise.all([api.createCustomer('opsa'), api.createCustomer('opsb')]);
  memberA = await api.createMember(tenantA.ownerToken, 'opsa-member');
  operationOfA = await insertOperation(tenantA.tenantId);
  operationOfB = await insertOperation(tenantB.tenantId);
  operationWithoutTenant = await insertOperation(null);
}, 60_000);

afterAll(async () => {
  await api?.close();
});

const get = (id: string, token?: string) => {
  const req = api.request.get(`/api/v1/operations/${id}`);
  return token ? req.set(bearer(token)) : req;
};

describe('GET /api/v1/operations/:id', () => {
  it('a customer owner sees its tenant operation: status, current step, steps, error; no Temporal internals', async () => {
    const res = await get(operationOfA, tenantA.ownerToken).expect(200);
    expect(res.body.code).toBe(0);
    expect(res.body.data).toMatchObject({
      id: operationOfA,
      kind: 'ssh_reset',
      status: 'running',
      tenant_id: tenantA.tenantId,
      current_step: 'set_password',
      error: null,
      steps: [
        { name: 'load_keys', status: 'succeeded', error: null },
        { name: 'set_password', status: 'running', ended_at: null },
      ],
    });
    for (const hidden of ['temporal_url', 'workflow_id', 'run_id', 'requested_by']) {
      expect(res.body.data).not.toHaveProperty(hidden);
    }
  });

  it('a member of the same tenant sees it too', async () => {
    const res = await get(operationOfA, memberA.token).expect(200);
    expect(res.body.data.id).toBe(operationOfA);
  });

  it("another tenant's operation, a tenant-less one and an unknown id are all 404 for a customer", async () => {
    for (const id of [operationOfB, operationWithoutTenant, `op-${randomUUID()}`, 'bad id!']) {
      const res = await get(encodeURIComponent(id), tenantA.ownerToken).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
      expect(JSON.stringify(res.body)).not.toContain(tenantB.companyCode);
    }
    const res = await get(operationOfA, tenantB.ownerToken).expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
    expect(JSON.stringify(res.body)).not.toContain(operationOfA);
  });

  it('an admin sees every operation with the link to its run in the Temporal Web UI', async () => {
    for (const id of [operationOfA, operationOfB, operationWithoutTenant]) {
      const res = await get(id, admin).expect(200);
      expect(res.body.data).toMatchObject({ id, workflow_id: `ssh-reset-${id}`, run_id: `run-${id}` });
      expect(res.body.data.temporal_url).toBe(
        `${api.config.temporal.uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(api.config.temporal.namespace)}/workflows/ssh-reset-${id}/run-${id}`,
      );
    }
    await get(`op-${randomUUID()}`, admin).expect(404);
  });

  it('needs a signed-in user', async () => {
    const res = await get(operationOfA).expect(401);
    expect(res.body.data ?? null).toBeNull();
  });
});
