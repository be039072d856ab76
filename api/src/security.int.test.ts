// Security checks across the whole API, complementing auth.int.test.ts and audit.int.test.ts: forged
// tokens, the login limiter's key (username + IP), one audit row per mutating request on every mutating
// route (walked from the app, so a new route must be classified here), secrets never reaching audit_logs,
// and bad input on every mutating JSON route (400/413 with the envelope, nothing written).
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { utils as sshUtils } from 'ssh2';
import { SshKey } from '@remotegpu/core';
import {
  bearer,
  startTestApi,
  strongPassword,
  TEST_ADMIN_PASSWORD,
  TEST_ADMIN_USERNAME,
  type TestApi,
  type TestCustomer,
  type TestMember,
} from '../../tests/support/api-server';
import { uniqueSuffix } from '../../tests/support/env';
import { eventually } from '../../tests/support/eventually';
import { createMachine } from '../../tests/support/lifecycle';
import { mountedRoutes } from './openapi/mounted-routes';

const suffix = uniqueSuffix('sec').toLowerCase();
const taskQueue = `control-${suffix}`;
const machineA = `${suffix}-ma`;
const allocationA = `alloc-${suffix}`;
const operationA = `op-${suffix}`;
const MISSING_ID = 987_654_321;
const MISSING_MACHINE = `${suffix}-missing`;

let api: TestApi;
let adminToken: string;
let tenantA: TestCustomer;
let memberA: TestMember;
let victimMember: TestMember;
let victimKeyId: number;

const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> =>
  api.em().getConnection().execute(query, params);

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decodePart = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;

beforeAll(async () => {
  api = await startTestApi({
    // The rate-limit test tells clients apart by X-Forwarded-For: trust the (loopback) proxy in this file.
    configure: (config) => ({
      ...config,
      trustProxy: true,
      temporal: { ...config.temporal, controlTaskQueue: taskQueue },
    }),
  });
  adminToken = await api.loginAdmin();
  tenantA = await api.createCustomer('seca');
  memberA = await api.createMember(tenantA.ownerToken, 'secm');
  victimMember = await api.createMember(tenantA.ownerToken, 'secv');
  const publicKey = sshUtils.generateKeyPairSync('ed25519', { comment: 'victim@sec' }).public.trim();
  const blob = Buffer.from(publicKey.split(/\s+/)[1], 'base64');
  const em = api.em();
  const key = em.create(SshKey, {
    user: tenantA.ownerId,
    tenant: tenantA.tenantId,
    name: 'victim',
    publicKey,
    fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
    keyType: 'ssh-ed25519',
  });
  await em.flush();
  victimKeyId = key.id;

  await createMachine(api.deps.orm, machineA, '192.0.2.41');
  await sql(`update machines set allocation_status = 'allocating' where id = ?`, [machineA]);
  await sql(
    `insert into allocations (id, tenant_id, machine_id, status, starts_at, expires_at, duration_months, unix_user)
     values (?, ?, ?, 'pending', now(), now() + interval '3 months', 3, ?)`,
    [allocationA, tenantA.tenantId, machineA, `t_${tenantA.companyCode}`.slice(0, 32)],
  );
  await sql(
    `insert into operations (id, kind, machine_id, allocation_id, tenant_id, workflow_id, status)
     values (?, 'allocate', ?, ?, ?, ?, 'running')`,
    [operationA, machineA, allocationA, tenantA.tenantId, `allocate-${allocationA}`],
  );
}, 120_000);

afterAll(async () => {
  if (!api) return;
  const rows = await sql<{ workflow_id: string }>(`select workflow_id from operations where id <> ?`, [operationA]);
  await Promise.allSettled(
    rows.map((r) => api.deps.temporal.workflow.getHandle(r.workflow_id).terminate('security test cleanup')),
  );
  await api.close();
});

