import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from '@remotegpu/core';
import { Client } from 'pg';
import { testEnv, uniqueSuffix } from '../../tests/support/env';
import { INITIAL_TABLES } from './migrations/Migration20261122000000_initial';
import { migrationStatus, runMigrations } from './migrator';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';

// Runs the real migrations against a scratch database of the real PostgreSQL server.
let db: ScratchDatabase;
let sql: Client;

async function tablesInPublic(): Promise<string[]> {
  const { rows } = await sql.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** The PostgreSQL error a statement fails with (code + constraint), or null when it succeeds. */
async function failure(
  statement: string,
  params: unknown[] = [],
): Promise<{ code: string; constraint?: string } | null> {
  try {
    await sql.query(statement, params);
    return null;
  } catch (error) {
    const { code, constraint } = error as { code: string; constraint?: string };
    return { code, constraint };
  }
}

beforeAll(async () => {
  db = await createScratchDatabase({
    adminUrl: testEnv.adminDatabaseUrl,
    ownerUrl: testEnv.databaseUrl,
    prefix: `mig_${uniqueSuffix('m')}`,
  });
  sql = new Client({ connectionString: db.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await db?.drop();
});

describe('initial migration', () => {
  it('migrates up: every table exists and the entities match the schema exactly', async () => {
    expect(await runMigrations(db.url, 'up')).toEqual(['Migration20261122000000_initial']);
    expect(await runMigrations(db.url, 'up')).toEqual([]);
    expect(await migrationStatus(db.url)).toEqual({ executed: ['Migration20261122000000_initial'], pending: [] });
    expect(await tablesInPublic()).toEqual([...INITIAL_TABLES, 'mikro_orm_migrations'].sort());

    // MikroORM's schema diff between the entity metadata and the migrated database is empty:
    // every column, type, default, FK, index, CHECK and partial unique index agrees.
    const orm = await MikroORM.init(createOrmConfig({ clientUrl: db.url, pool: { max: 1 } }));
    try {
      expect((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
    } finally {
      await orm.close(true);
    }
  });

  it('keeps one live allocation per machine', async () => {
    await sql.query(`insert into tenants (name, company_code) values ('T', 'mig-t') `);
    const {
      rows: [tenant],
    } = await sql.query<{ id: number }>(`select id from tenants where company_code = 'mig-t'`);
    await sql.query(
      `insert into machines (id, name, ip, ssh_port) values ('mig-m1', 'm1', '127.0.9.1', 22), ('mig-m2', 'm2', '127.0.9.2', 22)`,
    );
    const insertAllocation = (id: string, machine: string, status: string) =>
      failure(
        `insert into allocations (id, tenant_id, machine_id, status, starts_at, expires_at, duration_months, unix_user)
         values ($1, $2, $3, $4, now(), now() + interval '3 months', 3, 't_mig-t')`,
        [id, tenant!.id, machine, status],
      );

    expect(await insertAllocation('alloc-1', 'mig-m1', 'active')).toBeNull();
    for (const live of ['pending', 'active', 'reclaiming']) {
      expect(await insertAllocation(`alloc-dup-${live}`, 'mig-m1', live)).toEqual({
        code: '23505',
        constraint: 'allocations_one_live_per_machine',
      });
    }
    // finished allocations do not hold the machine
    expect(await insertAllocation('alloc-2', 'mig-m2', 'reclaimed')).toBeNull();
    expect(await insertAllocation('alloc-3', 'mig-m2', 'failed')).toBeNull();
    expect(await insertAllocation('alloc-4', 'mig-m2', 'expired')).toBeNull();
    expect(await insertAllocation('alloc-5', 'mig-m2', 'pending')).toBeNull();
    // once the live one ends, the machine can be leased again
    await sql.query(`update allocations set status = 'reclaimed' where id = 'alloc-1'`);
    expect(await insertAllocation('alloc-6', 'mig-m1', 'pending')).toBeNull();
  });

  it('keeps one open alert per machine and kind', async () => {
    const insertAlert = (kind: string, status: string) =>
      failure(
        `insert into alerts (machine_id, kind, severity, status, message) values ('mig-m1', $1, 'critical', $2, 'x')`,
        [kind, status],
      );
    expect(await insertAlert('offline', 'active')).toBeNull();
    expect(await insertAlert('offline', 'active')).toEqual({
      code: '23505',
      constraint: 'alerts_one_open_per_machine_kind',
    });
    expect(await insertAlert('offline', 'acknowledged')).toEqual({
      code: '23505',
      constraint: 'alerts_one_open_per_machine_kind',
    });
    expect(await insertAlert('offline', 'resolved')).toBeNull();
    expect(await insertAlert('offline', 'resolved')).toBeNull();
    expect(await insertAlert('gpu_ecc_errors', 'active')).toBeNull();
  });

  it('keeps active external ports unique per host', async () => {
    const insertPort = (host: string, port: number, status: string) =>
      failure(
        `insert into port_mappings (host_id, service_type, internal_port, external_port, status) values ($1, 'ssh', 22, $2, $3)`,
        [host, port, status],
      );
    expect(await insertPort('mig-m1', 22000, 'active')).toBeNull();
    expect(await insertPort('mig-m1', 22000, 'active')).toEqual({
      code: '23505',
      constraint: 'port_mappings_host_external_port_active',
    });
    expect(await insertPort('mig-m1', 22000, 'released')).toBeNull();
    expect(await insertPort('mig-m2', 22000, 'active')).toBeNull();
  });

  it('enforces the other constraints', async () => {
    const machine = (id: string, ip: string, port = 22) =>
      failure(`insert into machines (id, name, ip, ssh_port) values ($1, $1, $2, $3)`, [id, ip, port]);
    expect(await machine('Bad_Id', '127.0.9.9')).toEqual({ code: '23514', constraint: 'machines_id_format' });
    expect(await machine('mig-dup', '127.0.9.1')).toEqual({ code: '23505', constraint: 'machines_ip_ssh_port_live' });
    expect(await machine('mig-port', '127.0.9.9', 70000)).toEqual({
      code: '23514',
      constraint: 'machines_ssh_port_check',
    });
    // a soft-deleted machine frees its (ip, ssh_port)
    await sql.query(`update machines set deleted_at = now() where id = 'mig-m2'`);
    expect(await machine('mig-m3', '127.0.9.2')).toBeNull();
    expect(await failure(`update machines set allocation_status = 'broken' where id = 'mig-m1'`)).toEqual({
      code: '23514',
      constraint: 'machines_allocation_status_check',
    });
    expect(
      await failure(`insert into users (username, password_hash, role) values ('orphan-customer', 'x', 'customer')`),
    ).toEqual({ code: '23514', constraint: 'users_tenant_matches_role' });
    expect(
      await failure(`insert into users (username, password_hash, role) values ('root-admin', 'x', 'admin')`),
    ).toBeNull();
    expect(
      await failure(`insert into users (username, password_hash, role) values ('root-admin', 'y', 'admin')`),
    ).toEqual({
      code: '23505',
      constraint: 'users_username_unique',
    });
    expect(
      await failure(`insert into allocations (id, tenant_id, machine_id, starts_at, expires_at, duration_months, unix_user)
        values ('alloc-bad-fk', 2147483647, 'mig-m3', now(), now() + interval '1 month', 1, 'u')`),
    ).toEqual({ code: '23503', constraint: 'allocations_tenant_id_foreign' });
  });

  it('migrates down to nothing and up again', async () => {
    expect(await runMigrations(db.url, 'down')).toEqual(['Migration20261122000000_initial']);
    expect(await tablesInPublic()).toEqual(['mikro_orm_migrations']);
    expect(await migrationStatus(db.url)).toEqual({ executed: [], pending: ['Migration20261122000000_initial'] });
    expect(await runMigrations(db.url, 'down')).toEqual([]);

    expect(await runMigrations(db.url, 'up')).toEqual(['Migration20261122000000_initial']);
    expect(await tablesInPublic()).toEqual([...INITIAL_TABLES, 'mikro_orm_migrations'].sort());
    const { rows } = await sql.query(`select count(*)::int as n from allocations`);
    expect(rows[0]).toEqual({ n: 0 });
  });
});
