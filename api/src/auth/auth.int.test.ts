// Issue #3 authentication against real PostgreSQL + Redis: login, refresh rotation with reuse
// detection, logout blacklist, login rate limit, password policy and the forced first password change.
import jwt from 'jsonwebtoken';
import {
  bearer,
  startTestApi,
  strongPassword,
  TEST_ADMIN_PASSWORD,
  TEST_ADMIN_USERNAME,
  type TestApi,
} from '../../../tests/support/api-server';
import { JWT_AUDIENCE, JWT_ISSUER } from './token-service';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const BAD_CREDENTIALS = { code: 'INVALID_CREDENTIALS', msg: 'invalid username or password' };

function login(username: string, password: string) {
  return api.request.post('/api/v1/auth/login').send({ username, password });
}

describe('login', () => {
  it('returns a token pair and a profile with permissions for the admin', async () => {
    const res = await login(TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD).expect(200);
    expect(res.body).toMatchObject({ code: 0, msg: 'ok' });
    expect(res.body.data).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      must_change_password: false,
    });
    const claims = jwt.verify(res.body.data.access_token, api.config.auth.jwtSecret) as Record<string, unknown>;
    expect(claims).toMatchObject({
      sub: expect.any(String),
      role: 'admin',
      tenant_id: null,
      company_code: null,
      tenant_role: null,
    });
    expect(claims.jti).toEqual(expect.any(String));
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);

    const profile = await api.request.get('/api/v1/auth/profile').set(bearer(res.body.data.access_token)).expect(200);
    expect(profile.body.data).toMatchObject({
      username: TEST_ADMIN_USERNAME,
      role: 'admin',
      tenant_id: 0,
      company_code: null,
      tenant_role: null,
      must_change_password: false,
    });
    expect(profile.body.data.permissions).toEqual(
      expect.arrayContaining(['machine:read', 'machine:write', 'user:manage']),
    );
  });

  it('puts tenant claims in a customer token and profile', async () => {
    const customer = await api.createCustomer('claims');
    const claims = jwt.decode(customer.ownerToken) as Record<string, unknown>;
    expect(claims).toMatchObject({
      role: 'customer',
      tenant_id: customer.tenantId,
      company_code: customer.companyCode,
      tenant_role: 'owner',
    });
    const profile = await api.request.get('/api/v1/auth/profile').set(bearer(customer.ownerToken)).expect(200);
    expect(profile.body.data).toMatchObject({
      id: customer.ownerId,
      role: 'customer',
      tenant_id: customer.tenantId,
      company_code: customer.companyCode,
      tenant_role: 'owner',
      must_change_password: false,
    });
    expect(profile.body.data.permissions).toContain('member:manage');
  });

  it('refuses a wrong password and an unknown user with the same answer', async () => {
    const wrong = await login(TEST_ADMIN_USERNAME, 'Wrong-Password-1').expect(401);
    expect(wrong.body).toMatchObject(BAD_CREDENTIALS);
    const unknown = await login('nobody-here', 'Wrong-Password-1').expect(401);
    expect(unknown.body).toMatchObject(BAD_CREDENTIALS);
  });

  it('refuses a disabled user, and its existing token stops working', async () => {
    const customer = await api.createCustomer('disabled-user');
    const member = await api.createMember(customer.ownerToken);
    await api.request
      .put(`/api/v1/customer/members/${member.id}`)
      .set(bearer(customer.ownerToken))
      .send({ status: 'disabled' })
      .expect(200);
    const res = await login(member.username, member.password).expect(401);
    expect(res.body).toMatchObject(BAD_CREDENTIALS);
    await api.request.get('/api/v1/customer/members').set(bearer(member.token)).expect(401);
  });

  it('refuses users of a disabled tenant until it is enabled again', async () => {
    const customer = await api.createCustomer('disabled-tenant');
    const admin = await api.loginAdmin();
    await api.request.post(`/api/v1/admin/customers/${customer.tenantId}/disable`).set(bearer(admin)).expect(200);
    expect((await login(customer.ownerUsername, customer.ownerPassword).expect(401)).body).toMatchObject(
      BAD_CREDENTIALS,
    );
    await api.request.get('/api/v1/auth/profile').set(bearer(customer.ownerToken)).expect(401);
    await api.request.post(`/api/v1/admin/customers/${customer.tenantId}/enable`).set(bearer(admin)).expect(200);
    await login(customer.ownerUsername, customer.ownerPassword).expect(200);
  });

  it('answers TOKEN_EXPIRED for an expired access token', async () => {
    const past = Math.floor(Date.now() / 1000) - 10;
    const token = jwt.sign(
      { sub: '1', role: 'admin', fid: 'x', jti: 'expired-jti', iat: past - 60, exp: past },
      api.config.auth.jwtSecret,
      { algorithm: 'HS256', issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
    );
    const res = await api.request.get('/api/v1/auth/profile').set(bearer(token)).expect(401);
    expect(res.body.code).toBe('TOKEN_EXPIRED');
  });

  it('rejects a token signed with another secret', async () => {
    const token = jwt.sign(
      { sub: '1', role: 'admin', fid: 'x', jti: 'forged' },
      'another-secret-of-at-least-32-chars!!',
      {
        algorithm: 'HS256',
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        expiresIn: 600,
      },
    );
    expect((await api.request.get('/api/v1/auth/profile').set(bearer(token)).expect(401)).body.code).toBe(
      'TOKEN_INVALID',
    );
  });
});

