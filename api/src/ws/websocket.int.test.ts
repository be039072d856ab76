// WebSocket /ws/connect with real ws clients against an API listening on loopback: bad tokens are
// closed with 4401, ping/pong, monitoring_update snapshots (admin: whole fleet, customer: own tenant
// only) and alert events relayed through Redis pub/sub — a customer never sees another tenant's machine.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { OPERATION_EVENTS_CHANNEL } from '@remotegpu/core/contracts';
import { bearer, startTestApi, type TestApi, type TestCustomer } from '../../../tests/support/api-server';
import { uniqueSuffix } from '../../../tests/support/env';
import { eventually } from '../../../tests/support/eventually';
import {
  gpus,
  insertAllocation,
  insertMachine,
  issueAgentKey,
  metrics,
  postSigned,
  signHeartbeat,
} from '../../../tests/support/fleet';
import { attachWebSocket, WS_CLOSE_UNAUTHORIZED, type WebSocketHub } from './websocket';

interface Message {
  type: string;
  data: Record<string, unknown>;
}

interface TestClient {
  ws: WebSocket;
  messages: Message[];
  raw: string[];
  closed: Promise<number>;
}

let api: TestApi;
let server: Server;
let hub: WebSocketHub;
let url: string;
let admin: string;
let tenantA: TestCustomer;
let tenantB: TestCustomer;
const prefix = uniqueSuffix('ws').toLowerCase();
const machineA = `${prefix}-a`;
const machineB = `${prefix}-b`;
const machineFree = `${prefix}-free`;
const open: WebSocket[] = [];

