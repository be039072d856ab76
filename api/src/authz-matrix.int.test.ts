// The authorization matrix: every route mounted on the app (read by the route walker, so a new route
// without an entry here fails the test) against five callers — anonymous, platform admin, owner and member
// of tenant A, owner of tenant B. Permitted callers must get past the auth layer (anything but 401/403; the
// bodies are deliberately invalid or harmless so nothing starts); refused callers get exactly 401/403, and
// tenant B's owner gets 404 — never 403 — for tenant A's keys, members, machines and operations.
import { createHash } from 'node:crypto';
import { utils as sshUtils } from 'ssh2';
import { SshKey } from '@remotegpu/core';
import { bearer, startTestApi, type TestApi, type TestCustomer, type TestMember } from '../../tests/support/api-server';
import { uniqueSuffix } from '../../tests/support/env';
import { createMachine } from '../../tests/support/lifecycle';
import { mountedRoutes } from './openapi/mounted-routes';

type CallerName = 'anonymous' | 'admin' | 'ownerA' | 'memberA' | 'ownerB';
const CALLERS: CallerName[] = ['anonymous', 'admin', 'memberA', 'ownerB', 'ownerA'];

/** 'pass' = got past authentication and authorization (any status but 401/403, and no 500). */
type Expected = 'pass' | 401 | 403 | 404;

type Access =
  | 'public' // no token needed
  | 'agent' // HMAC-signed agent traffic: a bearer token is no signature
  | 'signed-in' // any authenticated user
  | 'admin'
  | 'customer' // owner and members of a tenant
  | 'owner'; // tenant owner only

interface RouteCase {
  access: Access;
  /** Concrete path (ids of real objects) when the route has parameters. */
  path?: string;
  body?: object;
  /** Addressed at an object of tenant A: tenant B's owner gets 404. */
  tenantAObject?: boolean;
  /** Per-caller exceptions to the access rule, with the reason in a comment. */
  override?: Partial<Record<CallerName, Expected>>;
  /** The request consumes the caller's session (logout): use a fresh token. */
  freshToken?: boolean;
}

const suffix = uniqueSuffix('authz').toLowerCase();
const taskQueue = `control-${suffix}`;
const machineA = `${suffix}-ma`;
const allocationA = `alloc-${suffix}`;
const operationA = `op-${suffix}`;
const MISSING_ID = 987_654_321;
const MISSING_MACHINE = `${suffix}-missing`;

let api: TestApi;
let adminToken: string;
let tenantA: TestCustomer;
let tenantB: TestCustomer;
let memberA: TestMember;
let victimMember: TestMember;
let ownerKeyId: number;
let victimKeyId: number;

function sshKeyRow(label: string) {
  const publicKey = sshUtils.generateKeyPairSync('ed25519', { comment: `${label}@authz` }).public.trim();
  const blob = Buffer.from(publicKey.split(/\s+/)[1], 'base64');
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  return { name: label, publicKey, fingerprint, keyType: 'ssh-ed25519' };
}

async function insertKey(userId: number, tenantId: number, label: string): Promise<number> {
  const em = api.em();
  const key = em.create(SshKey, { ...sshKeyRow(label), user: userId, tenant: tenantId });
  await em.flush();
  return key.id;
}