describe('forged access tokens', () => {
  const profile = (token: string) => api.request.get('/api/v1/auth/profile').set(bearer(token));

  it('refuses alg:none, a tampered payload and a tampered signature with 401 TOKEN_INVALID', async () => {
    const memberToken = (await api.login(memberA.username, memberA.password)).access_token;
    await profile(memberToken).expect(200);
    const [header, payload, signature] = memberToken.split('.');
    const claims = decodePart(payload);
    expect(claims.role).toBe('customer');

    const forgeries = {
      algNone: `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, role: 'admin' })}.`,
      algNoneKeepingSignature: `${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`,
      escalatedPayload: `${header}.${b64url({ ...claims, role: 'admin', tenant_role: 'owner' })}.${signature}`,
      otherTenantPayload: `${header}.${b64url({ ...claims, tenant_id: Number(claims.tenant_id) + 1 })}.${signature}`,
      tamperedSignature: `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`,
      // HS256 with the right header but signed with an empty secret.
      emptySecret: (() => {
        const unsigned = `${header}.${b64url({ ...claims, role: 'admin' })}`;
        return `${unsigned}.${createHmac('sha256', '').update(unsigned).digest('base64url')}`;
      })(),
    };
    for (const [name, token] of Object.entries(forgeries)) {
      const res = await profile(token);
      expect({ name, status: res.status, code: res.body.code }).toEqual({ name, status: 401, code: 'TOKEN_INVALID' });
      expect(res.body).toEqual({
        code: 'TOKEN_INVALID',
        msg: expect.any(String),
        data: null,
        traceId: expect.any(String),
      });
      // Not usable on an admin route either.
      await api.request.get('/api/v1/admin/customers').set(bearer(token)).expect(401);
    }
    // The genuine token still works.
    await profile(memberToken).expect(200);
  });
});

describe('login rate limit key', () => {
  it('limits username + IP: the same user from another IP and another user from the same IP are unaffected', async () => {
    const login = (username: string, password: string, ip: string) =>
      api.request.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ username, password });
    const ip1 = '198.51.100.7';
    const ip2 = '198.51.100.8';
    for (let i = 0; i < 5; i += 1) {
      await login(memberA.username, 'Wrong-Password-123!', ip1).expect(401);
    }
    const limited = await login(memberA.username, memberA.password, ip1).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', data: expect.anything(), traceId: expect.any(String) });

    // Another user from the limited IP, and the limited user from another IP: both log in.
    await login(tenantA.ownerUsername, tenantA.ownerPassword, ip1).expect(200);
    await login(memberA.username, memberA.password, ip2).expect(200);
    await login(memberA.username, memberA.password, ip1).expect(429);
  });
});

interface MutatingCase {
  /** Who may call it (a token), or null for public/agent routes. */
  token: () => string | null | Promise<string | null>;
  path?: string;
  /** A body the caller may send once (invalid or aimed at a missing object where that avoids side effects). */
  body?: object;
  /** The route reads a JSON body: bad-input cases run against it. */
  json?: {
    valid: () => object | Promise<object>;
    wrongTypes: object;
    /** Omitted when every field is optional. */
    missing?: object;
  };
  /** The exact status of that call when it is a deliberate refusal (bad credentials, no signature). */
  status?: number;
  /** Audit rows written by one call (the agent heartbeat is exempt). */
  auditRows?: 0 | 1;
}

const freshAdmin = () => api.loginAdmin();

