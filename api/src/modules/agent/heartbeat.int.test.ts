// POST /api/v1/agent/heartbeat against the real services: accepted → Redis + metric rows; forged,
// stale, replayed, unknown and revoked keys → 401 with nothing stored; offline → online after two
// consecutive heartbeats, resolving host_offline.
import { machineHeartbeatKey, machineLivenessKey, machineMetricsKey } from '@remotegpu/core/contracts';
import { startTestApi, type TestApi } from '../../../../tests/support/api-server';
import { uniqueSuffix } from '../../../../tests/support/env';
import { eventually } from '../../../../tests/support/eventually';
import {
  gpus,
  insertMachine,
  issueAgentKey,
  metrics,
  postSigned,
  signHeartbeat,
  type AgentKey,
} from '../../../../tests/support/fleet';

let api: TestApi;
let admin: string;
const prefix = uniqueSuffix('hb').toLowerCase();

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.loginAdmin();
});

afterAll(async () => {
  await api.app.locals.services.fleet.close();
  await api.close();
});

async function machineWithKey(name: string, gpuCount = 2): Promise<AgentKey> {
  const id = `${prefix}-${name}`;
  await insertMachine(api.em(), { id, gpuCount });
  return issueAgentKey(api, admin, id);
}

async function sampleCount(machineId: string): Promise<number> {
  const [{ n }] = (await api
    .em()
    .getConnection()
    .execute(`select count(*) as n from metric_samples where machine_id = ?`, [machineId])) as { n: string }[];
  return Number(n);
}

async function nothingStored(key: AgentKey): Promise<void> {
  await api.app.locals.services.fleet.writer.flush();
  expect(await api.deps.redis.get(machineHeartbeatKey(key.machineId))).toBeNull();
  expect(await api.deps.redis.get(machineMetricsKey(key.machineId))).toBeNull();
  expect(await sampleCount(key.machineId)).toBe(0);
}

it('accepts a signed heartbeat: last-seen + snapshot in Redis, raw samples and GPU last values in PostgreSQL', async () => {
  const key = await machineWithKey('ok', 2);
  const before = Date.now();
  const res = await postSigned(api, signHeartbeat(key, metrics(gpus(2, { util_pct: 70, temperature_c: 55 }))));
  expect(res.status).toBe(200);
  expect(res.body.data).toMatchObject({ accepted: true, machine_id: key.machineId });

  const lastSeen = Number(await api.deps.redis.get(machineHeartbeatKey(key.machineId)));
  expect(lastSeen).toBeGreaterThanOrEqual(before);
  const snapshot = JSON.parse((await api.deps.redis.get(machineMetricsKey(key.machineId)))!);
  expect(snapshot).toMatchObject({ machine_id: key.machineId, cpu_util: 10 });
  expect(snapshot.gpus).toHaveLength(2);

  await eventually(async () => expect(await sampleCount(key.machineId)).toBe(3)); // host row + 2 GPUs
  const conn = api.em().getConnection();
  const rows = (await conn.execute(
    `select gpu_index, gpu_util, cpu_util, resolution from metric_samples where machine_id = ? order by gpu_index nulls first`,
    [key.machineId],
  )) as { gpu_index: number | null; gpu_util: number; cpu_util: number | null; resolution: string }[];
  expect(
    rows.map((r) => [r.gpu_index, Number(r.gpu_util), r.cpu_util === null ? null : Number(r.cpu_util), r.resolution]),
  ).toEqual([
    [null, 70, 10, 'raw'],
    [0, 70, null, 'raw'],
    [1, 70, null, 'raw'],
  ]);
  const devices = (await conn.execute(
    `select gpu_index, last_util, last_temp from gpu_devices where machine_id = ? order by gpu_index`,
    [key.machineId],
  )) as { gpu_index: number; last_util: number; last_temp: number }[];
  expect(devices.map((d) => [d.gpu_index, Number(d.last_util), Number(d.last_temp)])).toEqual([
    [0, 70, 55],
    [1, 70, 55],
  ]);
  const [machine] = (await conn.execute(`select last_heartbeat_at, agent_version from machines where id = ?`, [
    key.machineId,
  ])) as { last_heartbeat_at: Date | null; agent_version: string }[];
  expect(machine.last_heartbeat_at).not.toBeNull();
  expect(machine.agent_version).toBe('test-1.0.0');
});

