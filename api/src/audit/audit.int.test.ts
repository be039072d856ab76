// The audit trail against real PostgreSQL: every mutating request and every login attempt lands in
// audit_logs with its actor, action, resource, status and trace id, secrets redacted; the admin query
// filters and pages it.
import { AuditLog } from '@remotegpu/core';
import {
  bearer,
  startTestApi,
  strongPassword,
  TEST_ADMIN_USERNAME,
  type TestApi,
} from '../../../tests/support/api-server';
import { uniqueSuffix } from '../../../tests/support/env';
import { eventually } from '../../../tests/support/eventually';

let api: TestApi;
let admin: string;
beforeAll(async () => {
  api = await startTestApi();
  admin = await api.loginAdmin();
});
afterAll(() => api?.close());

async function auditRowByTrace(traceId: string) {
  return eventually(async () => {
    const row = await api.em().findOne(AuditLog, { traceId });
    if (!row) throw new Error(`no audit row for trace ${traceId} yet`);
    return row;
  });
}

describe('audit middleware', () => {
  it('records a customer creation with actor, resource, status, trace id and a redacted body', async () => {
    const code = uniqueSuffix('aud').toLowerCase().slice(0, 28);
    const password = strongPassword();
    const traceId = `trace-${code}`;
    const res = await api.request
      .post('/api/v1/admin/customers')
      .set(bearer(admin))
      .set('X-Trace-Id', traceId)
      .send({
        name: 'Audited',
        company_code: code,
        owner_username: `${code}-o`,
        owner_password: password,
      })
      .expect(201);
    const row = await auditRowByTrace(traceId);
    expect(row).toMatchObject({
      username: TEST_ADMIN_USERNAME,
      tenantId: null,
      method: 'POST',
      path: '/api/v1/admin/customers',
      action: 'customer.create',
      resourceType: 'tenant',
      resourceId: String(res.body.data.customer.id),
      statusCode: 201,
      traceId,
    });
    expect(row.userId).toEqual(expect.any(Number));
    expect(row.ip).toMatch(/127\.0\.0\.1/);
    expect(row.body).toEqual({
      name: 'Audited',
      company_code: code,
      owner_username: `${code}-o`,
      owner_password: '[REDACTED]',
    });
    expect(JSON.stringify(row.body)).not.toContain(password);
  });

  it('records login success and failure with the username, never the password', async () => {
    const customer = await api.createCustomer('audlogin');
    const failTrace = `fail-${uniqueSuffix()}`;
    await api.request
      .post('/api/v1/auth/login')
      .set('X-Trace-Id', failTrace)
      .send({ username: customer.ownerUsername, password: 'Wrong-Password-9' })
      .expect(401);
    const failed = await auditRowByTrace(failTrace);
    expect(failed).toMatchObject({
      action: 'auth.login_failed',
      username: customer.ownerUsername,
      userId: null,
      statusCode: 401,
      body: { username: customer.ownerUsername, password: '[REDACTED]' },
    });

    const okTrace = `ok-${uniqueSuffix()}`;
    await api.request
      .post('/api/v1/auth/login')
      .set('X-Trace-Id', okTrace)
      .send({ username: customer.ownerUsername, password: customer.ownerPassword })
      .expect(200);
    const ok = await auditRowByTrace(okTrace);
    expect(ok).toMatchObject({
      action: 'auth.login',
      username: customer.ownerUsername,
      userId: customer.ownerId,
      tenantId: customer.tenantId,
      statusCode: 200,
      body: { username: customer.ownerUsername, password: '[REDACTED]' },
    });
  });

  it('records rejected mutations too, redacts password changes, and skips reads', async () => {
    const customer = await api.createCustomer('audreject');
    const forbiddenTrace = `forbidden-${uniqueSuffix()}`;
    await api.request
      .post('/api/v1/admin/customers')
      .set(bearer(customer.ownerToken))
      .set('X-Trace-Id', forbiddenTrace)
      .send({ name: 'nope' })
      .expect(403);
    expect(await auditRowByTrace(forbiddenTrace)).toMatchObject({
      statusCode: 403,
      userId: customer.ownerId,
      username: customer.ownerUsername,
      tenantId: customer.tenantId,
    });

    const changeTrace = `change-${uniqueSuffix()}`;
    const next = strongPassword();
    await api.request
      .post('/api/v1/auth/change-password')
      .set(bearer(customer.ownerToken))
      .set('X-Trace-Id', changeTrace)
      .send({ old_password: customer.ownerPassword, new_password: next })
      .expect(200);
    expect((await auditRowByTrace(changeTrace)).body).toEqual({
      old_password: '[REDACTED]',
      new_password: '[REDACTED]',
    });

    const readTrace = `read-${uniqueSuffix()}`;
    await api.request
      .get('/api/v1/customer/members')
      .set(bearer(customer.ownerToken))
      .set('X-Trace-Id', readTrace)
      .expect(200);
    // Reads are not audited: wait until a later write is visible, then check the read left nothing.
    const markerTrace = `marker-${uniqueSuffix()}`;
    await api.request
      .post('/api/v1/auth/logout')
      .set(bearer(customer.ownerToken))
      .set('X-Trace-Id', markerTrace)
      .send({})
      .expect(200);
    expect(await auditRowByTrace(markerTrace)).toMatchObject({ action: 'auth.logout' });
    expect(await api.em().count(AuditLog, { traceId: readTrace })).toBe(0);
  });
});

