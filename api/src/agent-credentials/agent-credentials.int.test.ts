// POST /api/v1/admin/machines/:id/agent-credentials against real PostgreSQL: the secret is shown once,
// stored argon2id-hashed and secret-box-encrypted (decryptable only with AGENT_CREDENTIALS_KEY and its
// key id), and issuing again revokes the previous key.
import argon2 from 'argon2';
import { AgentCredential, Machine, createSecretBox, signAgentRequest, verifyAgentRequest } from '@remotegpu/core';
import { bearer, startTestApi, type TestApi } from '../../../tests/support/api-server';
import { uniqueSuffix } from '../../../tests/support/env';

const suffix = uniqueSuffix('cred').toLowerCase();
let api: TestApi;
let admin: string;
const machineId = `${suffix}-m1`;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.loginAdmin();
  const em = api.em();
  em.create(Machine, { id: machineId, name: machineId, ip: '127.0.9.10' });
  await em.flush();
});
afterAll(() => api?.close());

it('issues a key id + secret once, stored hashed and encrypted; rotating revokes the previous key', async () => {
  const first = await api.request
    .post(`/api/v1/admin/machines/${machineId}/agent-credentials`)
    .set(bearer(admin))
    .expect(201);
  expect(first.headers['cache-control']).toBe('no-store');
  expect(first.body.data).toMatchObject({
    machine_id: machineId,
    key_id: expect.stringMatching(/^ak_[0-9a-f]{24}$/),
    secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    revoked_key_ids: [],
  });
  const { key_id: keyId, secret } = first.body.data as { key_id: string; secret: string };

  const stored = await api.em().findOneOrFail(AgentCredential, { keyId });
  expect(stored.status).toBe('active');
  expect(stored.secretHash).not.toContain(secret);
  expect(await argon2.verify(stored.secretHash, secret)).toBe(true);
  expect(stored.secretEncrypted).not.toContain(secret);
  const box = createSecretBox(api.config.agentCredentialsKey);
  expect(box.decrypt(stored.secretEncrypted, keyId)).toBe(secret);
  expect(() => box.decrypt(stored.secretEncrypted, 'ak_other')).toThrow();
  expect(() =>
    createSecretBox('another-key-material-of-32-characters!').decrypt(stored.secretEncrypted, keyId),
  ).toThrow();

  // The decrypted secret verifies what an agent signs with the secret it was given.
  const request = {
    method: 'POST',
    path: '/api/v1/agent/heartbeat',
    timestamp: Math.floor(Date.now() / 1000),
    body: '{}',
  };
  const signature = signAgentRequest(secret, request);
  expect(
    verifyAgentRequest({
      ...request,
      secret: box.decrypt(stored.secretEncrypted, keyId),
      signature,
      nowSeconds: request.timestamp,
    }),
  ).toEqual({ ok: true });

  const second = await api.request
    .post(`/api/v1/admin/machines/${machineId}/agent-credentials`)
    .set(bearer(admin))
    .expect(201);
  expect(second.body.data.key_id).not.toBe(keyId);
  expect(second.body.data.secret).not.toBe(secret);
  expect(second.body.data.revoked_key_ids).toEqual([keyId]);
  const rows = await api.em().find(AgentCredential, { machine: machineId }, { orderBy: { id: 'asc' } });
  expect(rows.map((r) => [r.keyId, r.status, r.revokedAt !== null])).toEqual([
    [keyId, 'revoked', true],
    [second.body.data.key_id, 'active', false],
  ]);

  // Never shown again: no endpoint returns it, and the audit record has no secret in it.
  const audit = await api.request
    .get('/api/v1/admin/audit/logs')
    .query({ action: 'agent_credential.issue' })
    .set(bearer(admin))
    .expect(200);
  expect(JSON.stringify(audit.body)).not.toContain(secret);
});

it('answers 404 for unknown machines and 403 for customers', async () => {
  const res = await api.request
    .post(`/api/v1/admin/machines/${suffix}-none/agent-credentials`)
    .set(bearer(admin))
    .expect(404);
  expect(res.body.code).toBe('NOT_FOUND');
  const customer = await api.createCustomer('credcust');
  await api.request
    .post(`/api/v1/admin/machines/${machineId}/agent-credentials`)
    .set(bearer(customer.ownerToken))
    .expect(403);
  expect(await api.em().count(AgentCredential, { machine: `${suffix}-none` })).toBe(0);
});
