// Fixtures of the machine-lifecycle tests: a scratch database with the migrations applied, a tenant
// with a customer and a real ed25519 SSH key, machines, and the control worker in-process with the
// control activities the real control worker registers.
import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import pino from 'pino';
import { utils as sshUtils } from 'ssh2';
import { Machine, SshKey, Tenant, User, createOrmConfig, parseSshPublicKey } from '@remotegpu/core';
import { Redis } from 'ioredis';
import { buildControlActivities, type ControlResources } from '../../workers/src/control-activities';
import { startControlWorker, type RunningControlWorker } from '../../workers/src/control-worker';
import { testEnv } from './env';
import { workflowBundlePath } from './global-setup';
import { createTestDatabase } from './scratch-database';

export interface LifecycleDatabase {
  name: string;
  url: string;
  orm: MikroORM;
  close(): Promise<void>;
}

/** A database of this test file only, migrated to the latest schema. */
export async function createLifecycleDatabase(prefix: string): Promise<LifecycleDatabase> {
  const db = await createTestDatabase(prefix);
  const orm = await MikroORM.init(createOrmConfig({ clientUrl: db.url, pool: { min: 0, max: 6 } }));
  return {
    name: db.name,
    url: db.url,
    orm,
    async close() {
      await orm.close(true);
      await db.drop();
    },
  };
}

export interface TestTenant {
  tenantId: number;
  userId: number;
  unixUser: string;
  privateKey: string;
  publicKey: string;
}

/** A tenant with one active customer owning one ed25519 key (the private half stays in the test). */
export async function createTenantWithKey(orm: MikroORM, label: string): Promise<TestTenant> {
  const em = orm.em.fork();
  const code = `${label}${randomBytes(3).toString('hex')}`.toLowerCase().replace(/[^a-z0-9]/g, '');
  const tenant = em.create(Tenant, { name: `Tenant ${code}`, companyCode: code, status: 'active' });
  const user = em.create(User, {
    tenant,
    username: `owner-${code}`,
    passwordHash: 'not-used-by-these-tests',
    role: 'customer',
    tenantRole: 'owner',
    status: 'active',
  });
  const keys = sshUtils.generateKeyPairSync('ed25519', { comment: `${code}@test` });
  const publicKey = keys.public.trim();
  em.create(SshKey, {
    user,
    tenant,
    name: 'laptop',
    publicKey,
    fingerprint: parseSshPublicKey(publicKey).fingerprint,
    keyType: 'ssh-ed25519',
  });
  await em.flush();
  return {
    tenantId: tenant.id,
    userId: user.id,
    unixUser: `t_${code}`.slice(0, 32),
    privateKey: keys.private,
    publicKey,
  };
}

export async function createMachine(orm: MikroORM, id: string, ip: string): Promise<void> {
  const em = orm.em.fork();
  em.create(Machine, {
    id,
    name: id,
    ip,
    sshPort: 22,
    gpuModel: 'NVIDIA H100 80GB HBM3',
    gpuCount: 8,
    status: 'online',
    allocationStatus: 'idle',
  });
  await em.flush();
}

/**
 * The control-plane worker in-process on its own task queue, with the control activities built exactly
 * as the real worker builds them (operation_update events published on the real Redis).
 */
export async function startLifecycleControlWorker(orm: MikroORM, taskQueue: string): Promise<RunningControlWorker> {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const redis = new Redis(testEnv.redisUrl, { maxRetriesPerRequest: 3 });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
  try {
    const running = await startControlWorker({
      connection: { address: testEnv.temporalAddress },
      namespace: testEnv.temporalNamespace,
      taskQueue,
      workflowBundlePath,
      // The fixtures' ORM is the PostgreSQL driver's, typed through @mikro-orm/core here.
      activities: buildControlActivities({ orm: orm as unknown as ControlResources['orm'], redis }, logger),
      logger,
      shutdownGraceMs: 1000,
    });
    return {
      ...running,
      async shutdown() {
        try {
          await running.shutdown();
        } finally {
          await redis.quit().catch(() => redis.disconnect());
        }
      },
    };
  } catch (err) {
    redis.disconnect();
    throw err;
  }
}

/** Environment for a simulated host whose agent serves host-<machineId> on `temporalAddress`. */
export function simHostAgentEnv(machineId: string, temporalAddress = testEnv.temporalAddress): Record<string, string> {
  return {
    MACHINE_ID: machineId,
    TEMPORAL_ADDRESS: temporalAddress,
    // No API in these tests: heartbeats fail harmlessly (a closed loopback port).
    API_URL: 'http://127.0.0.1:9',
    AGENT_KEY_ID: `key-${machineId}`,
    AGENT_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'info',
  };
}
