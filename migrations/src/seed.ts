import type { EntityManager } from '@mikro-orm/postgresql';
import argon2 from 'argon2';
import { Machine, Tenant, User } from '@remotegpu/core';

export const DEFAULT_ADMIN_PASSWORD = 'RemoteGPU-Admin-2026';
export const DEMO_OWNER_PASSWORD = 'Acme-Owner-2026!';

export interface SeedOptions {
  /** Default: env SEED_ADMIN_PASSWORD, else DEFAULT_ADMIN_PASSWORD. */
  adminPassword?: string;
  ownerPassword?: string;
  /** Defaults to argon2id; injectable so callers can share the API's hasher. */
  hashPassword?: (plain: string) => Promise<string>;
}

export interface SeedSummary {
  /** What this run inserted (empty on a second run). */
  created: { tenants: string[]; users: string[]; machines: string[] };
  /** What was already there and left untouched. */
  existing: { tenants: string[]; users: string[]; machines: string[] };
}

const DEMO_MACHINES = [
  { id: 'sim-01', ip: '127.0.1.1' },
  { id: 'sim-02', ip: '127.0.1.2' },
  { id: 'sim-03', ip: '127.0.1.3' },
  { id: 'local-01', ip: '127.0.0.1' },
];

export const hashPasswordArgon2id = (plain: string): Promise<string> => argon2.hash(plain, { type: argon2.argon2id });

/**
 * Demo data: platform admin `admin`, tenant `Acme AI` (company code `acme`) with owner `acme-owner`, and the
 * simulated hosts sim-01..03 (127.0.1.N) plus local-01 (127.0.0.1). Idempotent: rows found by their unique
 * key are left exactly as they are (passwords are not re-hashed), so a second run changes nothing.
 */
export async function seed(em: EntityManager, options: SeedOptions = {}): Promise<SeedSummary> {
  const hash = options.hashPassword ?? hashPasswordArgon2id;
  const adminPassword = options.adminPassword ?? process.env.SEED_ADMIN_PASSWORD ?? DEFAULT_ADMIN_PASSWORD;
  const ownerPassword = options.ownerPassword ?? DEMO_OWNER_PASSWORD;
  const summary: SeedSummary = {
    created: { tenants: [], users: [], machines: [] },
    existing: { tenants: [], users: [], machines: [] },
  };

  await em.transactional(async (tx) => {
    if (await tx.findOne(User, { username: 'admin' })) summary.existing.users.push('admin');
    else {
      tx.create(User, {
        username: 'admin',
        passwordHash: await hash(adminPassword),
        role: 'admin',
        tenant: null,
        tenantRole: null,
        displayName: 'Platform admin',
        mustChangePassword: true,
      });
      summary.created.users.push('admin');
    }

    let tenant = await tx.findOne(Tenant, { companyCode: 'acme' });
    if (tenant) summary.existing.tenants.push('acme');
    else {
      tenant = tx.create(Tenant, { name: 'Acme AI', companyCode: 'acme', contactName: 'Acme owner' });
      summary.created.tenants.push('acme');
    }

    if (await tx.findOne(User, { username: 'acme-owner' })) summary.existing.users.push('acme-owner');
    else {
      tx.create(User, {
        username: 'acme-owner',
        passwordHash: await hash(ownerPassword),
        role: 'customer',
        tenant,
        tenantRole: 'owner',
        displayName: 'Acme owner',
        mustChangePassword: true,
      });
      summary.created.users.push('acme-owner');
    }

    for (const demo of DEMO_MACHINES) {
      if (await tx.findOne(Machine, { id: demo.id })) {
        summary.existing.machines.push(demo.id);
        continue;
      }
      tx.create(Machine, {
        id: demo.id,
        name: demo.id,
        region: 'local',
        ip: demo.ip,
        sshPort: 22,
        gpuModel: 'NVIDIA H100 80GB HBM3',
        gpuCount: 8,
        gpuMemoryGb: 80,
        status: 'offline',
        allocationStatus: 'idle',
        tags: ['demo'],
      });
      summary.created.machines.push(demo.id);
    }
  });
  return summary;
}
