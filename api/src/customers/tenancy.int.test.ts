// Tenants, members and SSH keys against real PostgreSQL + Redis: admin customer CRUD and disable,
// owner-only member management, key validation, duplicates, and tenant isolation (404, never 403).
import { generateKeyPairSync } from 'node:crypto';
import { SshKey, User } from '@remotegpu/core';
import {
  bearer,
  startTestApi,
  strongPassword,
  type TestApi,
  type TestCustomer,
} from '../../../tests/support/api-server';
import { uniqueSuffix } from '../../../tests/support/env';

let api: TestApi;
let admin: string;
beforeAll(async () => {
  api = await startTestApi();
  admin = await api.loginAdmin();
});
afterAll(() => api?.close());

function sshString(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/** A fresh ed25519 public key in authorized_keys form. */
function ed25519PublicKey(comment = 'user@laptop'): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

describe('admin customers', () => {
  it('creates a tenant with its owner, who must change the initial password', async () => {
    const code = uniqueSuffix('acme').toLowerCase().slice(0, 28);
    const password = strongPassword();
    const res = await api.request
      .post('/api/v1/admin/customers')
      .set(bearer(admin))
      .send({
        name: 'Acme Research',
        company_code: code,
        contact_name: 'Ada',
        contact_email: 'ada@example.com',
        owner_username: `${code}-boss`,
        owner_password: password,
      })
      .expect(201);
    expect(res.body.data.initial_password).toBeUndefined();
    expect(res.body.data.customer).toMatchObject({
      name: 'Acme Research',
      company_code: code,
      status: 'active',
      contact_name: 'Ada',
      contact_email: 'ada@example.com',
      owner: { username: `${code}-boss` },
      member_count: 1,
    });
    const owner = await api.em().findOneOrFail(User, { username: `${code}-boss` }, { populate: ['passwordHash'] });
    expect(owner).toMatchObject({ role: 'customer', tenantRole: 'owner', mustChangePassword: true });
    expect(owner.passwordHash.$).toMatch(/^\$argon2id\$/);
    expect((await api.login(`${code}-boss`, password)).must_change_password).toBe(true);
  });

  it('generates a policy-compliant initial password when none is given and returns it once', async () => {
    const code = uniqueSuffix('gen').toLowerCase().slice(0, 28);
    const res = await api.request
      .post('/api/v1/admin/customers')
      .set(bearer(admin))
      .send({ name: 'Generated Co', company_code: code, owner_username: `${code}-o` })
      .expect(201);
    const initial = res.body.data.initial_password as string;
    expect(initial.length).toBeGreaterThanOrEqual(12);
    expect((await api.login(`${code}-o`, initial)).must_change_password).toBe(true);
    const fetched = await api.request
      .get(`/api/v1/admin/customers/${res.body.data.customer.id}`)
      .set(bearer(admin))
      .expect(200);
    expect(JSON.stringify(fetched.body)).not.toContain(initial);
  });

  it('rejects invalid input, a weak owner password and duplicates', async () => {
    const bad = await api.request
      .post('/api/v1/admin/customers')
      .set(bearer(admin))
      .send({ name: '', company_code: 'Bad Code!', owner_username: 'x' })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_ERROR');
    expect(bad.body.data.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'company_code',
      'name',
      'owner_username',
    ]);

    const code = uniqueSuffix('dup').toLowerCase().slice(0, 28);
    const weak = await api.request
      .post('/api/v1/admin/customers')
      .set(bearer(admin))
      .send({ name: 'Weak', company_code: code, owner_username: `${code}-o`, owner_password: 'password' })
      .expect(400);
    expect(weak.body.code).toBe('WEAK_PASSWORD');
    expect(await api.em().count(User, { username: `${code}-o` })).toBe(0);

    const body = { name: 'Dup', company_code: code, owner_username: `${code}-o`, owner_password: strongPassword() };
    await api.request.post('/api/v1/admin/customers').set(bearer(admin)).send(body).expect(201);
    const sameCode = await api.request
      .post('/api/v1/admin/customers')
      .set(bearer(admin))
      .send({ ...body, owner_username: `${code}-other` })
      .expect(409);
    expect(sameCode.body.code).toBe('CONFLICT');
    await api.request
      .post('/api/v1/admin/customers')
      .set(bearer(admin))
      .send({ ...body, company_code: `${code}-x`.slice(0, 30) })
      .expect(409);
  });

  it('lists with paging, keyword and status filters, updates and toggles status', async () => {
    const tag = uniqueSuffix('lst').toLowerCase().slice(0, 20);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await api.request
        .post('/api/v1/admin/customers')
        .set(bearer(admin))
        .send({
          name: `List ${tag} ${i}`,
          company_code: `${tag}-${i}`,
          owner_username: `${tag}-${i}-o`,
          owner_password: strongPassword(),
        })
        .expect(201);
      ids.push(res.body.data.customer.id);
    }
    const page1 = await api.request
      .get('/api/v1/admin/customers')
      .query({ keyword: tag, page: 1, page_size: 2 })
      .set(bearer(admin))
      .expect(200);
    expect(page1.body.data).toMatchObject({ total: 3, page: 1, page_size: 2 });
    expect(page1.body.data.list).toHaveLength(2);
    const page2 = await api.request
      .get('/api/v1/admin/customers')
      .query({ keyword: tag, page: 2, page_size: 2 })
      .set(bearer(admin))
      .expect(200);
    expect(page2.body.data.list).toHaveLength(1);

    const updated = await api.request
      .put(`/api/v1/admin/customers/${ids[0]}`)
      .set(bearer(admin))
      .send({ name: `Renamed ${tag}`, remark: 'VIP' })
      .expect(200);
    expect(updated.body.data).toMatchObject({ name: `Renamed ${tag}`, remark: 'VIP' });
    await api.request
      .put(`/api/v1/admin/customers/${ids[0]}`)
      .set(bearer(admin))
      .send({ company_code: 'nope' })
      .expect(400);

    await api.request.post(`/api/v1/admin/customers/${ids[1]}/disable`).set(bearer(admin)).expect(200);
    const disabled = await api.request
      .get('/api/v1/admin/customers')
      .query({ keyword: tag, status: 'disabled' })
      .set(bearer(admin))
      .expect(200);
    expect(disabled.body.data.list.map((c: { id: number }) => c.id)).toEqual([ids[1]]);
    const enabled = await api.request.post(`/api/v1/admin/customers/${ids[1]}/enable`).set(bearer(admin)).expect(200);
    expect(enabled.body.data.status).toBe('active');

    await api.request.put('/api/v1/admin/customers/999999').set(bearer(admin)).send({ name: 'x' }).expect(404);
    await api.request.post('/api/v1/admin/customers/999999/disable').set(bearer(admin)).expect(404);
    await api.request.get('/api/v1/admin/customers/abc').set(bearer(admin)).expect(404);
  });

  it('disabling a tenant revokes its users refresh tokens', async () => {
    const customer = await api.createCustomer('revoke');
    const session = await api.login(customer.ownerUsername, customer.ownerPassword);
    await api.request.post(`/api/v1/admin/customers/${customer.tenantId}/disable`).set(bearer(admin)).expect(200);
    await api.request.post(`/api/v1/admin/customers/${customer.tenantId}/enable`).set(bearer(admin)).expect(200);
    // Re-enabling does not resurrect the sessions that were ended.
    await api.request.post('/api/v1/auth/refresh').send({ refresh_token: session.refresh_token }).expect(401);
  });

  it('is for admins only', async () => {
    const customer = await api.createCustomer('notadmin');
    const res = await api.request.get('/api/v1/admin/customers').set(bearer(customer.ownerToken)).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    await api.request.get('/api/v1/customer/members').set(bearer(admin)).expect(403);
  });
});