describe('refresh', () => {
  it('rotates the refresh token; reusing a rotated one revokes the whole family', async () => {
    const first = (await login(TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD).expect(200)).body.data;
    const second = (
      await api.request.post('/api/v1/auth/refresh').send({ refresh_token: first.refresh_token }).expect(200)
    ).body.data;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.expires_in).toBe(3600);
    await api.request.get('/api/v1/auth/profile').set(bearer(second.access_token)).expect(200);

    const third = (
      await api.request.post('/api/v1/auth/refresh').send({ refresh_token: second.refresh_token }).expect(200)
    ).body.data;

    // The first token was already rotated: presenting it again is a theft signal.
    const reuse = await api.request
      .post('/api/v1/auth/refresh')
      .send({ refresh_token: first.refresh_token })
      .expect(401);
    expect(reuse.body.code).toBe('TOKEN_INVALID');
    // The whole family is gone: the newest refresh token and the family's access tokens too.
    await api.request.post('/api/v1/auth/refresh').send({ refresh_token: third.refresh_token }).expect(401);
    await api.request.get('/api/v1/auth/profile').set(bearer(third.access_token)).expect(401);
  });

  it('does not touch other sessions of the same user', async () => {
    const a = (await login(TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD).expect(200)).body.data;
    const b = (await login(TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD).expect(200)).body.data;
    await api.request.post('/api/v1/auth/refresh').send({ refresh_token: a.refresh_token }).expect(200);
    await api.request.post('/api/v1/auth/refresh').send({ refresh_token: a.refresh_token }).expect(401);
    await api.request.post('/api/v1/auth/refresh').send({ refresh_token: b.refresh_token }).expect(200);
  });

  it('refuses unknown refresh tokens', async () => {
    const res = await api.request.post('/api/v1/auth/refresh').send({ refresh_token: 'made-up' }).expect(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });
});

