// Customer machine endpoints against the real services: tenant scoping (another tenant's machine is
// 404), the §3.3.1 fields, GPU utilisation from the last heartbeat in Redis, owner-only SSH reset.
import { machineMetricsKey, type MachineMetricsSnapshot } from '@remotegpu/core/contracts';
import {
  bearer,
  startTestApi,
  type TestApi,
  type TestCustomer,
  type TestMember,
} from '../../../../tests/support/api-server';
import { uniqueSuffix } from '../../../../tests/support/env';
import { createMachine } from '../../../../tests/support/lifecycle';

const suffix = uniqueSuffix('cm').toLowerCase();
const taskQueue = `control-${suffix}`;
let api: TestApi;
let admin: string;
let tenantA: TestCustomer;
let tenantB: TestCustomer;
let memberA: TestMember;
const machineA = `${suffix}-a`;
const machineOther = `${suffix}-b`;
let allocationA: string;
const workflows: string[] = [];

const sql = (query: string, params: unknown[] = []) => api.em().getConnection().execute(query, params);

beforeAll(async () => {
  api = await startTestApi({
    configure: (config) => ({ ...config, temporal: { ...config.temporal, controlTaskQueue: taskQueue } }),
  });
  admin = await api.loginAdmin();
  tenantA = await api.createCustomer('cma');
  tenantB = await api.createCustomer('cmb');
  memberA = await api.createMember(tenantA.ownerToken, 'cmm');
  await createMachine(api.deps.orm, machineA, '192.0.2.10');
  await createMachine(api.deps.orm, machineOther, '192.0.2.11');
  const res = await api.request
    .post(`/api/v1/admin/machines/${machineA}/allocate`)
    .set(bearer(admin))
    .send({ tenant_id: tenantA.tenantId, duration_months: 3 })
    .expect(200);
  allocationA = res.body.data.allocation_id;
  workflows.push(`allocate-${allocationA}`);
}, 90_000);

afterAll(async () => {
  await Promise.allSettled(workflows.map((id) => api.deps.temporal.workflow.getHandle(id).terminate('test cleanup')));
  await api?.deps.redis.del(machineMetricsKey(machineA));
  await api?.close();
});

describe('GET /customer/machines', () => {
  it('lists the tenant’s machines with ssh host/port/user and expiry; other tenants see none of them', async () => {
    const res = await api.request.get('/api/v1/customer/machines').set(bearer(tenantA.ownerToken)).expect(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        id: machineA,
        name: machineA,
        status: 'online',
        allocation_status: 'pending',
        allocation_id: allocationA,
        ssh_host: '192.0.2.10',
        ssh_port: 22,
        ssh_user: `t_${tenantA.companyCode}`,
        expires_at: expect.any(String),
        gpu_info: { model: 'NVIDIA H100 80GB HBM3', count: 8, memory: null },
      }),
    ]);
    const members = await api.request.get('/api/v1/customer/machines').set(bearer(memberA.token)).expect(200);
    expect(members.body.data.map((m: { id: string }) => m.id)).toEqual([machineA]);
    const other = await api.request.get('/api/v1/customer/machines').set(bearer(tenantB.ownerToken)).expect(200);
    expect(other.body.data).toEqual([]);
  });

  it('answers 404 for another tenant’s machine and for an unallocated one', async () => {
    for (const path of ['', '/connection']) {
      await api.request.get(`/api/v1/customer/machines/${machineA}${path}`).set(bearer(tenantB.ownerToken)).expect(404);
      await api.request
        .get(`/api/v1/customer/machines/${machineOther}${path}`)
        .set(bearer(tenantA.ownerToken))
        .expect(404);
    }
    await api.request
      .post(`/api/v1/customer/machines/${machineA}/ssh-reset`)
      .set(bearer(tenantB.ownerToken))
      .expect(404);
  });

  it('is for customers only', async () => {
    await api.request.get('/api/v1/customer/machines').set(bearer(admin)).expect(403);
    await api.request.get('/api/v1/customer/machines').expect(401);
  });

  it('reports GPU utilisation from the last heartbeat', async () => {
    const snapshot: MachineMetricsSnapshot = {
      machine_id: machineA,
      received_at: Date.now(),
      agent_ts: Date.now(),
      cpu_util: 10,
      mem_used_pct: 20,
      disk_used_pct: 30,
      gpus: [80, 91, null].map((util, index) => ({
        index,
        uuid: `GPU-${index}`,
        name: 'NVIDIA H100 80GB HBM3',
        util_pct: util,
        mem_used_mib: 1,
        mem_total_mib: 81_559,
        temperature_c: 40,
        power_w: 100,
        ecc_uncorrected: 0,
      })),
    };
    await api.deps.redis.set(machineMetricsKey(machineA), JSON.stringify(snapshot));
    const res = await api.request
      .get(`/api/v1/customer/machines/${machineA}`)
      .set(bearer(tenantA.ownerToken))
      .expect(200);
    expect(res.body.data.gpu_util).toBe(85.5);
  });
});

describe('connection and ssh-reset', () => {
  it('returns the connection details, preferring the public nginx entry when the machine has one', async () => {
    const direct = await api.request
      .get(`/api/v1/customer/machines/${machineA}/connection`)
      .set(bearer(tenantA.ownerToken))
      .expect(200);
    expect(direct.body.data).toMatchObject({
      machine_id: machineA,
      ssh_host: '192.0.2.10',
      ssh_port: 22,
      ssh_user: `t_${tenantA.companyCode}`,
      ssh_command: `ssh -p 22 t_${tenantA.companyCode}@192.0.2.10`,
    });
    await sql(`update machines set public_domain = 'ssh.example.test', public_port = 10022 where id = ?`, [machineA]);
    const mapped = await api.request
      .get(`/api/v1/customer/machines/${machineA}/connection`)
      .set(bearer(tenantA.ownerToken))
      .expect(200);
    expect(mapped.body.data).toMatchObject({ ssh_host: 'ssh.example.test', ssh_port: 10022 });
    await sql(`update machines set public_domain = null, public_port = null where id = ?`, [machineA]);
  });

  it('ssh-reset is for the owner only, and only once the machine is active', async () => {
    const byMember = await api.request
      .post(`/api/v1/customer/machines/${machineA}/ssh-reset`)
      .set(bearer(memberA.token))
      .expect(403);
    expect(byMember.body.code).toBe('FORBIDDEN');
    const pending = await api.request
      .post(`/api/v1/customer/machines/${machineA}/ssh-reset`)
      .set(bearer(tenantA.ownerToken))
      .expect(409);
    expect(pending.body.data.reason).toBe('allocation_pending');
  });

  it('a reclaimed allocation disappears from the tenant’s list', async () => {
    await sql(`update allocations set status = 'reclaimed' where id = ?`, [allocationA]);
    const res = await api.request.get('/api/v1/customer/machines').set(bearer(tenantA.ownerToken)).expect(200);
    expect(res.body.data).toEqual([]);
    await api.request.get(`/api/v1/customer/machines/${machineA}`).set(bearer(tenantA.ownerToken)).expect(404);
  });
});