function connect(token: string): Promise<TestClient> {
  const ws = new WebSocket(`${url}/ws/connect?token=${encodeURIComponent(token)}`);
  open.push(ws);
  const client: TestClient = {
    ws,
    messages: [],
    raw: [],
    closed: new Promise((resolve) => ws.on('close', (code) => resolve(code))),
  };
  ws.on('message', (data) => {
    client.raw.push(data.toString());
    client.messages.push(JSON.parse(data.toString()) as Message);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

const snapshots = (c: TestClient) => c.messages.filter((m) => m.type === 'monitoring_update');
const machineIds = (m: Message) => (m.data.machines as { machine_id: string }[]).map((x) => x.machine_id).sort();

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.loginAdmin();
  tenantA = await api.createCustomer('ws-a');
  tenantB = await api.createCustomer('ws-b');
  for (const id of [machineA, machineB, machineFree])
    await insertMachine(api.em(), { id, gpuCount: 2, status: 'online' });
  await insertAllocation(api.em(), machineA, tenantA.tenantId);
  await insertAllocation(api.em(), machineB, tenantB.tenantId);
  for (const id of [machineA, machineB]) {
    const key = await issueAgentKey(api, admin, id);
    await postSigned(api, signHeartbeat(key, metrics(gpus(2, { util_pct: id === machineA ? 11 : 22 })))).expect(200);
  }
  server = createServer(api.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { tokens, fleet } = api.app.locals.services;
  hub = attachWebSocket(server, {
    ...api.deps,
    tokens,
    snapshots: fleet.snapshots,
    monitoringIntervalMs: 300,
    machineIdPrefix: prefix,
  });
});

afterAll(async () => {
  for (const ws of open) ws.terminate();
  await hub.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await api.app.locals.services.fleet.close();
  await api.close();
});

it('closes connections with a missing, forged or revoked token with 4401', async () => {
  const none = await connect('');
  expect(await none.closed).toBe(WS_CLOSE_UNAUTHORIZED);
  const forged = await connect('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  expect(await forged.closed).toBe(WS_CLOSE_UNAUTHORIZED);
  const session = await api.login(tenantA.ownerUsername, tenantA.ownerPassword);
  await api.request
    .post('/api/v1/auth/logout')
    .set(bearer(session.access_token))
    .send({ refresh_token: session.refresh_token });
  const revoked = await connect(session.access_token);
  expect(await revoked.closed).toBe(WS_CLOSE_UNAUTHORIZED);
});

it('answers ping with pong, also when sent right after connecting', async () => {
  const client = await connect(tenantA.ownerToken);
  client.ws.send(JSON.stringify({ type: 'ping' }));
  await eventually(() =>
    expect(client.messages.map((m) => m.type)).toEqual(expect.arrayContaining(['connected', 'pong'])),
  );
  client.ws.send('not json');
  await eventually(() => expect(client.messages.some((m) => m.type === 'error')).toBe(true));
});

it("pushes the whole fleet to admins and only the tenant's machines to each customer", async () => {
  const adminClient = await connect(admin);
  const a = await connect(tenantA.ownerToken);
  const b = await connect(tenantB.ownerToken);
  await eventually(
    () => {
      expect(snapshots(adminClient).length).toBeGreaterThanOrEqual(2);
      expect(snapshots(a).length).toBeGreaterThanOrEqual(2);
      expect(snapshots(b).length).toBeGreaterThanOrEqual(2);
    },
    { timeoutMs: 15_000 },
  );
  expect(machineIds(snapshots(adminClient)[0])).toEqual([machineA, machineB, machineFree].sort());
  for (const s of snapshots(a)) expect(machineIds(s)).toEqual([machineA]);
  for (const s of snapshots(b)) expect(machineIds(s)).toEqual([machineB]);
  const aMachine = (snapshots(a)[0].data.machines as { gpu_util: number; tenant_id: number }[])[0];
  expect(aMachine).toMatchObject({ gpu_util: 11, tenant_id: tenantA.tenantId });

  // Alert on B's machine: admin and B get it, A does not.
  await api
    .em()
    .getConnection()
    .execute(
      `insert into alerts (machine_id, kind, severity, status, message) values (?, 'gpu_overheat', 'warning', 'active', 'hot')`,
      [machineB],
    );
  const [{ id: alertId }] = (await api
    .em()
    .getConnection()
    .execute(`select id from alerts where machine_id = ?`, [machineB])) as {
    id: number;
  }[];
  await api.request.post(`/api/v1/admin/alerts/${alertId}/acknowledge`).set(bearer(admin)).expect(200);
  await eventually(() => {
    expect(adminClient.messages.some((m) => m.type === 'alert_event')).toBe(true);
    expect(b.messages.some((m) => m.type === 'alert_event')).toBe(true);
  });
  // Events and snapshots share one ordered Redis subscription: a snapshot A receives after B got the
  // alert proves A's relay has passed that event.
  const seen = snapshots(a).length;
  await eventually(() => expect(snapshots(a).length).toBeGreaterThan(seen), { timeoutMs: 10_000 });

  expect(a.raw.join('\n')).not.toContain(machineB);
  expect(a.raw.join('\n')).not.toContain(machineFree);
  expect(b.raw.join('\n')).not.toContain(machineA);
  expect(a.messages.some((m) => m.type === 'alert_event')).toBe(false);
  expect(hub.clientCount()).toBeGreaterThanOrEqual(3);

  // operation_update: published by whoever updates an operation, relayed to its tenant and admins.
  await api.deps.redis.publish(
    OPERATION_EVENTS_CHANNEL,
    JSON.stringify({
      operation_id: `op-${prefix}`,
      machine_id: machineA,
      tenant_id: tenantA.tenantId,
      status: 'running',
    }),
  );
  await eventually(() => {
    expect(a.messages.filter((m) => m.type === 'operation_update').map((m) => m.data.operation_id)).toEqual([
      `op-${prefix}`,
    ]);
    expect(
      adminClient.messages.some((m) => m.type === 'operation_update' && m.data.operation_id === `op-${prefix}`),
    ).toBe(true);
  });
  const seenB = snapshots(b).length;
  await eventually(() => expect(snapshots(b).length).toBeGreaterThan(seenB), { timeoutMs: 10_000 });
  expect(b.raw.join('\n')).not.toContain(`op-${prefix}`);
});
