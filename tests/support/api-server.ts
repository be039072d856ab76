// The API in-process against the REAL services, isolated per test file: a scratch PostgreSQL
// database (created by the `postgres` superuser, migrated with @remotegpu/migrations, seeded), its
// own Redis/Temporal/S3 clients, createApp(deps) and a supertest agent. Reuse it in any API test:
//
//   const api = await startTestApi();
//   const admin = await api.loginAdmin();
//   await api.request.get('/api/v1/admin/customers').set(bearer(admin)).expect(200);
//   afterAll(() => api.close());
import http from 'node:http';
import type { Express } from 'express';
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { Client as S3Client } from 'minio';
import { pino } from 'pino';
import supertest from 'supertest';
import { createOrmConfig, User } from '@remotegpu/core';
import { createApp } from '../../api/src/app';
import { loadConfig, type ApiConfig } from '../../api/src/config';
import type { AppDeps } from '../../api/src/deps';
import { seed } from '../../migrations/src';
import { createTestDatabase } from './scratch-database';
import { testEnv, uniqueSuffix } from './env';

export const TEST_ADMIN_USERNAME = 'admin';
export const TEST_ADMIN_PASSWORD = 'Admin-Test-Pass-2026!';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  must_change_password: boolean;
}

export interface TestCustomer {
  tenantId: number;
  companyCode: string;
  ownerId: number;
  ownerUsername: string;
  ownerPassword: string;
  /** Access token of the owner, after the forced first password change. */
  ownerToken: string;
}

export interface TestMember {
  id: number;
  username: string;
  password: string;
  token: string;
}

export interface StartTestApiOptions {
  /** Change the configuration the app is built with (e.g. a closed Redis port, a ping timeout, a task queue). */
  configure?: (config: ApiConfig) => ApiConfig;
  /** Seed the demo data (admin, tenant acme, demo machines). Default true. */
  seed?: boolean;
}

export interface TestApi {
  app: Express;
  request: ReturnType<typeof supertest>;
  deps: AppDeps;
  config: ApiConfig;
  databaseName: string;
  databaseUrl: string;
  /** A fresh EntityManager on the scratch database. */
  em(): EntityManager;
  login(username: string, password: string): Promise<TokenPair>;
  /** Access token of the seeded platform admin (its forced password change is cleared by the harness). */
  loginAdmin(): Promise<string>;
  /** Creates a tenant + owner through the API and completes the owner's forced password change. */
  createCustomer(prefix?: string): Promise<TestCustomer>;
  /** Adds a member to the owner's tenant through the API and completes its forced password change. */
  createMember(ownerToken: string, prefix?: string): Promise<TestMember>;
  close(): Promise<void>;
}

export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

/** A password that passes the policy, different on every call. */
export function strongPassword(): string {
  return `Pw-${Math.random().toString(36).slice(2, 8)}-Zx9!${Date.now() % 1000}`;
}