it('refuses a forged signature (wrong secret) and stores nothing', async () => {
  const key = await machineWithKey('forged');
  const forged = signHeartbeat({ ...key, secret: 'not-the-secret-0123456789abcdef' }, metrics(gpus(2)));
  expect((await postSigned(api, forged)).status).toBe(401);
  // A body changed after signing is a forgery too.
  const tampered = signHeartbeat(key, metrics(gpus(2)));
  tampered.body = tampered.body.replace('"cpu_util":10', '"cpu_util":99');
  expect((await postSigned(api, tampered)).status).toBe(401);
  await nothingStored(key);
});

it('refuses a heartbeat signed more than 5 minutes ago (or ahead) and stores nothing', async () => {
  const key = await machineWithKey('stale');
  const stale = signHeartbeat(key, metrics(gpus(2)), Date.now() - 5 * 60_000 - 5_000);
  const res = await postSigned(api, stale);
  expect(res.status).toBe(401);
  expect(res.body.msg).toMatch(/expired/);
  expect((await postSigned(api, signHeartbeat(key, metrics(gpus(2)), Date.now() + 6 * 60_000))).status).toBe(401);
  await nothingStored(key);
});

it('refuses a replayed heartbeat: the second identical request changes nothing', async () => {
  const key = await machineWithKey('replay');
  const request = signHeartbeat(key, metrics(gpus(2)));
  expect((await postSigned(api, request)).status).toBe(200);
  await api.app.locals.services.fleet.writer.flush();
  const lastSeen = await api.deps.redis.get(machineHeartbeatKey(key.machineId));
  const liveness = await api.deps.redis.hgetall(machineLivenessKey(key.machineId));
  const replay = await postSigned(api, request);
  expect(replay.status).toBe(401);
  expect(replay.body.msg).toMatch(/replayed/);
  await api.app.locals.services.fleet.writer.flush();
  expect(await api.deps.redis.get(machineHeartbeatKey(key.machineId))).toBe(lastSeen);
  expect(await api.deps.redis.hgetall(machineLivenessKey(key.machineId))).toEqual(liveness);
  expect(await sampleCount(key.machineId)).toBe(3);
});

it('refuses unknown key ids, revoked keys, missing headers and a key used for another machine', async () => {
  const key = await machineWithKey('revoked');
  expect((await postSigned(api, signHeartbeat({ ...key, keyId: 'ak_does_not_exist' }, metrics(gpus(2))))).status).toBe(
    401,
  );
  // Rotating issues a new key and revokes the old one.
  const rotated = await issueAgentKey(api, admin, key.machineId);
  expect((await postSigned(api, signHeartbeat(key, metrics(gpus(2))))).status).toBe(401);
  const noHeaders = await api.request
    .post('/api/v1/agent/heartbeat')
    .set('content-type', 'application/json')
    .send(JSON.stringify({ machine_id: key.machineId }));
  expect(noHeaders.status).toBe(401);
  await nothingStored(key);

  const other = await machineWithKey('other');
  const wrongMachine = signHeartbeat({ ...rotated, machineId: other.machineId }, metrics(gpus(2)));
  expect((await postSigned(api, wrongMachine)).status).toBe(401);
  await nothingStored(other);
  expect((await postSigned(api, signHeartbeat(rotated, metrics(gpus(2))))).status).toBe(200);
});

it('a validly signed but malformed body is a 400 and stores nothing', async () => {
  const key = await machineWithKey('malformed');
  const bad = signHeartbeat(key, { cpu_util: 500, mem_used_pct: 1, disk_used_pct: 1, gpus: [] });
  expect((await postSigned(api, bad)).status).toBe(400);
  await nothingStored(key);
});

it('an offline machine turns online after two consecutive heartbeats and its host_offline alert is resolved', async () => {
  const key = await machineWithKey('back');
  const conn = api.em().getConnection();
  const [alert] = (await conn.execute(
    `insert into alerts (machine_id, kind, severity, status, message) values (?, 'host_offline', 'critical', 'active', 'gone')
     returning id`,
    [key.machineId],
  )) as { id: number }[];
  const status = async () =>
    ((await conn.execute(`select status from machines where id = ?`, [key.machineId])) as { status: string }[])[0]
      .status;

  const now = Date.now();
  expect((await postSigned(api, signHeartbeat(key, metrics(gpus(2)), now - 5_000))).body.data.status).toBe('offline');
  expect(await status()).toBe('offline');
  expect((await postSigned(api, signHeartbeat(key, metrics(gpus(2)), now))).body.data.status).toBe('online');
  expect(await status()).toBe('online');
  const [row] = (await conn.execute(`select status, resolved_at from alerts where id = ?`, [alert.id])) as {
    status: string;
    resolved_at: Date | null;
  }[];
  expect(row.status).toBe('resolved');
  expect(row.resolved_at).not.toBeNull();
});
