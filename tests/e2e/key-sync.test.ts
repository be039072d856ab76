// SSH keys added or deleted after an allocation reach the host (tenantKeysSyncWorkflow), end to end: the
// API, the control worker in-process and a simulated GPU host (real sshd + real agent worker) on
// 127.0.9.x, this file's loopback range. A customer holding the host adds a second key through the API →
// once the sync operation succeeded, it logs in; deleting the first key → that one is refused while the
// other still logs in. A host that never answers (no agent) fails its own step after the bounded wait
// without holding back the real host.
// Needs `npx tsc -b tsconfig.build.json` (the simulated host mounts the built agent).
import type { Server } from 'node:http';
import { utils as sshUtils } from 'ssh2';
import { WorkflowFailedError } from '@temporalio/client';
import { Allocation, Machine } from '@remotegpu/core';
import {
  tenantKeysSyncWorkflowId,
  type TenantKeysSyncWorkflowInput,
  type TenantKeysSyncWorkflowResult,
} from '@remotegpu/core/contracts';
import type { RunningControlWorker } from '../../workers/src/control-worker';
import { bearer, startTestApi, type TestApi, type TestCustomer } from '../support/api-server';
import { uniqueSuffix } from '../support/env';
import { eventually } from '../support/eventually';
import { simHostAgentEnv, startLifecycleControlWorker } from '../support/lifecycle';
import { SimHost } from '../support/simhost';
import { listenOnLoopback } from '../support/e2e-stack';
import { sshCanLogin } from '../support/ssh';

jest.setTimeout(300_000);

const suffix = uniqueSuffix('ks').toLowerCase();
const controlQueue = `control-${suffix}`;
const HOST_IP = '127.0.9.1';
const machineId = `m-${suffix}`;
const ghostId = `m-${suffix}-ghost`;

let api: TestApi;
let server: Server;
let worker: RunningControlWorker;
let host: SimHost;
let admin: string;
let customer: TestCustomer;
let unixUser: string;

const firstKey = sshUtils.generateKeyPairSync('ed25519', { comment: 'first@key-sync' });
const secondKey = sshUtils.generateKeyPairSync('ed25519', { comment: 'second@key-sync' });
let firstKeyId: number;