function routeCases(): Record<string, RouteCase> {
  const tenantMachine = `/api/v1/customer/machines/${machineA}`;
  return {
    // ---- public and operational
    'GET /healthz': { access: 'public' },
    'GET /readyz': { access: 'public' },
    'GET /metrics': { access: 'public' },
    'GET /api/v1/openapi.json': { access: 'public' },
    'POST /api/v1/auth/login': { access: 'public', body: {} },
    'POST /api/v1/auth/refresh': { access: 'public', body: {} },
    'POST /api/v1/agent/heartbeat': {
      access: 'agent',
      body: { machine_id: machineA },
    },
    // ---- any signed-in user
    'GET /api/v1/auth/profile': { access: 'signed-in' },
    'POST /api/v1/auth/change-password': { access: 'signed-in', body: {} },
    'POST /api/v1/auth/logout': { access: 'signed-in', freshToken: true },
    'GET /api/v1/operations/{id}': {
      access: 'signed-in',
      path: `/api/v1/operations/${operationA}`,
      tenantAObject: true,
    },
    // ---- platform admin (mutations aimed at missing objects or with invalid bodies: no side effects)
    'GET /api/v1/admin/alerts': { access: 'admin' },
    'POST /api/v1/admin/alerts/{id}/acknowledge': {
      access: 'admin',
      path: `/api/v1/admin/alerts/${MISSING_ID}/acknowledge`,
    },
    'POST /api/v1/admin/alerts/{id}/resolve': { access: 'admin', path: `/api/v1/admin/alerts/${MISSING_ID}/resolve` },
    'GET /api/v1/admin/allocations': { access: 'admin' },
    'POST /api/v1/admin/allocations': { access: 'admin', body: {} },
    'GET /api/v1/admin/allocations/{id}': { access: 'admin', path: `/api/v1/admin/allocations/${allocationA}` },
    'POST /api/v1/admin/allocations/{id}/extend': {
      access: 'admin',
      path: `/api/v1/admin/allocations/${allocationA}/extend`,
      body: { months: 'many' },
    },
    'GET /api/v1/admin/allocations/recent': { access: 'admin' },
    'GET /api/v1/admin/audit/logs': { access: 'admin' },
    'GET /api/v1/admin/customers': { access: 'admin' },
    'POST /api/v1/admin/customers': { access: 'admin', body: {} },
    'GET /api/v1/admin/customers/{id}': { access: 'admin', path: `/api/v1/admin/customers/${tenantA.tenantId}` },
    'PUT /api/v1/admin/customers/{id}': {
      access: 'admin',
      path: `/api/v1/admin/customers/${tenantA.tenantId}`,
      body: { name: 42 },
    },
    'POST /api/v1/admin/customers/{id}/disable': {
      access: 'admin',
      path: `/api/v1/admin/customers/${MISSING_ID}/disable`,
    },
    'POST /api/v1/admin/customers/{id}/enable': {
      access: 'admin',
      path: `/api/v1/admin/customers/${MISSING_ID}/enable`,
    },
    'GET /api/v1/admin/dashboard/gpu-trend': { access: 'admin' },
    'GET /api/v1/admin/dashboard/stats': { access: 'admin' },
    'POST /api/v1/admin/hosts/{id}/ping': { access: 'admin', path: `/api/v1/admin/hosts/${MISSING_MACHINE}/ping` },
    'GET /api/v1/admin/machines': { access: 'admin' },
    'POST /api/v1/admin/machines': { access: 'admin', body: {} },
    'DELETE /api/v1/admin/machines/{id}': { access: 'admin', path: `/api/v1/admin/machines/${MISSING_MACHINE}` },
    'GET /api/v1/admin/machines/{id}': { access: 'admin', path: `/api/v1/admin/machines/${machineA}` },
    'PUT /api/v1/admin/machines/{id}': {
      access: 'admin',
      path: `/api/v1/admin/machines/${machineA}`,
      body: { ssh_port: 'twenty-two' },
    },
    'POST /api/v1/admin/machines/{id}/agent-credentials': {
      access: 'admin',
      path: `/api/v1/admin/machines/${MISSING_MACHINE}/agent-credentials`,
    },
    'POST /api/v1/admin/machines/{id}/allocate': {
      access: 'admin',
      path: `/api/v1/admin/machines/${machineA}/allocate`,
      body: {},
    },
    'GET /api/v1/admin/machines/{id}/operations': {
      access: 'admin',
      path: `/api/v1/admin/machines/${machineA}/operations`,
    },
    'POST /api/v1/admin/machines/{id}/quarantine/release': {
      access: 'admin',
      path: `/api/v1/admin/machines/${MISSING_MACHINE}/quarantine/release`,
    },
    'POST /api/v1/admin/machines/{id}/quarantine/retry': {
      access: 'admin',
      path: `/api/v1/admin/machines/${MISSING_MACHINE}/quarantine/retry`,
    },
    'POST /api/v1/admin/machines/{id}/reclaim': {
      access: 'admin',
      path: `/api/v1/admin/machines/${machineA}/reclaim`,
      body: { reason: 42 },
    },
    'POST /api/v1/admin/machines/import': { access: 'admin' },
    'GET /api/v1/admin/monitoring/realtime': { access: 'admin' },
    'GET /api/v1/admin/operations': { access: 'admin' },
    'GET /api/v1/admin/operations/{id}': { access: 'admin', path: `/api/v1/admin/operations/${operationA}` },
    'POST /api/v1/admin/operations/{id}/decision': {
      access: 'admin',
      path: `/api/v1/admin/operations/${operationA}/decision`,
      body: { decision: 'not-a-decision' },
    },
    // ---- customers of a tenant
    'GET /api/v1/customer/keys': { access: 'customer' },
    'POST /api/v1/customer/keys': { access: 'customer', body: { public_key: 'not a key' } },
    'DELETE /api/v1/customer/keys/{id}': {
      access: 'customer',
      path: `/api/v1/customer/keys/${victimKeyId}`,
      tenantAObject: true,
      // A member manages only its own keys; the owner's key is invisible to it (404, no leak).
      override: { memberA: 404 },
    },
    'GET /api/v1/customer/machines': { access: 'customer' },
    'GET /api/v1/customer/machines/{id}': { access: 'customer', path: tenantMachine, tenantAObject: true },
    'GET /api/v1/customer/machines/{id}/connection': {
      access: 'customer',
      path: `${tenantMachine}/connection`,
      tenantAObject: true,
    },
    'GET /api/v1/customer/machines/{id}/metrics': {
      access: 'customer',
      path: `${tenantMachine}/metrics`,
      tenantAObject: true,
    },
    // The allocation is pending: the owner gets 409 and no workflow starts.
    'POST /api/v1/customer/machines/{id}/ssh-reset': {
      access: 'owner',
      path: `${tenantMachine}/ssh-reset`,
      tenantAObject: true,
    },
    'GET /api/v1/customer/members': { access: 'customer' },
    'POST /api/v1/customer/members': { access: 'owner', body: {} },
    'PUT /api/v1/customer/members/{id}': {
      access: 'owner',
      path: `/api/v1/customer/members/${memberA.id}`,
      body: { display_name: 'Member A' },
      tenantAObject: true,
    },
    // ownerA goes last among the callers: the victim member is really deleted.
    'DELETE /api/v1/customer/members/{id}': {
      access: 'owner',
      path: `/api/v1/customer/members/${victimMember.id}`,
      tenantAObject: true,
    },
  };
}