function mutatingCases(): Record<string, MutatingCase> {
  const admin = () => adminToken;
  const owner = () => tenantA.ownerToken;
  return {
    'POST /api/v1/agent/heartbeat': { token: () => null, body: { machine_id: machineA }, status: 401, auditRows: 0 },
    'POST /api/v1/auth/login': {
      token: () => null,
      body: { username: TEST_ADMIN_USERNAME, password: 'Not-The-Admin-Password-1!' },
      status: 401,
      json: {
        valid: () => ({ username: TEST_ADMIN_USERNAME, password: TEST_ADMIN_PASSWORD }),
        wrongTypes: { username: 12, password: true },
        missing: { username: TEST_ADMIN_USERNAME },
      },
    },
    'POST /api/v1/auth/refresh': {
      token: () => null,
      body: { refresh_token: 'not-a-refresh-token' },
      status: 401,
      json: {
        valid: async () => ({
          refresh_token: (await api.login(TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD)).refresh_token,
        }),
        wrongTypes: { refresh_token: 42 },
        missing: {},
      },
    },
    'POST /api/v1/auth/logout': {
      token: freshAdmin,
      json: { valid: () => ({}), wrongTypes: { refresh_token: ['x'] } },
    },
    'POST /api/v1/auth/change-password': {
      token: admin,
      body: { old_password: 'Not-The-Admin-Password-1!', new_password: 'Another-Strong-Pass-9!' },
      json: {
        valid: () => ({ old_password: TEST_ADMIN_PASSWORD, new_password: 'Another-Strong-Pass-9!' }),
        wrongTypes: { old_password: 1, new_password: { a: 1 } },
        missing: { old_password: TEST_ADMIN_PASSWORD },
      },
    },
    'POST /api/v1/admin/alerts/{id}/acknowledge': {
      token: admin,
      path: `/api/v1/admin/alerts/${MISSING_ID}/acknowledge`,
    },
    'POST /api/v1/admin/alerts/{id}/resolve': { token: admin, path: `/api/v1/admin/alerts/${MISSING_ID}/resolve` },
    'POST /api/v1/admin/allocations': {
      token: admin,
      body: {},
      json: {
        valid: () => ({ tenant_id: tenantA.tenantId, duration_months: 1, machine_ids: [MISSING_MACHINE] }),
        wrongTypes: { tenant_id: tenantA.tenantId, duration_months: 'one', machine_ids: MISSING_MACHINE },
        missing: { tenant_id: tenantA.tenantId },
      },
    },
    'POST /api/v1/admin/allocations/{id}/extend': {
      token: admin,
      path: `/api/v1/admin/allocations/${allocationA}/extend`,
      body: { months: 'many' },
      json: { valid: () => ({ months: 1 }), wrongTypes: { months: '1' }, missing: {} },
    },
    'POST /api/v1/admin/customers': {
      token: admin,
      body: {},
      json: {
        valid: () => ({
          name: 'Bad Input Co',
          company_code: `${suffix}-bad`.slice(0, 28),
          owner_username: `${suffix}-bad-owner`.slice(0, 60),
          owner_password: strongPassword(),
        }),
        wrongTypes: { name: 1, company_code: ['x'], owner_username: false },
        missing: { name: 'Bad Input Co' },
      },
    },
    'PUT /api/v1/admin/customers/{id}': {
      token: admin,
      path: `/api/v1/admin/customers/${tenantA.tenantId}`,
      body: { name: 42 },
      json: { valid: () => ({ name: 'Renamed' }), wrongTypes: { name: 42, remark: { x: 1 } } },
    },
    'POST /api/v1/admin/customers/{id}/disable': {
      token: admin,
      path: `/api/v1/admin/customers/${MISSING_ID}/disable`,
    },
    'POST /api/v1/admin/customers/{id}/enable': { token: admin, path: `/api/v1/admin/customers/${MISSING_ID}/enable` },
    'POST /api/v1/admin/hosts/{id}/ping': { token: admin, path: `/api/v1/admin/hosts/${MISSING_MACHINE}/ping` },
    'POST /api/v1/admin/machines': {
      token: admin,
      body: {},
      json: {
        valid: () => ({ id: `${suffix}-new`.slice(0, 60), name: 'new', ip: '192.0.2.99' }),
        wrongTypes: { id: 7, name: ['n'], ip: 192 },
        missing: { name: 'new' },
      },
    },
    'DELETE /api/v1/admin/machines/{id}': { token: admin, path: `/api/v1/admin/machines/${MISSING_MACHINE}` },
    'PUT /api/v1/admin/machines/{id}': {
      token: admin,
      path: `/api/v1/admin/machines/${machineA}`,
      body: { ssh_port: 'twenty-two' },
      json: { valid: () => ({ name: 'renamed' }), wrongTypes: { ssh_port: 'twenty-two', tags: 'a' } },
    },
    'POST /api/v1/admin/machines/{id}/agent-credentials': {
      token: admin,
      path: `/api/v1/admin/machines/${MISSING_MACHINE}/agent-credentials`,
    },
    'POST /api/v1/admin/machines/{id}/allocate': {
      token: admin,
      path: `/api/v1/admin/machines/${MISSING_MACHINE}/allocate`,
      body: {},
      json: {
        valid: () => ({ tenant_id: tenantA.tenantId, duration_months: 1 }),
        wrongTypes: { tenant_id: tenantA.tenantId, duration_months: 'one' },
        missing: { tenant_id: tenantA.tenantId },
      },
    },
    'POST /api/v1/admin/machines/{id}/quarantine/release': {
      token: admin,
      path: `/api/v1/admin/machines/${MISSING_MACHINE}/quarantine/release`,
    },
    'POST /api/v1/admin/machines/{id}/quarantine/retry': {
      token: admin,
      path: `/api/v1/admin/machines/${MISSING_MACHINE}/quarantine/retry`,
    },
    'POST /api/v1/admin/machines/{id}/reclaim': {
      token: admin,
      path: `/api/v1/admin/machines/${MISSING_MACHINE}/reclaim`,
      body: { reason: 42 },
      json: { valid: () => ({ reason: 'test' }), wrongTypes: { reason: 42, force: 'yes' }, missing: {} },
    },
    // multipart upload, not JSON
    'POST /api/v1/admin/machines/import': { token: admin },
    'POST /api/v1/admin/operations/{id}/decision': {
      token: admin,
      path: `/api/v1/admin/operations/${operationA}/decision`,
      body: { decision: 'not-a-decision' },
      json: { valid: () => ({ decision: 'retry' }), wrongTypes: { decision: 1 }, missing: {} },
    },
    'POST /api/v1/customer/keys': {
      token: owner,
      body: { public_key: 'not a key' },
      json: {
        valid: () => ({ public_key: sshUtils.generateKeyPairSync('ed25519').public.trim() }),
        wrongTypes: { public_key: 5, name: 1 },
        missing: { name: 'laptop' },
      },
    },
    'DELETE /api/v1/customer/keys/{id}': { token: owner, path: `/api/v1/customer/keys/${victimKeyId}` },
    'POST /api/v1/customer/machines/{id}/ssh-reset': {
      token: owner,
      path: `/api/v1/customer/machines/${machineA}/ssh-reset`,
    },
    'POST /api/v1/customer/members': {
      token: owner,
      body: {},
      json: {
        valid: () => ({ username: `${suffix}-bad-member`.slice(0, 60), password: strongPassword() }),
        wrongTypes: { username: 1, password: 2 },
        missing: { username: `${suffix}-bad-member`.slice(0, 60) },
      },
    },
    'PUT /api/v1/customer/members/{id}': {
      token: owner,
      path: `/api/v1/customer/members/${memberA.id}`,
      body: { display_name: 'Member A' },
      json: { valid: () => ({ display_name: 'M' }), wrongTypes: { display_name: 1, status: 'sleeping' } },
    },
    'DELETE /api/v1/customer/members/{id}': { token: owner, path: `/api/v1/customer/members/${victimMember.id}` },
  };
}

