// Inventory endpoints against the real services (scratch database): register with agent credentials,
// validation, uniqueness, filters/paging/sort, detail, update, soft delete, CSV/XLSX import.
import ExcelJS from 'exceljs';
import { bearer, startTestApi, type TestApi } from '../../../../tests/support/api-server';
import { uniqueSuffix } from '../../../../tests/support/env';

let api: TestApi;
let admin: string;
const suffix = uniqueSuffix('inv').toLowerCase();
const region = `r-${suffix}`;
let ipCounter = 1;
/** Fresh documentation-range addresses: rows only, nothing ever connects to them. */
const nextIp = () => `192.0.2.${ipCounter++}`;

function machine(id: string, extra: Record<string, unknown> = {}) {
  return { id: `${suffix}-${id}`, name: `node-${id}`, region, ip: nextIp(), ...extra };
}

async function xlsxOf(rows: (string | number | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('machines');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.loginAdmin();
}, 60_000);

afterAll(async () => {
  await api?.close();
});

describe('POST /admin/machines', () => {
  it('registers a machine and returns its task queue and agent credentials once', async () => {
    const body = machine('reg', {
      gpu_model: 'NVIDIA GeForce RTX 4090',
      gpu_count: 4,
      gpu_memory_gb: 24,
      ssh_port: 2222,
    });
    const res = await api.request.post('/api/v1/admin/machines').set(bearer(admin)).send(body).expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.data.task_queue).toBe(`host-${body.id}`);
    expect(res.body.data.agent_credentials).toMatchObject({
      machine_id: body.id,
      key_id: expect.stringMatching(/^ak_/),
    });
    expect(res.body.data.agent_credentials.secret).toEqual(expect.any(String));
    expect(res.body.data.machine).toMatchObject({
      id: body.id,
      status: 'offline',
      allocation_status: 'idle',
      ssh_port: 2222,
      gpu_info: { model: 'NVIDIA GeForce RTX 4090', count: 4, memory: '24GB' },
      tenant_name: null,
    });
    const stored = await api
      .em()
      .getConnection()
      .execute('select status from agent_credentials where machine_id = ?', [body.id]);
    expect(stored).toEqual([{ status: 'active' }]);
  });

  it.each([
    ['an id with upper case', { id: 'Bad-Id' }],
    ['an id starting with a dash', { id: '-abc' }],
    ['an id that is too long', { id: 'a'.repeat(64) }],
    ['a bad ip', { ip: '300.1.1.1' }],
    ['a bad port', { ssh_port: 70000 }],
    ['an unknown field', { color: 'blue' }],
  ])('rejects %s with 400 and stores nothing', async (_label, override) => {
    const body = { ...machine(`v${ipCounter}`), ...override };
    const res = await api.request.post('/api/v1/admin/machines').set(bearer(admin)).send(body).expect(400);
    expect(res.body.code).toBe('VALIDATION_ERROR');
    const rows = await api.em().getConnection().execute('select id from machines where ip = ?', [body.ip]);
    expect(rows).toHaveLength(0);
  });

  it('refuses a duplicate id and a duplicate ip + ssh port with 409', async () => {
    const first = machine('dup');
    await api.request.post('/api/v1/admin/machines').set(bearer(admin)).send(first).expect(201);
    const sameId = await api.request
      .post('/api/v1/admin/machines')
      .set(bearer(admin))
      .send({ ...first, ip: nextIp() })
      .expect(409);
    expect(sameId.body.data.reason).toBe('id_taken');
    const sameAddress = await api.request
      .post('/api/v1/admin/machines')
      .set(bearer(admin))
      .send({ ...machine('dup2'), ip: first.ip })
      .expect(409);
    expect(sameAddress.body.data).toMatchObject({ reason: 'address_taken', machine_id: first.id });
    // Same ip on another port is a different machine.
    await api.request
      .post('/api/v1/admin/machines')
      .set(bearer(admin))
      .send({ ...machine('dup3'), ip: first.ip, ssh_port: 2200 })
      .expect(201);
  });

  it('is admin only', async () => {
    const customer = await api.createCustomer('invc');
    await api.request.get('/api/v1/admin/machines').set(bearer(customer.ownerToken)).expect(403);
    await api.request.get('/api/v1/admin/machines').expect(401);
  });
});