export async function startTestApi(options: StartTestApiOptions = {}): Promise<TestApi> {
  const db = await createTestDatabase('api');
  const base = loadConfig({ ...testEnv.processEnv(), DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
  const config = options.configure ? options.configure(base) : base;

  const orm = await MikroORM.init(createOrmConfig({ clientUrl: config.databaseUrl, pool: { min: 0, max: 5 } }));
  // Every scratch database numbers its users and tenants from 1, but Redis is shared by all test files
  // (refresh-token families, idempotency keys are keyed by user id): start each file at a random offset.
  for (const table of ['users', 'tenants']) {
    const start = 1_000_000 + Math.floor(Math.random() * 1e9);
    await orm.em.getConnection().execute(`select setval(pg_get_serial_sequence('${table}', 'id'), ${start})`);
  }
  if (options.seed !== false) {
    await seed(orm.em.fork(), { adminPassword: TEST_ADMIN_PASSWORD });
    await orm.em.fork().nativeUpdate(User, { username: TEST_ADMIN_USERNAME }, { mustChangePassword: false });
  }
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000, disconnectTimeout: 200 });
  redis.on('error', () => {}); // reported by /readyz; a test may point at a closed port on purpose
  const connection = await Connection.connect({ address: config.temporal.address });
  const temporal = new TemporalClient({ connection, namespace: config.temporal.namespace });
  const s3Agent = new http.Agent({ keepAlive: true });
  const s3 = new S3Client({
    endPoint: config.s3.endPoint,
    port: config.s3.port,
    useSSL: config.s3.useSSL,
    accessKey: config.s3.accessKey,
    secretKey: config.s3.secretKey,
    region: config.s3.region,
    // Our own agent, destroyed on close: keep-alive sockets would hold the test process open.
    transportAgent: s3Agent,
  });
  const deps: AppDeps = { config, orm, redis, temporal, s3, logger };
  const app = createApp(deps);
  const request = supertest(app);

  const login = async (username: string, password: string): Promise<TokenPair> => {
    const res = await request.post('/api/v1/auth/login').send({ username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as TokenPair;
  };

  /** Logs in, and when a password change is forced, changes it and logs in again. */
  const loginChangingPassword = async (
    username: string,
    password: string,
  ): Promise<{ token: string; password: string }> => {
    const first = await login(username, password);
    if (!first.must_change_password) return { token: first.access_token, password };
    const next = strongPassword();
    const res = await request
      .post('/api/v1/auth/change-password')
      .set(bearer(first.access_token))
      .send({ old_password: password, new_password: next });
    if (res.status !== 200)
      throw new Error(`change-password ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { token: (await login(username, next)).access_token, password: next };
  };

  const api: TestApi = {
    app,
    request,
    deps,
    config,
    databaseName: db.name,
    databaseUrl: db.url,
    em: () => orm.em.fork(),
    login,
    loginAdmin: async () => (await login(TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD)).access_token,
    async createCustomer(prefix = 'co') {
      const suffix = uniqueSuffix(prefix)
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-')
        .slice(0, 28);
      const ownerPassword = strongPassword();
      const admin = await api.loginAdmin();
      const res = await request
        .post('/api/v1/admin/customers')
        .set(bearer(admin))
        .send({
          name: `Customer ${suffix}`,
          company_code: suffix,
          owner_username: `${suffix}-owner`,
          owner_password: ownerPassword,
        });
      if (res.status !== 201) throw new Error(`create customer failed: ${res.status} ${JSON.stringify(res.body)}`);
      const customer = res.body.data.customer as {
        id: number;
        company_code: string;
        owner: { id: number; username: string };
      };
      const owner = await loginChangingPassword(customer.owner.username, ownerPassword);
      return {
        tenantId: customer.id,
        companyCode: customer.company_code,
        ownerId: customer.owner.id,
        ownerUsername: customer.owner.username,
        ownerPassword: owner.password,
        ownerToken: owner.token,
      };
    },
    async createMember(ownerToken, prefix = 'member') {
      const username = uniqueSuffix(prefix)
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '-');
      const password = strongPassword();
      const res = await request.post('/api/v1/customer/members').set(bearer(ownerToken)).send({ username, password });
      if (res.status !== 201) throw new Error(`create member failed: ${res.status} ${JSON.stringify(res.body)}`);
      const member = await loginChangingPassword(username, password);
      return { id: res.body.data.id as number, username, password: member.password, token: member.token };
    },
    async close() {
      // Modules with background timers (fleet snapshots, metric writers) expose close().
      const services = app.locals.services as unknown as Record<string, { close?: () => Promise<void> } | undefined>;
      await Promise.allSettled(Object.values(services).map((s) => s?.close?.()));
      await Promise.allSettled([orm.close(true), connection.close()]);
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
      s3Agent.destroy();
      await db.drop();
    },
  };
  return api;
}
