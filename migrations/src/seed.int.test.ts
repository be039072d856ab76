import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from '@remotegpu/core';
import argon2 from 'argon2';
import { Client } from 'pg';
import { testEnv, uniqueSuffix } from '../../tests/support/env';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';
import { DEFAULT_ADMIN_PASSWORD, DEMO_OWNER_PASSWORD, seed } from './seed';

// Seeds a freshly migrated scratch database twice and compares every seeded row.
let db: ScratchDatabase;
let orm: MikroORM;
let sql: Client;

async function seededRows(): Promise<Record<string, unknown[]>> {
  const tables = {
    tenants: 'select * from tenants order by id',
    users: 'select * from users order by id',
    machines: 'select * from machines order by id',
  };
  const out: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(tables)) out[name] = (await sql.query(query)).rows;
  return out;
}

beforeAll(async () => {
  db = await createScratchDatabase({
    adminUrl: testEnv.adminDatabaseUrl,
    ownerUrl: testEnv.databaseUrl,
    prefix: `seed_${uniqueSuffix('s')}`,
    migrate: true,
  });
  orm = await MikroORM.init(createOrmConfig({ clientUrl: db.url, pool: { max: 2 } }));
  sql = new Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await orm?.close(true);
  await db?.drop();
});

it('seeds the demo data once; a second run changes nothing', async () => {
  const first = await seed(orm.em.fork());
  expect(first).toEqual({
    created: {
      tenants: ['acme'],
      users: ['admin', 'acme-owner'],
      machines: ['sim-01', 'sim-02', 'sim-03', 'local-01'],
    },
    existing: { tenants: [], users: [], machines: [] },
  });
  const afterFirst = await seededRows();

  const second = await seed(orm.em.fork());
  expect(second).toEqual({
    created: { tenants: [], users: [], machines: [] },
    existing: {
      tenants: ['acme'],
      users: ['admin', 'acme-owner'],
      machines: ['sim-01', 'sim-02', 'sim-03', 'local-01'],
    },
  });
  expect(await seededRows()).toEqual(afterFirst);

  const users = afterFirst.users as Array<Record<string, unknown>>;
  expect(users).toHaveLength(2);
  const admin = users.find((u) => u.username === 'admin')!;
  expect(admin).toMatchObject({ role: 'admin', tenant_id: null, tenant_role: null, must_change_password: true });
  expect(admin.password_hash).toMatch(/^\$argon2id\$/);
  const adminPassword = process.env.SEED_ADMIN_PASSWORD ?? DEFAULT_ADMIN_PASSWORD;
  expect(await argon2.verify(admin.password_hash as string, adminPassword)).toBe(true);
  expect(await argon2.verify(admin.password_hash as string, 'wrong-password')).toBe(false);

  const [tenant] = afterFirst.tenants as Array<Record<string, unknown>>;
  expect(tenant).toMatchObject({ name: 'Acme AI', company_code: 'acme', status: 'active' });
  const owner = users.find((u) => u.username === 'acme-owner')!;
  expect(owner).toMatchObject({
    role: 'customer',
    tenant_id: tenant!.id,
    tenant_role: 'owner',
    must_change_password: true,
  });
  expect(await argon2.verify(owner.password_hash as string, DEMO_OWNER_PASSWORD)).toBe(true);

  const machines = (afterFirst.machines as Array<Record<string, unknown>>).map((m) => ({
    id: m.id,
    ip: m.ip,
    ssh_port: m.ssh_port,
    region: m.region,
    gpu_model: m.gpu_model,
    gpu_count: m.gpu_count,
    status: m.status,
    allocation_status: m.allocation_status,
    deleted_at: m.deleted_at,
  }));
  const demo = { ssh_port: 22, region: 'local', gpu_model: 'NVIDIA H100 80GB HBM3', gpu_count: 8 };
  const state = { status: 'offline', allocation_status: 'idle', deleted_at: null };
  expect(machines).toEqual([
    { id: 'local-01', ip: '127.0.0.1', ...demo, ...state },
    { id: 'sim-01', ip: '127.0.1.1', ...demo, ...state },
    { id: 'sim-02', ip: '127.0.1.2', ...demo, ...state },
    { id: 'sim-03', ip: '127.0.1.3', ...demo, ...state },
  ]);
});

it('uses the given admin password on an empty database', async () => {
  const other = await createScratchDatabase({
    adminUrl: testEnv.adminDatabaseUrl,
    ownerUrl: testEnv.databaseUrl,
    prefix: `seed_${uniqueSuffix('p')}`,
    migrate: true,
  });
  const otherOrm = await MikroORM.init(createOrmConfig({ clientUrl: other.url, pool: { max: 1 } }));
  try {
    await seed(otherOrm.em.fork(), { adminPassword: 'Another-Admin-Pass-1' });
    const admin = await otherOrm.em
      .fork()
      .getConnection()
      .execute(`select password_hash from users where username = 'admin'`);
    expect(await argon2.verify(admin[0].password_hash, 'Another-Admin-Pass-1')).toBe(true);
  } finally {
    await otherOrm.close(true);
    await other.drop();
  }
});
