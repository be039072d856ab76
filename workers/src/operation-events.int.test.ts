// operation_update end to end, with the control activities exactly as the control worker builds them
// (buildControlActivities over the real PostgreSQL scratch database and Redis): a step recorded on an
// operation → an event on the operations channel with the operation id, status, current step and the
// tenant; the API's WebSocket relays it to that tenant's customer and to admins, never to another tenant.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createControlActivities, withOperationEvents } from '@remotegpu/activities';
import { Redis } from 'ioredis';
import pino from 'pino';
import WebSocket from 'ws';
import { OPERATION_EVENTS_CHANNEL } from '@remotegpu/core/contracts';
import { attachWebSocket, type WebSocketHub } from '../../api/src/ws/websocket';
import { startTestApi, type TestApi, type TestCustomer } from '../../tests/support/api-server';
import { testEnv, uniqueSuffix } from '../../tests/support/env';
import { eventually } from '../../tests/support/eventually';
import { insertAllocation, insertMachine } from '../../tests/support/fleet';
import { buildControlActivities } from './control-activities';

interface Message {
  type: string;
  data: Record<string, unknown>;
}

const prefix = uniqueSuffix('opev').toLowerCase();
const machineA = `${prefix}-a`;
const machineB = `${prefix}-b`;
const opA = `op-${prefix}-a`;
const opA2 = `op-${prefix}-a2`;
const opB = `op-${prefix}-b`;

let api: TestApi;
let tenantA: TestCustomer;
let tenantB: TestCustomer;
let workerRedis: Redis;
let subscriber: Redis;
let server: Server;
let hub: WebSocketHub;
let url: string;
const channelEvents: Record<string, unknown>[] = [];
const sockets: WebSocket[] = [];

async function insertOperation(id: string, machineId: string, tenantId: number): Promise<void> {
  await api
    .em()
    .getConnection()
    .execute(
      `insert into operations (id, kind, machine_id, tenant_id, workflow_id, status, steps)
       values (?, 'reclaim', ?, ?, ?, 'pending', '[]')`,
      [id, machineId, tenantId, `wf-${id}`],
    );
}

async function connect(token: string): Promise<Message[]> {
  const ws = new WebSocket(`${url}/ws/connect?token=${encodeURIComponent(token)}`);
  sockets.push(ws);
  const messages: Message[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as Message));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  // The hub greets an accepted client; after that it is registered for relays.
  await eventually(() => expect(messages.some((m) => m.type === 'connected')).toBe(true));
  return messages;
}

const operationUpdates = (messages: Message[]) =>
  messages.filter((m) => m.type === 'operation_update').map((m) => m.data);

beforeAll(async () => {
  api = await startTestApi();
  tenantA = await api.createCustomer('opev-a');
  tenantB = await api.createCustomer('opev-b');
  await insertMachine(api.em(), { id: machineA, status: 'online' });
  await insertMachine(api.em(), { id: machineB, status: 'online' });
  await insertAllocation(api.em(), machineA, tenantA.tenantId);
  await insertAllocation(api.em(), machineB, tenantB.tenantId);
  await insertOperation(opA, machineA, tenantA.tenantId);
  await insertOperation(opA2, machineA, tenantA.tenantId);
  await insertOperation(opB, machineB, tenantB.tenantId);

  subscriber = new Redis(testEnv.redisUrl);
  await subscriber.subscribe(OPERATION_EVENTS_CHANNEL);
  subscriber.on('message', (_channel, message: string) => {
    const event = JSON.parse(message) as Record<string, unknown>;
    if (String(event.operation_id).startsWith(`op-${prefix}`)) channelEvents.push(event);
  });
  workerRedis = new Redis(testEnv.redisUrl);

  server = createServer(api.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { tokens, fleet } = api.app.locals.services;
  hub = attachWebSocket(server, { ...api.deps, tokens, snapshots: fleet.snapshots, machineIdPrefix: prefix });
});

afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await hub?.close();
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  subscriber?.disconnect();
  workerRedis?.disconnect();
  await api?.close();
});

const activities = () => buildControlActivities({ orm: api.deps.orm, redis: workerRedis }, pino({ level: 'silent' }));