function expectedFor(route: RouteCase, caller: CallerName): Expected {
  const override = route.override?.[caller];
  if (override !== undefined) return override;
  if (route.access === 'public') return 'pass';
  if (route.access === 'agent') return 401;
  if (caller === 'anonymous') return 401;
  if (route.access === 'signed-in') return caller === 'ownerB' && route.tenantAObject ? 404 : 'pass';
  if (route.access === 'admin') return caller === 'admin' ? 'pass' : 403;
  if (caller === 'admin') return 403;
  if (caller === 'ownerB' && route.tenantAObject) return 404;
  if (route.access === 'owner' && caller === 'memberA') return 403;
  return 'pass';
}

async function tokenOf(caller: CallerName, fresh: boolean): Promise<string | null> {
  switch (caller) {
    case 'anonymous':
      return null;
    case 'admin':
      return fresh ? api.loginAdmin() : adminToken;
    case 'ownerA':
      return fresh ? (await api.login(tenantA.ownerUsername, tenantA.ownerPassword)).access_token : tenantA.ownerToken;
    case 'ownerB':
      return fresh ? (await api.login(tenantB.ownerUsername, tenantB.ownerPassword)).access_token : tenantB.ownerToken;
    case 'memberA':
      return fresh ? (await api.login(memberA.username, memberA.password)).access_token : memberA.token;
  }
}