describe('logout', () => {
  it('blacklists the access token until it expires and revokes the refresh family', async () => {
    const pair = (await login(TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD).expect(200)).body.data;
    await api.request.get('/api/v1/auth/profile').set(bearer(pair.access_token)).expect(200);
    await api.request.post('/api/v1/auth/logout').set(bearer(pair.access_token)).send({}).expect(200);

    const after = await api.request.get('/api/v1/auth/profile').set(bearer(pair.access_token)).expect(401);
    expect(after.body.code).toBe('TOKEN_INVALID');
    await api.request.post('/api/v1/auth/refresh').send({ refresh_token: pair.refresh_token }).expect(401);

    const { jti, exp } = jwt.decode(pair.access_token) as { jti: string; exp: number };
    const ttl = await api.deps.redis.ttl(`rg:auth:blacklist:${jti}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(exp - Math.floor(Date.now() / 1000) + 1);
  });
});

describe('login rate limit', () => {
  it('answers 429 with Retry-After after 5 failures in a minute, even for the right password', async () => {
    const customer = await api.createCustomer('ratelimit');
    for (let i = 0; i < 5; i++) {
      expect((await login(customer.ownerUsername, `Wrong-Pass-${i}x`)).status).toBe(401);
    }
    const limited = await login(customer.ownerUsername, customer.ownerPassword).expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another username from the same IP is not affected.
    await login(TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD).expect(200);
  });

  it('resets the failure count on a successful login', async () => {
    const customer = await api.createCustomer('ratereset');
    for (let i = 0; i < 4; i++) await login(customer.ownerUsername, `Wrong-Pass-${i}x`).expect(401);
    await login(customer.ownerUsername, customer.ownerPassword).expect(200);
    for (let i = 0; i < 5; i++) await login(customer.ownerUsername, `Wrong-Pass-${i}y`).expect(401);
    await login(customer.ownerUsername, customer.ownerPassword).expect(429);
  });
});

describe('password change', () => {
  it('forces a first password change: 403 elsewhere, then the new password works', async () => {
    const admin = await api.loginAdmin();
    const initial = strongPassword();
    const created = await api.request
      .post('/api/v1/admin/customers')
      .set(bearer(admin))
      .send({
        name: 'First Login Co',
        company_code: `first-${Date.now().toString(36)}`,
        owner_username: `first-${Date.now().toString(36)}`,
        owner_password: initial,
      })
      .expect(201);
    const username = created.body.data.customer.owner.username as string;

    const first = (await login(username, initial).expect(200)).body.data;
    expect(first.must_change_password).toBe(true);
    const blocked = await api.request.get('/api/v1/customer/members').set(bearer(first.access_token)).expect(403);
    expect(blocked.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const profile = await api.request.get('/api/v1/auth/profile').set(bearer(first.access_token)).expect(200);
    expect(profile.body.data.must_change_password).toBe(true);

    const next = strongPassword();
    await api.request
      .post('/api/v1/auth/change-password')
      .set(bearer(first.access_token))
      .send({ old_password: initial, new_password: next })
      .expect(200);
    // The same session continues without the restriction; the old password no longer works.
    await api.request.get('/api/v1/customer/members').set(bearer(first.access_token)).expect(200);
    await login(username, initial).expect(401);
    const again = (await login(username, next).expect(200)).body.data;
    expect(again.must_change_password).toBe(false);
  });

  it('applies the password policy and checks the old password', async () => {
    const customer = await api.createCustomer('policy');
    const change = (old_password: string, new_password: string) =>
      api.request
        .post('/api/v1/auth/change-password')
        .set(bearer(customer.ownerToken))
        .send({ old_password, new_password });

    const short = await change(customer.ownerPassword, 'Ab1!').expect(400);
    expect(short.body.code).toBe('WEAK_PASSWORD');
    expect(short.body.data.fields).toEqual([expect.objectContaining({ field: 'new_password', rule: 'too_short' })]);

    const classes = await change(customer.ownerPassword, 'alllowercaseletters').expect(400);
    expect(classes.body.data.fields.map((f: { rule: string }) => f.rule)).toEqual(['too_few_character_classes']);

    const withName = await change(customer.ownerPassword, `X1!${customer.ownerUsername}`).expect(400);
    expect(withName.body.data.fields.map((f: { rule: string }) => f.rule)).toContain('contains_username');

    const common = await change(customer.ownerPassword, 'P@ssw0rd123').expect(400);
    expect(common.body.data.fields.map((f: { rule: string }) => f.rule)).toContain('common_password');

    const wrongOld = await change('Not-The-Old-1!', strongPassword()).expect(400);
    expect(wrongOld.body.code).toBe('VALIDATION_ERROR');
    expect(wrongOld.body.data.fields[0].field).toBe('old_password');

    // Nothing changed: the original password still logs in.
    await login(customer.ownerUsername, customer.ownerPassword).expect(200);
  });

  it('ends the other sessions of the user but keeps the current one', async () => {
    const customer = await api.createCustomer('sessions');
    const other = (await login(customer.ownerUsername, customer.ownerPassword).expect(200)).body.data;
    const next = strongPassword();
    await api.request
      .post('/api/v1/auth/change-password')
      .set(bearer(customer.ownerToken))
      .send({ old_password: customer.ownerPassword, new_password: next })
      .expect(200);
    await api.request.get('/api/v1/auth/profile').set(bearer(customer.ownerToken)).expect(200);
    await api.request.get('/api/v1/auth/profile').set(bearer(other.access_token)).expect(401);
    await api.request.post('/api/v1/auth/refresh').send({ refresh_token: other.refresh_token }).expect(401);
  });
});