it('publishes the stored operation after each step and at the end, with its tenant', async () => {
  const control = activities();
  await control.recordOperationStep({ operationId: opA, step: 'kill_processes', status: 'running' });
  await eventually(() => expect(channelEvents).toHaveLength(1));
  expect(channelEvents[0]).toMatchObject({
    operation_id: opA,
    kind: 'reclaim',
    status: 'running',
    machine_id: machineA,
    tenant_id: tenantA.tenantId,
    current_step: 'kill_processes',
    steps: [{ name: 'kill_processes', status: 'running', ended_at: null, error: null }],
  });
  // Nothing a tenant must not see.
  expect(Object.keys(channelEvents[0])).not.toEqual(
    expect.arrayContaining([expect.stringMatching(/workflow_id|run_id|requested_by|result/)]),
  );

  await control.recordOperationStep({ operationId: opA, step: 'kill_processes', status: 'succeeded' });
  await control.finishOperation({ operationId: opA, status: 'succeeded', result: { secret: 'never-published' } });
  await eventually(() => expect(channelEvents).toHaveLength(3));
  expect(channelEvents[1]).toMatchObject({ operation_id: opA, status: 'running' });
  expect(channelEvents[2]).toMatchObject({
    operation_id: opA,
    status: 'succeeded',
    tenant_id: tenantA.tenantId,
    current_step: null,
    finished_at: expect.any(String),
  });
  expect(JSON.stringify(channelEvents)).not.toContain('never-published');
  // What was published is what is stored.
  const [row] = (await api.em().getConnection().execute(`select status from operations where id = ?`, [opA])) as {
    status: string;
  }[];
  expect(row.status).toBe('succeeded');
});

it("relays a real operation change to its tenant's WebSocket and admins only", async () => {
  const [customerA, customerB, admin] = await Promise.all([
    connect(tenantA.ownerToken),
    connect(tenantB.ownerToken),
    api.loginAdmin().then(connect),
  ]);
  const control = activities();
  await control.recordOperationStep({ operationId: opB, step: 'wipe_data', status: 'running' });
  await control.recordOperationStep({ operationId: opA2, step: 'verify_clean', status: 'failed', error: 'keys left' });
  await control.finishOperation({ operationId: opA2, status: 'failed', error: 'verify_clean: keys left' });

  await eventually(() => {
    expect(operationUpdates(customerA).map((e) => [e.operation_id, e.status, e.current_step])).toEqual([
      [opA2, 'running', 'verify_clean'],
      [opA2, 'failed', 'verify_clean'],
    ]);
    expect(operationUpdates(customerB).map((e) => [e.operation_id, e.current_step])).toEqual([[opB, 'wipe_data']]);
    expect(operationUpdates(admin).map((e) => e.operation_id)).toEqual(expect.arrayContaining([opA2, opB]));
  });
  expect(operationUpdates(customerA)[0].tenant_id).toBe(tenantA.tenantId);
  expect(operationUpdates(customerA)[1].error).toBe('verify_clean: keys left');
  expect(JSON.stringify(customerA)).not.toContain(opB);
  expect(JSON.stringify(customerB)).not.toContain(`op-${prefix}-a`);
});

it('a publisher that fails does not fail the step: the row is stored, the loss logged', async () => {
  const warnings: string[] = [];
  const control = withOperationEvents(
    createControlActivities({ orm: api.deps.orm, clock: { now: () => new Date() } }),
    {
      orm: api.deps.orm,
      publisher: {
        publish: () => Promise.reject(new Error('redis down')),
      },
      clock: { now: () => new Date() },
      log: { warn: (obj, msg) => warnings.push(`${msg}: ${JSON.stringify(obj)}`) },
    },
  );
  await control.recordOperationStep({ operationId: opB, step: 'wipe_data', status: 'succeeded' });
  const [row] = (await api.em().getConnection().execute(`select steps from operations where id = ?`, [opB])) as {
    steps: { name: string; status: string }[];
  }[];
  expect(row.steps).toEqual([expect.objectContaining({ name: 'wipe_data', status: 'succeeded' })]);
  expect(warnings).toEqual([expect.stringMatching(/operation event not published.*redis down/)]);
});