beforeAll(async () => {
  api = await startTestApi({
    configure: (config) => ({ ...config, temporal: { ...config.temporal, controlTaskQueue: taskQueue } }),
  });
  adminToken = await api.loginAdmin();
  tenantA = await api.createCustomer('aza');
  tenantB = await api.createCustomer('azb');
  memberA = await api.createMember(tenantA.ownerToken, 'azm');
  victimMember = await api.createMember(tenantA.ownerToken, 'azv');
  ownerKeyId = await insertKey(tenantA.ownerId, tenantA.tenantId, 'owner-laptop');
  victimKeyId = await insertKey(tenantA.ownerId, tenantA.tenantId, 'owner-old-laptop');

  // Tenant A holds machine A (a pending allocation, written directly: no workflow runs) and one operation.
  await createMachine(api.deps.orm, machineA, '192.0.2.40');
  const sql = (query: string, params: unknown[]) => api.em().getConnection().execute(query, params);
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
  // Key deletions by the owner start a key sync on this file's own task queue (no worker): end them.
  const rows: { workflow_id: string }[] = api
    ? await api.em().getConnection().execute(`select workflow_id from operations where id <> ?`, [operationA])
    : [];
  await Promise.allSettled(
    rows.map((r) => api.deps.temporal.workflow.getHandle(r.workflow_id).terminate('authz-matrix cleanup')),
  );
  await api?.close();
});

it('has an expectation for every mounted route, and checks each against the five callers', async () => {
  const cases = routeCases();
  const mounted = mountedRoutes(api.app).map((r) => `${r.method.toUpperCase()} ${r.path}`);
  // A route without an entry fails here: decide who may call it before it ships.
  expect(mounted.filter((r) => !(r in cases))).toEqual([]);
  // And an entry whose route is gone is stale.
  expect(Object.keys(cases).filter((r) => !mounted.includes(r))).toEqual([]);

  const mismatches: string[] = [];
  let checked = 0;
  for (const key of mounted) {
    const route = cases[key];
    const [method, pattern] = key.split(' ');
    const path = route.path ?? pattern;
    expect(path).not.toMatch(/[{}]/);
    for (const caller of CALLERS) {
      const expected = expectedFor(route, caller);
      const token = await tokenOf(caller, route.freshToken === true);
      let req = api.request[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path);
      if (token) req = req.set(bearer(token));
      const res = route.body === undefined ? await req : await req.send(route.body);
      checked += 1;
      const ok =
        // 503 = a dependency is down (readyz); 500 would be a bug behind the guard.
        expected === 'pass' ? ![401, 403, 500].includes(res.status) : res.status === expected;
      // Refusals carry the error envelope.
      const envelopeOk = expected === 'pass' || (typeof res.body?.code === 'string' && 'traceId' in res.body);
      if (!ok || !envelopeOk) {
        mismatches.push(`${key} as ${caller}: expected ${expected}, got ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
  }
  console.log(`authorization matrix: ${mounted.length} routes × ${CALLERS.length} callers = ${checked} checks`);
  expect(mismatches).toEqual([]);
  expect(checked).toBe(mounted.length * CALLERS.length);

  // The refused cross-tenant calls changed nothing; the owner's own calls did what they should.
  const em = api.em();
  expect(await em.count(SshKey, { id: ownerKeyId })).toBe(1);
  expect(await em.count(SshKey, { id: victimKeyId })).toBe(0);
  const members = await api.request.get('/api/v1/customer/members').set(bearer(tenantA.ownerToken)).expect(200);
  const listed = JSON.stringify(members.body.data);
  expect(listed).toContain(memberA.username);
  expect(listed).not.toContain(victimMember.username);
}, 120_000);