interface OperationBody {
  kind: string;
  status: string;
  tenant_id: number | null;
  steps: { name: string; status: string; error: string | null }[];
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

const login = (privateKey: string) => sshCanLogin({ host: HOST_IP, username: unixUser, privateKey, timeoutMs: 15_000 });

beforeAll(async () => {
  api = await startTestApi({
    configure: (config) => ({ ...config, temporal: { ...config.temporal, controlTaskQueue: controlQueue } }),
  });
  let apiUrl: string;
  ({ server, url: apiUrl } = await listenOnLoopback(api.app));
  admin = await api.loginAdmin();
  customer = await api.createCustomer('ks');
  unixUser = `t_${customer.companyCode}`;

  const registered = await api.request
    .post('/api/v1/admin/machines')
    .set(bearer(admin))
    .send({ id: machineId, name: `key sync ${suffix}`, ip: HOST_IP, ssh_port: 22, gpu_model: 'H100', gpu_count: 8 })
    .expect(201);
  const credentials = registered.body.data.agent_credentials as { key_id: string; secret: string };
  [worker, host] = await Promise.all([
    startLifecycleControlWorker(api.deps.orm, controlQueue),
    SimHost.start(`ks-${suffix.slice(-4)}`, HOST_IP, {
      ...simHostAgentEnv(machineId),
      API_URL: apiUrl,
      AGENT_KEY_ID: credentials.key_id,
      AGENT_SECRET: credentials.secret,
    }),
  ]);

  // The first key exists before the allocation: its sync finds no host and succeeds.
  const added = await api.request
    .post('/api/v1/customer/keys')
    .set(bearer(customer.ownerToken))
    .send({ name: 'first', public_key: firstKey.public })
    .expect(201);
  firstKeyId = added.body.data.id;
  const noHosts = await operationEnds(added.body.data.sync_operation_id);
  expect(noHosts).toMatchObject({ status: 'succeeded', tenant_id: customer.tenantId });
  expect(noHosts.steps.map((s) => s.name)).toEqual(['load_ssh_keys', 'list_hosts']);

  const allocated = await api.request
    .post(`/api/v1/admin/machines/${machineId}/allocate`)
    .set(bearer(admin))
    .send({ tenant_id: customer.tenantId, duration_months: 1 })
    .expect(200);
  const allocation = await operationEnds(allocated.body.data.operation_id);
  expect(allocation.error).toBeNull();
  expect(allocation.status).toBe('succeeded');
});

afterAll(async () => {
  if (api) {
    const rows = (await api
      .em()
      .getConnection()
      .execute(`select workflow_id from operations union select 'lease-' || id from allocations`)) as {
      workflow_id: string;
    }[];
    await Promise.allSettled(
      rows.map((row) => api.deps.temporal.workflow.getHandle(row.workflow_id).terminate('test cleanup')),
    );
  }
  await worker?.shutdown();
  await host?.stop();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await api?.close();
});

describe('tenant SSH keys follow the platform onto allocated hosts', () => {
  it('a key added after the allocation logs in once its sync operation succeeded', async () => {
    expect(await login(firstKey.private)).toBe(true);
    expect(await login(secondKey.private)).toBe(false);

    const res = await api.request
      .post('/api/v1/customer/keys')
      .set(bearer(customer.ownerToken))
      .send({ name: 'second', public_key: secondKey.public })
      .expect(201);
    expect(res.body.data).toMatchObject({ name: 'second', sync_operation_id: expect.stringMatching(/^op-/) });

    const op = await operationEnds(res.body.data.sync_operation_id);
    expect(op.error).toBeNull();
    expect(op).toMatchObject({ kind: 'ssh_reset', status: 'succeeded', tenant_id: customer.tenantId });
    expect(op.steps).toEqual([
      expect.objectContaining({ name: 'load_ssh_keys', status: 'succeeded' }),
      expect.objectContaining({ name: 'list_hosts', status: 'succeeded' }),
      expect.objectContaining({ name: `sync_keys:${machineId}`, status: 'succeeded' }),
    ]);
    expect(await login(secondKey.private)).toBe(true);
    expect(await login(firstKey.private)).toBe(true);
  });

  it('a deleted key is refused on the host once its sync operation succeeded; the other still logs in', async () => {
    const res = await api.request
      .delete(`/api/v1/customer/keys/${firstKeyId}`)
      .set(bearer(customer.ownerToken))
      .expect(200);
    const operationId = res.body.data.sync_operation_id as string;
    expect(operationId).toMatch(/^op-/);
    const op = await operationEnds(operationId);
    expect(op.error).toBeNull();
    expect(op.status).toBe('succeeded');
    expect(op.steps.find((s) => s.name === `sync_keys:${machineId}`)?.status).toBe('succeeded');

    expect(await login(firstKey.private)).toBe(false);
    expect(await login(secondKey.private)).toBe(true);
    const keys = await api.request.get('/api/v1/customer/keys').set(bearer(customer.ownerToken)).expect(200);
    expect(keys.body.data.map((k: { name: string }) => k.name)).toEqual(['second']);
  });

  it("a disabled member's key leaves the host; re-enabled, it logs in again", async () => {
    const member = await api.createMember(customer.ownerToken, 'ks-member');
    const memberKey = sshUtils.generateKeyPairSync('ed25519', { comment: 'member@key-sync' });
    const added = await api.request
      .post('/api/v1/customer/keys')
      .set(bearer(member.token))
      .send({ name: 'member', public_key: memberKey.public })
      .expect(201);
    expect((await operationEnds(added.body.data.sync_operation_id)).status).toBe('succeeded');
    expect(await login(memberKey.private)).toBe(true);

    const disabled = await api.request
      .put(`/api/v1/customer/members/${member.id}`)
      .set(bearer(customer.ownerToken))
      .send({ status: 'disabled' })
      .expect(200);
    expect(disabled.body.data).toMatchObject({ status: 'disabled', sync_operation_id: expect.stringMatching(/^op-/) });
    expect((await operationEnds(disabled.body.data.sync_operation_id)).status).toBe('succeeded');
    expect(await login(memberKey.private)).toBe(false);
    expect(await login(secondKey.private)).toBe(true);

    const enabled = await api.request
      .put(`/api/v1/customer/members/${member.id}`)
      .set(bearer(customer.ownerToken))
      .send({ status: 'active' })
      .expect(200);
    expect((await operationEnds(enabled.body.data.sync_operation_id)).status).toBe('succeeded');
    expect(await login(memberKey.private)).toBe(true);

    // An edit that does not change the status starts no sync.
    const renamed = await api.request
      .put(`/api/v1/customer/members/${member.id}`)
      .set(bearer(customer.ownerToken))
      .send({ display_name: 'Renamed' })
      .expect(200);
    expect(renamed.body.data.sync_operation_id).toBeNull();
  });

  it('a host whose agent never answers fails its own step after the bounded wait; the others are synced', async () => {
    // A second machine held by the tenant, with no agent polling host-<ghostId>.
    const em = api.em();
    em.create(Machine, {
      id: ghostId,
      name: ghostId,
      ip: '127.0.9.2',
      sshPort: 22,
      gpuModel: 'H100',
      gpuCount: 8,
      status: 'offline',
      allocationStatus: 'allocated',
    });
    const now = new Date();
    em.create(Allocation, {
      id: `alloc-${suffix}-ghost`,
      tenant: customer.tenantId,
      machine: ghostId,
      status: 'active',
      startsAt: now,
      expiresAt: new Date(now.getTime() + 30 * 86_400_000),
      durationMonths: 1,
      unixUser,
    });
    await em.flush();
    // The real host lost the remaining key meanwhile (e.g. the customer edited authorized_keys): the sync
    // puts it back there even though the ghost host fails.
    await host.execOk(['sh', '-c', ': > "$(getent passwd "$1" | cut -d: -f6)/.ssh/authorized_keys"', 'sh', unixUser]);
    expect(await login(secondKey.private)).toBe(false);

    const requestId = `ghost-${suffix}`;
    const operationId = `op-${suffix}-ghost`;
    const input: TenantKeysSyncWorkflowInput = {
      tenantId: customer.tenantId,
      requestId,
      operationId,
      revokedPublicKeys: [firstKey.public],
      hostWaitTimeoutMs: 3_000,
    };
    const handle = await api.deps.temporal.workflow.start('tenantKeysSyncWorkflow', {
      taskQueue: controlQueue,
      workflowId: tenantKeysSyncWorkflowId(customer.tenantId, requestId),
      args: [input],
    });
    const failure = await (handle.result() as Promise<TenantKeysSyncWorkflowResult>).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toContain(ghostId);

    const op = await operationEnds(operationId);
    expect(op.status).toBe('failed');
    expect(op.error).toContain(ghostId);
    expect(op.error).not.toContain(`${machineId} (`);
    const ghostStep = op.steps.find((s) => s.name === `sync_keys:${ghostId}`);
    expect(ghostStep).toMatchObject({ status: 'failed', error: expect.stringContaining('SCHEDULE_TO_START') });
    expect(op.steps.find((s) => s.name === `sync_keys:${machineId}`)?.status).toBe('succeeded');
    expect(await login(secondKey.private)).toBe(true);
    expect(await login(firstKey.private)).toBe(false);
  });
});