describe('GET /api/v1/admin/audit/logs', () => {
  it('filters by action, resource type, username and time window, with paging', async () => {
    const customer = await api.createCustomer('audquery');
    const from = new Date(Date.now() - 1000).toISOString();
    const traces: string[] = [];
    for (let i = 0; i < 3; i++) {
      const traceId = `q-${i}-${uniqueSuffix()}`;
      traces.push(traceId);
      await api.request
        .post('/api/v1/customer/members')
        .set(bearer(customer.ownerToken))
        .set('X-Trace-Id', traceId)
        .send({ username: uniqueSuffix(`audm${i}`), password: strongPassword() })
        .expect(201);
    }
    await Promise.all(traces.map(auditRowByTrace));

    const query = (q: Record<string, string | number>) =>
      api.request.get('/api/v1/admin/audit/logs').query(q).set(bearer(admin)).expect(200);

    const byUser = await query({ username: customer.ownerUsername, action: 'member.create' });
    expect(byUser.body.data.total).toBe(3);
    expect(byUser.body.data.list.map((r: { trace_id: string }) => r.trace_id)).toEqual([...traces].reverse());
    expect(byUser.body.data.list[0]).toMatchObject({
      action: 'member.create',
      resource_type: 'user',
      status_code: 201,
      tenant_id: customer.tenantId,
      body: { password: '[REDACTED]' },
    });

    const paged = await query({ username: customer.ownerUsername, action: 'member.create', page: 2, page_size: 2 });
    expect(paged.body.data).toMatchObject({ total: 3, page: 2, page_size: 2 });
    expect(paged.body.data.list).toHaveLength(1);

    const byType = await query({ resource_type: 'user', username: customer.ownerUsername, from });
    expect(byType.body.data.list.every((r: { resource_type: string }) => r.resource_type === 'user')).toBe(true);
    expect(byType.body.data.total).toBeGreaterThanOrEqual(3);

    const future = await query({
      username: customer.ownerUsername,
      from: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.body.data.total).toBe(0);
    const past = await query({ username: customer.ownerUsername, to: from });
    expect(past.body.data.list.every((r: { action: string }) => r.action !== 'member.create')).toBe(true);

    const bad = await api.request
      .get('/api/v1/admin/audit/logs')
      .query({ from: 'yesterday-ish' })
      .set(bearer(admin))
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_ERROR');
    await api.request.get('/api/v1/admin/audit/logs').set(bearer(customer.ownerToken)).expect(403);
  });
});