const MUTATING = new Set(['post', 'put', 'patch', 'delete']);
const mutatingRoutes = () =>
  mountedRoutes(api.app)
    .filter((r) => MUTATING.has(r.method))
    .map((r) => `${r.method.toUpperCase()} ${r.path}`);

function send(key: string, path: string, token: string | null, traceId: string, body?: object) {
  const [method] = key.split(' ');
  let req = api.request[method.toLowerCase() as 'post' | 'put' | 'delete'](path).set('X-Trace-Id', traceId);
  if (token) req = req.set(bearer(token));
  return body === undefined ? req : req.send(body);
}

it('classifies every mutating route', () => {
  const cases = mutatingCases();
  const mounted = mutatingRoutes();
  expect(mounted.filter((r) => !(r in cases))).toEqual([]);
  expect(Object.keys(cases).filter((r) => !mounted.includes(r))).toEqual([]);
});

describe('audit', () => {
  it('writes exactly one audit row per call of every mutating route (none for the agent heartbeat)', async () => {
    const cases = mutatingCases();
    const calls: { key: string; traceId: string; expected: number }[] = [];
    for (const key of mutatingRoutes()) {
      const route = cases[key];
      const traceId = `sec-audit-${randomUUID()}`;
      const res = await send(key, route.path ?? key.split(' ')[1], await route.token(), traceId, route.body);
      // The caller is permitted: no 401/403 (except the deliberate bad credentials), no 5xx.
      const permitted = route.status
        ? res.status === route.status
        : ![401, 403].includes(res.status) && res.status < 500;
      expect({ key, permitted }).toEqual({ key, permitted: true });
      expect(res.headers['x-trace-id']).toBe(traceId);
      calls.push({ key, traceId, expected: route.auditRows ?? 1 });
    }
    const counted = async () => {
      const rows = await sql<{ trace_id: string; n: string }>(
        `select trace_id, count(*) as n from audit_logs where trace_id in (?) group by trace_id`,
        [calls.map((c) => c.traceId)],
      );
      const byTrace = new Map(rows.map((r) => [r.trace_id, Number(r.n)]));
      return calls.map((c) => ({ key: c.key, rows: byTrace.get(c.traceId) ?? 0 }));
    };
    const expected = calls.map((c) => ({ key: c.key, rows: c.expected }));
    // Rows are written after the response finishes: wait for them, then make sure no late extra one follows.
    await eventually(async () => expect(await counted()).toEqual(expected));
    expect(await counted()).toEqual(expected);
    expect(await sql(`select 1 from audit_logs where path = '/api/v1/agent/heartbeat'`)).toEqual([]);
    console.log(`audit: ${calls.length} mutating routes called, one row each (heartbeat exempt)`);
  }, 60_000);

  it('never stores a password, token or secret sent in a body', async () => {
    const secrets: string[] = [];
    const remember = (s: string) => {
      secrets.push(s);
      return s;
    };
    const user = await api.createMember(tenantA.ownerToken, 'secs');
    // Login failure and success, refresh, logout with a refresh token, password change.
    await api.request
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: remember('Wrong-Secret-Pw-77!') })
      .expect(401);
    const pair = (
      await api.request
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: remember(user.password) })
        .expect(200)
    ).body.data as { access_token: string; refresh_token: string };
    const refreshed = (
      await api.request
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: remember(pair.refresh_token) })
        .expect(200)
    ).body.data as { access_token: string; refresh_token: string };
    const newPassword = remember(strongPassword());
    await api.request
      .post('/api/v1/auth/change-password')
      .set(bearer(refreshed.access_token))
      .send({ old_password: user.password, new_password: newPassword })
      .expect(200);
    const again = await api.login(user.username, newPassword);
    await api.request
      .post('/api/v1/auth/logout')
      .set(bearer(again.access_token))
      .send({ refresh_token: remember(again.refresh_token) })
      .expect(200);
    // Customer and member creation with initial passwords; a member whose password the policy refuses.
    const code = `${suffix}-sx`.slice(0, 28);
    await api.request
      .post('/api/v1/admin/customers')
      .set(bearer(adminToken))
      .send({
        name: 'Secret Co',
        company_code: code,
        owner_username: `${code}-o`,
        owner_password: remember(strongPassword()),
      })
      .expect(201);
    await api.request
      .post('/api/v1/customer/members')
      .set(bearer(tenantA.ownerToken))
      .send({ username: `${suffix}-sm`.slice(0, 60), password: remember(strongPassword()) })
      .expect(201);
    await api.request
      .post('/api/v1/customer/members')
      .set(bearer(tenantA.ownerToken))
      .send({ username: `${suffix}-weak`.slice(0, 60), password: remember('weakpass-secret') })
      .expect(400);

    await eventually(async () => {
      const rows = await sql(`select 1 from audit_logs where action = 'auth.logout' and username = ?`, [user.username]);
      expect(rows).toHaveLength(1);
    });
    const [{ dump }] = await sql<{ dump: string }>(`select string_agg(a::text, E'\\n') as dump from audit_logs a`);
    expect(dump.length).toBeGreaterThan(0);
    for (const secret of secrets) expect({ secret, found: dump.includes(secret) }).toEqual({ secret, found: false });
  }, 60_000);
});