describe('tenant members', () => {
  let customer: TestCustomer;
  beforeAll(async () => {
    customer = await api.createCustomer('members');
  });

  it('owner adds, edits and deletes members; members only list', async () => {
    const member = await api.createMember(customer.ownerToken);
    const list = await api.request.get('/api/v1/customer/members').set(bearer(member.token)).expect(200);
    expect(list.body.data.total).toBe(2);
    expect(list.body.data.list.map((m: { username: string }) => m.username)).toEqual([
      customer.ownerUsername,
      member.username,
    ]);
    expect(list.body.data.list[1]).toMatchObject({ tenant_role: 'member', status: 'active' });

    // Members cannot manage members.
    for (const res of [
      await api.request
        .post('/api/v1/customer/members')
        .set(bearer(member.token))
        .send({ username: 'x-y-z', password: strongPassword() }),
      await api.request
        .put(`/api/v1/customer/members/${member.id}`)
        .set(bearer(member.token))
        .send({ display_name: 'x' }),
      await api.request.delete(`/api/v1/customer/members/${customer.ownerId}`).set(bearer(member.token)),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }

    const edited = await api.request
      .put(`/api/v1/customer/members/${member.id}`)
      .set(bearer(customer.ownerToken))
      .send({ display_name: 'Grace', email: 'grace@example.com' })
      .expect(200);
    expect(edited.body.data).toMatchObject({ display_name: 'Grace', email: 'grace@example.com' });

    const weak = await api.request
      .post('/api/v1/customer/members')
      .set(bearer(customer.ownerToken))
      .send({ username: uniqueSuffix('weak'), password: 'short' })
      .expect(400);
    expect(weak.body.code).toBe('WEAK_PASSWORD');
    const dup = await api.request
      .post('/api/v1/customer/members')
      .set(bearer(customer.ownerToken))
      .send({ username: member.username, password: strongPassword() })
      .expect(409);
    expect(dup.body.code).toBe('CONFLICT');

    await api.request
      .delete(`/api/v1/customer/members/${customer.ownerId}`)
      .set(bearer(customer.ownerToken))
      .expect(422);
    await api.request.delete(`/api/v1/customer/members/${member.id}`).set(bearer(customer.ownerToken)).expect(200);
    expect(await api.em().count(User, { id: member.id })).toBe(0);
    await api.request.get('/api/v1/customer/members').set(bearer(member.token)).expect(401);
  });

  it('answers 404 for members of another tenant', async () => {
    const other = await api.createCustomer('other');
    const stranger = await api.createMember(other.ownerToken);
    await api.request
      .put(`/api/v1/customer/members/${stranger.id}`)
      .set(bearer(customer.ownerToken))
      .send({ display_name: 'hijack' })
      .expect(404);
    await api.request.delete(`/api/v1/customer/members/${stranger.id}`).set(bearer(customer.ownerToken)).expect(404);
    const list = await api.request.get('/api/v1/customer/members').set(bearer(customer.ownerToken)).expect(200);
    expect(list.body.data.list.map((m: { id: number }) => m.id)).not.toContain(stranger.id);
    expect(await api.em().count(User, { id: stranger.id, displayName: 'hijack' })).toBe(0);
  });
});

describe('ssh keys', () => {
  let customer: TestCustomer;
  beforeAll(async () => {
    customer = await api.createCustomer('keys');
  });

  it('adds a valid key with its fingerprint and refuses a duplicate with 409', async () => {
    const key = ed25519PublicKey('ada@laptop');
    const res = await api.request
      .post('/api/v1/customer/keys')
      .set(bearer(customer.ownerToken))
      .send({ name: 'laptop', public_key: `  ${key}\n` })
      .expect(201);
    expect(res.body.data).toMatchObject({
      name: 'laptop',
      key_type: 'ssh-ed25519',
      fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/),
      public_key: key,
      user_id: customer.ownerId,
    });
    const dup = await api.request
      .post('/api/v1/customer/keys')
      .set(bearer(customer.ownerToken))
      .send({ name: 'again', public_key: key.replace('ada@laptop', 'other comment') })
      .expect(409);
    expect(dup.body.code).toBe('CONFLICT');
    expect(dup.body.data.fingerprint).toBe(res.body.data.fingerprint);
  });

  it('rejects garbage, private keys, options and several lines with INVALID_SSH_KEY', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = ed25519PublicKey();
    const cases: Array<[string, string]> = [
      ['hello world', 'malformed'],
      [privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), 'private_key'],
      [`command="rm -rf /" ${key}`, 'options_not_allowed'],
      [`${key}\n${ed25519PublicKey()}`, 'multi_line'],
      ['ssh-ed25519 AAAAnotbase64!!', 'malformed'],
    ];
    for (const [publicKey, reason] of cases) {
      const res = await api.request
        .post('/api/v1/customer/keys')
        .set(bearer(customer.ownerToken))
        .send({ public_key: publicKey });
      expect({ status: res.status, code: res.body.code, reason: res.body.data?.reason }).toEqual({
        status: 400,
        code: 'INVALID_SSH_KEY',
        reason,
      });
    }
    expect(await api.em().count(SshKey, { tenant: customer.tenantId, publicKey: { $like: '%rm -rf%' } })).toBe(0);
  });

  it('members see their own keys; the owner sees and deletes the tenant keys; other tenants get 404', async () => {
    const member = await api.createMember(customer.ownerToken, 'keyholder');
    const memberKey = (
      await api.request
        .post('/api/v1/customer/keys')
        .set(bearer(member.token))
        .send({ public_key: ed25519PublicKey('member@box') })
        .expect(201)
    ).body.data;
    expect(memberKey.name).toBe('member@box');

    const mine = await api.request.get('/api/v1/customer/keys').set(bearer(member.token)).expect(200);
    expect(mine.body.data.map((k: { id: number }) => k.id)).toEqual([memberKey.id]);
    const all = await api.request.get('/api/v1/customer/keys').set(bearer(customer.ownerToken)).expect(200);
    expect(all.body.data.map((k: { username: string }) => k.username)).toEqual(
      expect.arrayContaining([customer.ownerUsername, member.username]),
    );

    // Another tenant cannot see, nor delete, this tenant's key: 404 (not 403).
    const other = await api.createCustomer('keythief');
    const theirs = await api.request.get('/api/v1/customer/keys').set(bearer(other.ownerToken)).expect(200);
    expect(theirs.body.data).toEqual([]);
    const steal = await api.request
      .delete(`/api/v1/customer/keys/${memberKey.id}`)
      .set(bearer(other.ownerToken))
      .expect(404);
    expect(steal.body.code).toBe('NOT_FOUND');
    // A member cannot delete the owner's key either (not visible to it).
    const ownerKeyId = all.body.data.find((k: { username: string }) => k.username === customer.ownerUsername).id;
    await api.request.delete(`/api/v1/customer/keys/${ownerKeyId}`).set(bearer(member.token)).expect(404);

    // The same public key may be registered by a user of another tenant (unique per user).
    const shared = ed25519PublicKey('shared');
    await api.request.post('/api/v1/customer/keys').set(bearer(member.token)).send({ public_key: shared }).expect(201);
    await api.request
      .post('/api/v1/customer/keys')
      .set(bearer(other.ownerToken))
      .send({ public_key: shared })
      .expect(201);

    await api.request.delete(`/api/v1/customer/keys/${memberKey.id}`).set(bearer(customer.ownerToken)).expect(200);
    expect(await api.em().count(SshKey, { id: memberKey.id })).toBe(0);
  });
});