describe('GET /admin/machines', () => {
  const listRegion = `${region}-list`;
  beforeAll(async () => {
    const rows = [
      { id: `${suffix}-l1`, name: 'alpha', gpu_model: 'NVIDIA GeForce RTX 4090', gpu_count: 4 },
      { id: `${suffix}-l2`, name: 'bravo', gpu_model: 'NVIDIA H100 80GB HBM3', gpu_count: 8 },
      { id: `${suffix}-l3`, name: 'charlie', gpu_model: 'NVIDIA GeForce RTX 4090', gpu_count: 2, remark: 'needle' },
    ];
    for (const row of rows) {
      await api.request
        .post('/api/v1/admin/machines')
        .set(bearer(admin))
        .send({ ...row, region: listRegion, ip: nextIp() })
        .expect(201);
    }
  });

  const list = (query: Record<string, string | number | undefined>) =>
    api.request
      .get('/api/v1/admin/machines')
      .set(bearer(admin))
      .query({ region: listRegion, ...query });

  it('filters by region and gpu model (substring, case-insensitive)', async () => {
    const res = await list({ gpu_model: 'rtx 4090', sort: 'name' }).expect(200);
    expect(res.body.data.total).toBe(2);
    expect(res.body.data.list.map((m: { name: string }) => m.name)).toEqual(['alpha', 'charlie']);
  });

  it('pages with page/page_size and reports the total', async () => {
    const first = await list({ page: 1, page_size: 2, sort: 'name' }).expect(200);
    expect(first.body.data).toMatchObject({ total: 3, page: 1, page_size: 2 });
    expect(first.body.data.list.map((m: { name: string }) => m.name)).toEqual(['alpha', 'bravo']);
    const second = await list({ page: 2, page_size: 2, sort: 'name' }).expect(200);
    expect(second.body.data.list.map((m: { name: string }) => m.name)).toEqual(['charlie']);
  });

  it('sorts descending with a leading dash', async () => {
    const res = await list({ sort: '-gpu_count' }).expect(200);
    expect(res.body.data.list.map((m: { gpu_info: { count: number } }) => m.gpu_info.count)).toEqual([8, 4, 2]);
  });

  it('filters by keyword, status and allocation status', async () => {
    const keyword = await list({ keyword: 'NEEDLE' }).expect(200);
    expect(keyword.body.data.list.map((m: { name: string }) => m.name)).toEqual(['charlie']);
    expect((await list({ status: 'offline' }).expect(200)).body.data.total).toBe(3);
    expect((await list({ status: 'online' }).expect(200)).body.data.total).toBe(0);
    expect((await list({ allocation_status: 'idle' }).expect(200)).body.data.total).toBe(3);
    expect((await list({ allocation_status: 'allocated' }).expect(200)).body.data.total).toBe(0);
  });

  it('rejects bad query values with 400', async () => {
    for (const query of [{ page: 0 }, { page_size: 1000 }, { status: 'sleeping' }, { sort: 'password' }]) {
      const res = await list(query).expect(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
    }
  });
});

describe('GET/PUT/DELETE /admin/machines/:id', () => {
  it('returns the detail with GPUs, current allocation and recent operations', async () => {
    const body = machine('detail', { gpu_model: 'NVIDIA A100', gpu_count: 4 });
    await api.request.post('/api/v1/admin/machines').set(bearer(admin)).send(body).expect(201);
    const res = await api.request.get(`/api/v1/admin/machines/${body.id}`).set(bearer(admin)).expect(200);
    expect(res.body.data).toMatchObject({
      id: body.id,
      gpus: [],
      current_allocation: null,
      recent_operations: [],
      task_queue: `host-${body.id}`,
    });
    await api.request.get(`/api/v1/admin/machines/${suffix}-nope`).set(bearer(admin)).expect(404);
    await api.request.get('/api/v1/admin/machines/NOT_AN_ID').set(bearer(admin)).expect(404);
  });

  it('updates fields and keeps ip + port unique', async () => {
    const a = machine('upd-a');
    const b = machine('upd-b');
    await api.request.post('/api/v1/admin/machines').set(bearer(admin)).send(a).expect(201);
    await api.request.post('/api/v1/admin/machines').set(bearer(admin)).send(b).expect(201);
    const res = await api.request
      .put(`/api/v1/admin/machines/${a.id}`)
      .set(bearer(admin))
      .send({ name: 'renamed', tags: ['fast'], memory_total: 512 })
      .expect(200);
    expect(res.body.data).toMatchObject({ name: 'renamed', tags: ['fast'], memory_total: 512 });
    const conflict = await api.request
      .put(`/api/v1/admin/machines/${a.id}`)
      .set(bearer(admin))
      .send({ ip: b.ip })
      .expect(409);
    expect(conflict.body.data.machine_id).toBe(b.id);
    await api.request.put(`/api/v1/admin/machines/${a.id}`).set(bearer(admin)).send({}).expect(400);
    await api.request.put(`/api/v1/admin/machines/${a.id}`).set(bearer(admin)).send({ id: 'other' }).expect(400);
  });

  it('soft-deletes an idle machine: gone from list and detail, row kept, address free again', async () => {
    const body = machine('del');
    await api.request.post('/api/v1/admin/machines').set(bearer(admin)).send(body).expect(201);
    await api.request.delete(`/api/v1/admin/machines/${body.id}`).set(bearer(admin)).expect(200);
    await api.request.get(`/api/v1/admin/machines/${body.id}`).set(bearer(admin)).expect(404);
    await api.request.delete(`/api/v1/admin/machines/${body.id}`).set(bearer(admin)).expect(404);
    const rows = await api.em().getConnection().execute('select deleted_at from machines where id = ?', [body.id]);
    expect(rows[0].deleted_at).not.toBeNull();
    const keys = await api
      .em()
      .getConnection()
      .execute('select status from agent_credentials where machine_id = ?', [body.id]);
    expect(keys).toEqual([{ status: 'revoked' }]);
    // The id is never reused; the address is.
    await api.request.post('/api/v1/admin/machines').set(bearer(admin)).send(body).expect(409);
    await api.request
      .post('/api/v1/admin/machines')
      .set(bearer(admin))
      .send({ ...body, id: `${body.id}-new` })
      .expect(201);
  });
});

describe('POST /admin/machines/import', () => {
  const header = 'id,name,region,ip,ssh_port,gpu_model,gpu_count,gpu_memory_gb,remark';
  const csvRow = (id: string, ip: string) =>
    `${suffix}-${id},node ${id},${region}-imp,${ip},22,"NVIDIA RTX 4090, 24GB",4,24,"a ""quoted"" remark"`;

  it('imports nothing from a CSV with a bad row, and the good rows with skip_bad_rows=true', async () => {
    const ips = [nextIp(), nextIp(), nextIp()];
    const csv = [
      header,
      csvRow('c1', ips[0]),
      csvRow('c2', ips[1]),
      `${suffix}-c3,node c3,x,not-an-ip,22,,1,,`,
      csvRow('c4', ips[2]),
    ].join('\r\n');

    const refused = await api.request
      .post('/api/v1/admin/machines/import')
      .set(bearer(admin))
      .attach('file', Buffer.from(csv), 'machines.csv')
      .expect(422);
    expect(refused.body.code).toBe('UNPROCESSABLE');
    expect(refused.body.data).toMatchObject({ imported: false, total: 4, created: 0, errors: 1 });
    expect(refused.body.data.rows.filter((r: { status: string }) => r.status === 'error')).toEqual([
      { row: 4, status: 'error', id: `${suffix}-c3`, reason: expect.stringContaining('ip') },
    ]);
    const none = await api.request
      .get('/api/v1/admin/machines')
      .set(bearer(admin))
      .query({ region: `${region}-imp` });
    expect(none.body.data.total).toBe(0);

    const partial = await api.request
      .post('/api/v1/admin/machines/import')
      .query({ skip_bad_rows: 'true' })
      .set(bearer(admin))
      .attach('file', Buffer.from(csv), 'machines.csv')
      .expect(200);
    expect(partial.body.data).toMatchObject({ imported: true, total: 4, created: 3, skipped: 0, errors: 1 });
    const listed = await api.request
      .get('/api/v1/admin/machines')
      .set(bearer(admin))
      .query({ region: `${region}-imp`, sort: 'id' });
    expect(listed.body.data.list.map((m: { id: string }) => m.id)).toEqual([
      `${suffix}-c1`,
      `${suffix}-c2`,
      `${suffix}-c4`,
    ]);
    expect(listed.body.data.list[0]).toMatchObject({
      gpu_info: { model: 'NVIDIA RTX 4090, 24GB', count: 4, memory: '24GB' },
      remark: 'a "quoted" remark',
    });

    // Importing the same file again: the registered rows are skipped, the bad one still reported.
    const again = await api.request
      .post('/api/v1/admin/machines/import')
      .field('skip_bad_rows', 'true')
      .set(bearer(admin))
      .attach('file', Buffer.from(csv), 'machines.csv')
      .expect(200);
    expect(again.body.data).toMatchObject({ created: 0, skipped: 3, errors: 1 });
  });

  it('reports duplicates within the file and against the database per row (XLSX)', async () => {
    const existing = machine('x-existing');
    await api.request.post('/api/v1/admin/machines').set(bearer(admin)).send(existing).expect(201);
    const ipA = nextIp();
    const buffer = await xlsxOf([
      ['ID', 'Name', 'IP', 'SSH Port', 'GPU Count'],
      [`${suffix}-x1`, 'x1', ipA, 22, 8],
      [`${suffix}-x1`, 'x1 again', nextIp(), 22, 8],
      [`${suffix}-x2`, 'x2', ipA, 22, 8],
      [`${suffix}-x3`, 'x3', existing.ip, 22, 8],
      [existing.id, 'renamed', nextIp(), 22, 8],
      [`${suffix}-x4`, 'x4', nextIp(), 22, 8],
    ]);
    const res = await api.request
      .post('/api/v1/admin/machines/import')
      .set(bearer(admin))
      .field('skip_bad_rows', 'true')
      .attach('file', buffer, 'machines.xlsx')
      .expect(200);
    const byRow = Object.fromEntries(
      res.body.data.rows.map((r: { row: number; status: string; reason?: string }) => [r.row, r]),
    );
    expect(byRow[2]).toMatchObject({ status: 'created', id: `${suffix}-x1` });
    expect(byRow[3]).toMatchObject({ status: 'error', reason: expect.stringContaining('duplicate id') });
    expect(byRow[4]).toMatchObject({ status: 'error', reason: expect.stringContaining('duplicate ip:port') });
    expect(byRow[5]).toMatchObject({ status: 'error', reason: expect.stringContaining(`machine ${existing.id}`) });
    expect(byRow[6]).toMatchObject({ status: 'error', reason: expect.stringContaining('already registered') });
    expect(byRow[7]).toMatchObject({ status: 'created', id: `${suffix}-x4` });
    expect(res.body.data).toMatchObject({ created: 2, errors: 4 });
  });

  it('imports 1,000 XLSX rows in one request in well under 2 s', async () => {
    const rows: (string | number)[][] = [['id', 'name', 'region', 'ip', 'ssh_port', 'gpu_model', 'gpu_count']];
    for (let i = 0; i < 1000; i++) {
      rows.push([
        `${suffix}-bulk-${i}`,
        `bulk ${i}`,
        `${region}-bulk`,
        `198.51.${Math.floor(i / 250)}.${i % 250}`,
        22,
        'NVIDIA H100',
        8,
      ]);
    }
    const buffer = await xlsxOf(rows);
    const started = performance.now();
    const res = await api.request
      .post('/api/v1/admin/machines/import')
      .set(bearer(admin))
      .attach('file', buffer, 'bulk.xlsx')
      .expect(200);
    const elapsed = performance.now() - started;
    expect(res.body.data).toMatchObject({ imported: true, total: 1000, created: 1000, errors: 0 });
    expect(elapsed).toBeLessThan(2000);
    const listed = await api.request
      .get('/api/v1/admin/machines')
      .set(bearer(admin))
      .query({ region: `${region}-bulk`, page_size: 1 });
    expect(listed.body.data.total).toBe(1000);
  });

  it('a CSV with exactly 3 bad rows among good ones reports exactly those rows and imports nothing', async () => {
    const ips = [nextIp(), nextIp(), nextIp(), nextIp(), nextIp()];
    const csv = [
      header,
      csvRow('b1', ips[0]),
      `${suffix}-b2,node b2,${region}-bad3,999.1.2.3,22,,1,,`, // row 3: ip
      csvRow('b3', ips[1]),
      csvRow('b4', ips[2]),
      `${suffix}-b5,node b5,${region}-bad3,${ips[3]},70000,,1,,`, // row 6: ssh_port
      csvRow('b6', ips[4]),
      `${suffix}-b7,node b7,${region}-bad3,${nextIp()},22,,-2,,`, // row 8: gpu_count
    ].join('\r\n');

    const refused = await api.request
      .post('/api/v1/admin/machines/import')
      .set(bearer(admin))
      .attach('file', Buffer.from(csv), 'machines.csv')
      .expect(422);
    expect(refused.body.code).toBe('UNPROCESSABLE');
    expect(refused.body.data).toMatchObject({ imported: false, total: 7, created: 0, errors: 3 });
    expect(refused.body.data.rows.filter((r: { status: string }) => r.status === 'error')).toEqual([
      { row: 3, status: 'error', id: `${suffix}-b2`, reason: expect.stringMatching(/^ip: /) },
      { row: 6, status: 'error', id: `${suffix}-b5`, reason: expect.stringMatching(/^ssh_port: /) },
      { row: 8, status: 'error', id: `${suffix}-b7`, reason: expect.stringMatching(/^gpu_count: /) },
    ]);
    // The good rows are reported as not imported, none of them was created.
    expect(
      refused.body.data.rows
        .filter((r: { status: string }) => r.status !== 'error')
        .map((r: { row: number; status: string }) => [r.row, r.status]),
    ).toEqual([
      [2, 'skipped'],
      [4, 'skipped'],
      [5, 'skipped'],
      [7, 'skipped'],
    ]);
    for (const id of ['b1', 'b3', 'b4', 'b6']) {
      await api.request.get(`/api/v1/admin/machines/${suffix}-${id}`).set(bearer(admin)).expect(404);
    }
    const none = await api.request
      .get('/api/v1/admin/machines')
      .set(bearer(admin))
      .query({ region: `${region}-imp` });
    const imported = none.body.data.list.map((m: { id: string }) => m.id);
    expect(imported.filter((id: string) => /-b\d$/.test(id))).toEqual([]);
  });

  it('answers 400 without a file, for a file without the required columns, and for other formats', async () => {
    await api.request.post('/api/v1/admin/machines/import').set(bearer(admin)).expect(400);
    const noIp = await api.request
      .post('/api/v1/admin/machines/import')
      .set(bearer(admin))
      .attach('file', Buffer.from('id,name\nabc,abc\n'), 'x.csv')
      .expect(400);
    expect(noIp.body.msg).toContain('ip');
    await api.request
      .post('/api/v1/admin/machines/import')
      .set(bearer(admin))
      .attach('file', Buffer.from('{}'), 'x.json')
      .expect(400);
  });
});