describe('bad input on every mutating JSON route', () => {
  const tableCounts = async (): Promise<Record<string, number>> => {
    const tables = await sql<{ tablename: string }>(
      `select tablename from pg_tables where schemaname = current_schema() and tablename <> 'audit_logs'
       and tablename not like 'mikro_orm%' order by tablename`,
    );
    const counts: Record<string, number> = {};
    for (const { tablename } of tables) {
      const [{ n }] = await sql<{ n: string }>(`select count(*) as n from "${tablename}"`);
      counts[tablename] = Number(n);
    }
    return counts;
  };

  it('answers 400 with the envelope to wrong types, missing fields and unknown fields, and writes nothing', async () => {
    const cases = mutatingCases();
    const jsonRoutes = mutatingRoutes().filter((key) => cases[key].json);
    const before = await tableCounts();
    const failures: string[] = [];
    let checked = 0;
    for (const key of jsonRoutes) {
      const route = cases[key];
      const json = route.json!;
      const variants: Record<string, object> = {
        wrongTypes: json.wrongTypes,
        unknownField: { ...(await json.valid()), is_admin: true },
        ...(json.missing ? { missing: json.missing } : {}),
        notAnObject: ['not', 'an', 'object'],
      };
      for (const [variant, body] of Object.entries(variants)) {
        const token = await route.token();
        const res = await send(key, route.path ?? key.split(' ')[1], token, `sec-bad-${randomUUID()}`, body);
        checked += 1;
        const envelopeOk =
          res.body?.code === 'VALIDATION_ERROR' &&
          typeof res.body.msg === 'string' &&
          'data' in res.body &&
          typeof res.body.traceId === 'string';
        if (res.status !== 400 || !envelopeOk) {
          failures.push(`${key} ${variant}: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await tableCounts()).toEqual(before);
    // The admin password was not changed by the refused change-password calls.
    await api.login(TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD);
    console.log(`bad input: ${jsonRoutes.length} JSON routes, ${checked} refused requests`);
  }, 60_000);

  it('answers 413 with the envelope to a body over 1 MB on every mutating JSON route, and writes nothing', async () => {
    const cases = mutatingCases();
    const jsonRoutes = mutatingRoutes().filter((key) => cases[key].json || key === 'POST /api/v1/agent/heartbeat');
    const huge = { name: 'x'.repeat(1_100_000) };
    const before = await tableCounts();
    for (const key of jsonRoutes) {
      const route = cases[key];
      const res = await send(
        key,
        route.path ?? key.split(' ')[1],
        await route.token(),
        `sec-big-${randomUUID()}`,
        huge,
      );
      expect({ key, status: res.status }).toEqual({ key, status: 413 });
      expect(res.body).toEqual({
        code: 'PAYLOAD_TOO_LARGE',
        msg: expect.any(String),
        data: null,
        traceId: expect.any(String),
      });
    }
    expect(await tableCounts()).toEqual(before);
  }, 60_000);
});
