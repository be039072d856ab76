import { UniqueConstraintViolationException, wrap, type EntityName } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import {
  AgentCredential,
  Alert,
  Allocation,
  AuditLog,
  createOrmConfig,
  Dataset,
  DatasetMount,
  Environment,
  GpuDevice,
  Image,
  Machine,
  MachineRemoteAccess,
  MetricSample,
  Operation,
  PortMapping,
  RemoteSession,
  SshKey,
  Task,
  Tenant,
  User,
} from '@remotegpu/core';
import { testEnv, uniqueSuffix } from '../../tests/support/env';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';

// Every entity written through MikroORM and read back from a migrated scratch database.
let db: ScratchDatabase;
let orm: MikroORM;

beforeAll(async () => {
  db = await createScratchDatabase({
    adminUrl: testEnv.adminDatabaseUrl,
    ownerUrl: testEnv.databaseUrl,
    prefix: `ent_${uniqueSuffix('e')}`,
    migrate: true,
  });
  orm = await MikroORM.init(createOrmConfig({ clientUrl: db.url, pool: { max: 3 } }));
});

afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

it('writes and reads back every entity', async () => {
  const em = orm.em.fork();
  const tenant = em.create(Tenant, { name: 'Ent Co', companyCode: 'ent-co' });
  const user = em.create(User, {
    tenant,
    username: 'ent-owner',
    passwordHash: '$argon2id$fake',
    role: 'customer',
    tenantRole: 'owner',
  });
  const machine = em.create(Machine, { id: 'ent-m1', name: 'ent m1', ip: '127.0.8.1', gpuCount: 2, tags: ['a', 'b'] });
  em.create(GpuDevice, { machine, index: 0, model: 'H100', memoryMb: 81559, lastUtil: 12.5 });
  em.create(SshKey, {
    user,
    tenant,
    name: 'laptop',
    publicKey: 'ssh-ed25519 AAAA x',
    fingerprint: 'SHA256:x',
    keyType: 'ssh-ed25519',
  });
  const startsAt = new Date('2026-02-05T00:00:00Z');
  const allocation = em.create(Allocation, {
    id: 'alloc-ent-1',
    tenant,
    machine,
    startsAt,
    expiresAt: new Date('2026-05-05T00:00:00Z'),
    durationMonths: 3,
    unixUser: 't_ent-co',
    createdBy: user,
  });
  em.create(Operation, {
    id: 'op-ent-1',
    kind: 'allocate',
    machine,
    allocation,
    tenant,
    workflowId: 'allocate-alloc-ent-1',
    steps: [{ name: 'reserve', status: 'succeeded', startedAt: '2026-02-05T00:00:00Z', endedAt: null }],
    requestedBy: user,
  });
  const dataset = em.create(Dataset, {
    tenant,
    name: 'imagenet',
    filename: 'imagenet.tar',
    bucket: 'remotegpu',
    objectKey: 'tenants/1/datasets/imagenet.tar',
    sizeBytes: 150_323_855_360,
  });
  em.create(DatasetMount, { dataset, machine, tenant, mountPoint: '/data/imagenet' });
  const environment = em.create(Environment, {
    tenant,
    machine,
    name: 'dev',
    image: 'remotegpu/base:latest',
    gpuIndices: [0, 1],
  });
  em.create(PortMapping, {
    host: machine,
    environment,
    serviceType: 'jupyter',
    internalPort: 8888,
    externalPort: 8900,
  });
  em.create(MachineRemoteAccess, { machine, publicDomain: 'ssh.example.test', publicPort: 10022, targetPort: 22 });
  em.create(RemoteSession, { machine, user, tenant, protocol: 'ssh', sourceIp: '127.0.0.1' });
  em.create(Task, { tenant, machine, environment, name: 'train', command: 'python train.py' });
  em.create(Image, { name: 'remotegpu/base' });
  em.create(Alert, {
    machine,
    kind: 'offline',
    severity: 'critical',
    message: 'no heartbeat',
    details: { seconds: 45 },
  });
  em.create(AuditLog, {
    userId: 1,
    username: 'ent-owner',
    method: 'POST',
    path: '/api/v1/x',
    action: 'x.create',
    statusCode: 200,
    body: { a: 1 },
  });
  em.create(MetricSample, { machine, gpuIndex: 0, ts: new Date(), gpuUtil: 99.5 });
  em.create(AgentCredential, { machine, keyId: 'ak-ent-1', secretHash: 'h', secretEncrypted: 'v1.a.b.c' });
  await em.flush();

  const read = orm.em.fork();
  const u = await read.findOneOrFail(User, { username: 'ent-owner' }, { populate: ['tenant'] });
  expect(typeof u.id).toBe('number');
  expect(u.tenant?.getEntity().companyCode).toBe('ent-co');
  // lazy scalar reference: not selected unless populated (populate: ['passwordHash']), then read with `.$`
  expect(u.passwordHash.isInitialized()).toBe(false);
  expect(wrap(u).toObject()).not.toHaveProperty('passwordHash'); // hidden
  const withHash = await orm.em.fork().findOneOrFail(User, { username: 'ent-owner' }, { populate: ['passwordHash'] });
  expect(withHash.passwordHash.$).toBe('$argon2id$fake');
  expect(u.createdAt).toBeInstanceOf(Date);

  const m = await read.findOneOrFail(Machine, 'ent-m1');
  expect(m).toMatchObject({
    status: 'offline',
    allocationStatus: 'idle',
    healthStatus: 'unknown',
    sshPort: 22,
    tags: ['a', 'b'],
  });
  const a = await read.findOneOrFail(Allocation, 'alloc-ent-1');
  expect(a.status).toBe('pending');
  expect(a.startsAt.toISOString()).toBe(startsAt.toISOString());
  expect(a.machine.id).toBe('ent-m1');
  expect((await read.findOneOrFail(Operation, 'op-ent-1')).steps[0]).toMatchObject({ name: 'reserve' });
  expect((await read.findOneOrFail(Dataset, { name: 'imagenet' })).sizeBytes).toBe(150_323_855_360);
  expect((await read.findOneOrFail(Environment, { name: 'dev' })).gpuIndices).toEqual([0, 1]);
  expect((await read.findOneOrFail(GpuDevice, { machine: 'ent-m1', index: 0 })).lastUtil).toBeCloseTo(12.5);
  expect((await read.findOneOrFail(Alert, { kind: 'offline' })).details).toEqual({ seconds: 45 });
  expect((await read.findOneOrFail(PortMapping, { host: 'ent-m1' })).status).toBe('active');
  expect(typeof (await read.findOneOrFail(AuditLog, { action: 'x.create' })).id).toBe('number');
  for (const entity of [
    DatasetMount,
    MachineRemoteAccess,
    RemoteSession,
    Task,
    Image,
    MetricSample,
    AgentCredential,
    SshKey,
  ]) {
    expect(await read.count(entity as EntityName<object>)).toBe(1);
  }

  // updatedAt moves on update, createdAt does not
  const before = m.updatedAt.getTime();
  m.allocationStatus = 'allocating';
  await read.flush();
  const again = await orm.em.fork().findOneOrFail(Machine, 'ent-m1');
  expect(again.allocationStatus).toBe('allocating');
  expect(again.updatedAt.getTime()).toBeGreaterThanOrEqual(before);
  expect(again.createdAt.getTime()).toBe(m.createdAt.getTime());
});

it('lets exactly one of two concurrent live allocations of a machine win', async () => {
  const em = orm.em.fork();
  const tenant = await em.findOneOrFail(Tenant, { companyCode: 'ent-co' });
  em.create(Machine, { id: 'ent-race', name: 'race', ip: '127.0.8.2' });
  await em.flush();
  const attempt = async (id: string) => {
    const fork = orm.em.fork();
    fork.create(Allocation, {
      id,
      tenant: tenant.id,
      machine: 'ent-race',
      startsAt: new Date(),
      expiresAt: new Date(Date.now() + 86_400_000),
      durationMonths: 1,
      unixUser: 't_ent-co',
    });
    await fork.flush();
  };
  const results = await Promise.allSettled([attempt('alloc-race-a'), attempt('alloc-race-b')]);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const [rejected] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(rejected!.reason).toBeInstanceOf(UniqueConstraintViolationException);
  expect(String(rejected!.reason.message)).toContain('allocations_one_live_per_machine');
});
