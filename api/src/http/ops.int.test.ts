// Operational endpoints against the real services: health, readiness (naming a down dependency),
// metrics, OpenAPI + Swagger UI, the envelope, trace ids and error mapping.
import net from 'node:net';
import { bearer, startTestApi, type TestApi } from '../../../tests/support/api-server';
import { mountedRoutes } from '../openapi/mounted-routes';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('operational endpoints', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('GET /healthz answers while the process is alive', async () => {
    const res = await api.request.get('/healthz').expect(200);
    expect(res.body).toMatchObject({ code: 0, msg: 'ok', data: { status: 'alive' } });
    expect(res.body.traceId).toEqual(res.headers['x-trace-id']);
  });

  it('GET /readyz reports every dependency ok when all are up', async () => {
    const res = await api.request.get('/readyz');
    expect(res.body.data).toEqual({
      status: 'ready',
      checks: { postgres: 'ok', redis: 'ok', temporal: 'ok', s3: 'ok' },
    });
    expect(res.status).toBe(200);
  });

  it('echoes a well-formed X-Trace-Id and replaces a malformed one', async () => {
    const given = 'trace-abc-12345678';
    const res = await api.request.get('/healthz').set('X-Trace-Id', given).expect(200);
    expect(res.headers['x-trace-id']).toBe(given);
    expect(res.body.traceId).toBe(given);
    const bad = await api.request.get('/healthz').set('X-Trace-Id', 'bad id <script>').expect(200);
    expect(bad.headers['x-trace-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('maps unknown routes, malformed JSON and validation errors to the envelope', async () => {
    const missing = await api.request.get('/api/v1/nothing-here').expect(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND', data: null });
    expect(missing.body.traceId).toBe(missing.headers['x-trace-id']);

    const malformed = await api.request
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username": ')
      .expect(400);
    expect(malformed.body).toMatchObject({ code: 'VALIDATION_ERROR', msg: 'malformed request body' });

    const invalid = await api.request.post('/api/v1/auth/login').send({ username: '' }).expect(400);
    expect(invalid.body.code).toBe('VALIDATION_ERROR');
    expect(invalid.body.data.fields.map((f: { field: string }) => f.field).sort()).toEqual(['password', 'username']);
  });

  it('requires a token for protected routes and rejects garbage tokens', async () => {
    const none = await api.request.get('/api/v1/admin/customers').expect(401);
    expect(none.body.code).toBe('UNAUTHENTICATED');
    const garbage = await api.request.get('/api/v1/admin/customers').set(bearer('not.a.jwt')).expect(401);
    expect(garbage.body.code).toBe('TOKEN_INVALID');
  });

  it('serves the OpenAPI document and a self-hosted Swagger UI', async () => {
    const doc = await api.request.get('/api/v1/openapi.json').expect(200);
    expect(doc.body.openapi).toBe('3.0.3');
    // Exactly the routes the app mounts (walked from its router stack), both ways: a new route without a
    // document entry, or a documented route nobody serves, fails here.
    const mounted = mountedRoutes(api.app).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    const documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(mounted.length).toBeGreaterThan(50);
    expect([...documented].sort()).toEqual([...mounted].sort());
    expect(doc.body.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema).toMatchObject({
      required: ['username', 'password'],
    });
    const ui = await api.request.get('/api/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
    expect(ui.text).not.toMatch(/unpkg|jsdelivr|cdnjs/);
    const asset = await api.request.get('/api/docs/swagger-ui-bundle.js').expect(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('exposes Prometheus metrics with the request histogram by route pattern', async () => {
    await api.request.get('/api/v1/admin/customers/12345').expect(401);
    const res = await api.request.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} \d+/,
    );
    expect(res.text).not.toContain('12345');
  });
});

describe('readiness with Redis down', () => {
  let api: TestApi;
  beforeAll(async () => {
    const port = await closedPort();
    api = await startTestApi({ configure: (c) => ({ ...c, redisUrl: `redis://127.0.0.1:${port}` }), seed: false });
  });
  afterAll(() => api?.close());

  it('answers 503 and names Redis as down, the others ok', async () => {
    const res = await api.request.get('/readyz').expect(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(res.body.data.status).toBe('not_ready');
    expect(res.body.data.checks).toEqual({
      postgres: 'ok',
      redis: expect.stringMatching(/^down: .*ECONNREFUSED/),
      temporal: 'ok',
      s3: 'ok',
    });
  });
});
