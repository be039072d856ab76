// bench/allocation (issue #4): end-to-end allocation latency through the HTTP API — from
// `POST /admin/machines/:id/allocate` until the tenant's SSH key logs in over ssh2 — p50/p99 over
// BENCH_ALLOC_SEQUENTIAL (50) sequential allocations cycling through the hosts, and the throughput of one
// allocation per host started at once; next to the baseline measured in the same run on the same hosts:
// `POST /admin/hosts/:id/ping` (a bare workflow with one activity on the same host queue). Simulated
// hosts: BENCH_ALLOC_HOSTS (20) containers on 127.0.8.x (this bench's range), real sshd + real agent,
// the real control worker process, the API in-process behind a loopback HTTP server.
// Runs only with RUN_BENCH=1 (npm run bench). Needs the built dist/ (`npx tsc -b tsconfig.build.json`).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { utils as sshUtils } from 'ssh2';
import { tenantUnixUser } from '@remotegpu/core';
import {
  startControlWorkerProcess,
  stopAllProcesses,
  withProcessLogs,
  type ManagedProcess,
} from '../tests/support/agent-process';
import { bearer, startTestApi, type TestApi, type TestCustomer } from '../tests/support/api-server';
import { dataDir, repoRoot, uniqueSuffix } from '../tests/support/env';
import { eventually } from '../tests/support/eventually';
import { simHostAgentEnv } from '../tests/support/lifecycle';
import { SimHost, docker } from '../tests/support/simhost';
import { sshCanLogin } from '../tests/support/ssh';
import { formatNumber, ratio, renderTable, summarize, throughputPerSecond, type Summary } from './stats';

jest.setTimeout(1_800_000);

const HOSTS = Number(process.env.BENCH_ALLOC_HOSTS ?? 20);
const SEQUENTIAL = Number(process.env.BENCH_ALLOC_SEQUENTIAL ?? 50);
const SSH_POLL_MS = 50;
const suffix = uniqueSuffix('ba').toLowerCase();
const controlQueue = `control-${suffix}`;
const bundlePath = path.join(dataDir, 'bench', `allocation-workflow-bundle-${suffix}.js`);

const START_CONCURRENCY = 5;

interface Target {
  machineId: string;
  name: string;
  ip: string;
  host?: SimHost;
}

const targets: Target[] = Array.from({ length: HOSTS }, (_, i) => ({
  machineId: `m-${suffix}-${i + 1}`,
  name: `ba-${suffix.slice(-4)}-${i + 1}`,
  ip: `127.0.8.${i + 1}`,
}));

/** Runs `work` over `items`, at most `size` at a time; fails after all settled when one failed. */
async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const failures: unknown[] = [];
  await Promise.all(
    Array.from({ length: size }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
        await work(item).catch((err: unknown) => failures.push(err));
      }
    }),
  );
  if (failures.length) throw failures[0];
}

let api: TestApi;
let server: Server;
let baseUrl: string;
let worker: ManagedProcess;
let admin: string;
let customer: TestCustomer;
let unixUser: string;
let privateKey: string;

async function post<T>(urlPath: string, body: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${urlPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(admin) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { code: unknown; data: T; msg: string };
  if (!res.ok) throw new Error(`POST ${urlPath} → ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

async function get<T>(urlPath: string): Promise<T> {
  const res = await fetch(`${baseUrl}${urlPath}`, { headers: bearer(admin) });
  const json = (await res.json()) as { data: T };
  if (!res.ok) throw new Error(`GET ${urlPath} → ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

async function operationSucceeds(operationId: string): Promise<void> {
  const op = await eventually(
    async () => {
      const found = await get<{ status: string; error: string | null }>(`/api/v1/admin/operations/${operationId}`);
      if (found.status === 'pending' || found.status === 'running')
        throw new Error(`operation ${operationId} is ${found.status}`);
      return found;
    },
    { timeoutMs: 300_000, intervalMs: 250 },
  );
  if (op.status !== 'succeeded') throw new Error(`operation ${operationId} ${op.status}: ${op.error}`);
}

/** Polls ssh logins with the tenant key until one succeeds; resolves with the time it did (resolution ≈ one handshake + SSH_POLL_MS). */
async function keyLogsIn(ip: string): Promise<number> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (await sshCanLogin({ host: ip, username: unixUser, privateKey, timeoutMs: 15_000 })) return performance.now();
    if (Date.now() > deadline) throw new Error(`the tenant key never logged in on ${ip}`);
    // A short pause between attempts: back-to-back handshakes of 20 pollers would load the 2 cores under test.
    await new Promise((resolve) => setTimeout(resolve, SSH_POLL_MS));
  }
}

/** One allocation through the API; returns ms from the request until the key logs in. */
async function timedAllocation(target: Target): Promise<{ ms: number; operationId: string }> {
  const started = performance.now();
  const data = await post<{ operation_id: string }>(`/api/v1/admin/machines/${target.machineId}/allocate`, {
    tenant_id: customer.tenantId,
    duration_months: 1,
    remark: 'bench',
  });
  const loggedIn = await keyLogsIn(target.ip);
  return { ms: loggedIn - started, operationId: data.operation_id };
}

/** The baseline: one host ping (hostPingWorkflow, one activity on host-<id>) through the API. */
async function timedPing(target: Target): Promise<number> {
  const started = performance.now();
  await post(`/api/v1/admin/hosts/${target.machineId}/ping`, {});
  return performance.now() - started;
}

/** Reclaims (untimed) every given machine at once and waits until all are idle again. */
async function reclaimAll(list: Target[], allocateOperations: string[]): Promise<void> {
  await Promise.all(allocateOperations.map(operationSucceeds));
  const reclaims = await Promise.all(
    list.map((t) =>
      post<{ task_id: string }>(`/api/v1/admin/machines/${t.machineId}/reclaim`, { reason: 'bench', force: true }),
    ),
  );
  await Promise.all(reclaims.map((r) => operationSucceeds(r.task_id)));
}

async function concurrently(count: number, run: (target: Target) => Promise<number>) {
  const started = performance.now();
  const latencies = await Promise.all(targets.slice(0, count).map(run));
  return { wallMs: performance.now() - started, latencies };
}

beforeAll(async () => {
  const setupStarted = performance.now();
  mkdirSync(path.dirname(bundlePath), { recursive: true });
  const [bundle, testApi] = await Promise.all([
    bundleWorkflowCode({
      workflowsPath: path.join(repoRoot, 'workflows', 'src', 'index.ts'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
    }),
    startTestApi({
      configure: (config) => ({ ...config, temporal: { ...config.temporal, controlTaskQueue: controlQueue } }),
    }),
  ]);
  writeFileSync(bundlePath, bundle.code);
  api = testApi;
  server = api.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  admin = await api.loginAdmin();

  customer = await api.createCustomer('bench');
  unixUser = tenantUnixUser(customer.companyCode);
  const keys = sshUtils.generateKeyPairSync('ed25519', { comment: `${customer.companyCode}@bench` });
  privateKey = keys.private;
  await api.request
    .post('/api/v1/customer/keys')
    .set(bearer(customer.ownerToken))
    .send({ name: 'bench', public_key: keys.public })
    .expect(201);

  const credentials = await Promise.all(
    targets.map(async (t) => {
      const data = await post<{ agent_credentials: { key_id: string; secret: string } }>('/api/v1/admin/machines', {
        id: t.machineId,
        name: t.machineId,
        ip: t.ip,
        ssh_port: 22,
        gpu_model: 'NVIDIA H100 80GB HBM3',
        gpu_count: 8,
      });
      return data.agent_credentials;
    }),
  );

  worker = await startControlWorkerProcess({
    taskQueue: controlQueue,
    workflowBundlePath: bundlePath,
    env: { DATABASE_URL: api.databaseUrl },
    readyTimeoutMs: 60_000,
  });
  // Started a few at a time (20 at once overloads 2 cores: sshd misses ctl's start deadline), each retried
  // once; heartbeats off: the bench measures the workflow path only.
  await inBatches(targets, START_CONCURRENCY, async (t) => {
    const i = targets.indexOf(t);
    const env = {
      ...simHostAgentEnv(t.machineId),
      AGENT_KEY_ID: credentials[i].key_id,
      AGENT_SECRET: credentials[i].secret,
      HEARTBEAT_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    };
    t.host = await SimHost.start(t.name, t.ip, env).catch(() => SimHost.start(t.name, t.ip, env));
  });
  // Every agent answers before anything is measured.
  await Promise.all(targets.map((t) => eventually(() => timedPing(t), { timeoutMs: 120_000, intervalMs: 500 })));
  process.stdout.write(
    `bench/allocation: ${HOSTS} simulated hosts ready in ${formatNumber((performance.now() - setupStarted) / 1000)} s\n`,
  );
});

afterAll(async () => {
  await stopAllProcesses();
  // A failed run must not leave workflows (a lease lasts months) on this queue behind in the shared server.
  if (api) {
    for await (const run of api.deps.temporal.workflow.list({
      query: `TaskQueue = '${controlQueue}' AND ExecutionStatus = 'Running'`,
    })) {
      await api.deps.temporal.workflow
        .getHandle(run.workflowId, run.runId)
        .terminate('test cleanup')
        .catch(() => undefined);
    }
  }
  // By name: a host whose start had not finished when a failure ended the run goes too.
  await docker(['rm', '-f', ...targets.map((t) => `simhost-${t.name}`)]);
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await api?.close();
  rmSync(bundlePath, { force: true });
});

async function runBench(): Promise<void> {
  const loadBefore = os.loadavg()[0];
  // Warm-up (not measured): one allocation and reclaim, a few pings.
  const warm = await timedAllocation(targets[0]);
  await reclaimAll([targets[0]], [warm.operationId]);
  for (const t of targets.slice(0, 3)) await timedPing(t);

  // Baseline, sequential: one ping at a time, cycling through the hosts.
  const pingSequential: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i += 1) pingSequential.push(await timedPing(targets[i % HOSTS]));

  // Allocation, sequential: one at a time, cycling; after each pass over the hosts they are reclaimed
  // together (untimed), so every measured allocation starts on an idle machine with nothing else running.
  const allocSequential: number[] = [];
  let pass: { target: Target; operationId: string }[] = [];
  for (let i = 0; i < SEQUENTIAL; i += 1) {
    const target = targets[i % HOSTS];
    const { ms, operationId } = await timedAllocation(target);
    allocSequential.push(ms);
    pass.push({ target, operationId });
    if (pass.length === HOSTS || i === SEQUENTIAL - 1) {
      await reclaimAll(
        pass.map((p) => p.target),
        pass.map((p) => p.operationId),
      );
      pass = [];
    }
  }

  // Concurrent: one request per host at once.
  const pingConcurrent = await concurrently(HOSTS, timedPing);
  const operations: string[] = [];
  const allocConcurrent = await concurrently(HOSTS, async (t) => {
    const { ms, operationId } = await timedAllocation(t);
    operations.push(operationId);
    return ms;
  });
  await reclaimAll(targets, operations);

  const a = summarize(allocSequential);
  const b = summarize(pingSequential);
  const ac = summarize(allocConcurrent.latencies);
  const bc = summarize(pingConcurrent.latencies);
  const aThroughput = throughputPerSecond(HOSTS, allocConcurrent.wallMs);
  const bThroughput = throughputPerSecond(HOSTS, pingConcurrent.wallMs);
  const row = (label: string, alloc: number, ping: number): string[] => [
    label,
    formatNumber(alloc),
    formatNumber(ping),
    formatNumber(ratio(alloc, ping), 2),
  ];
  const latencyRows = (label: string, x: Summary, y: Summary) => [
    row(`${label} p50 (ms)`, x.p50, y.p50),
    row(`${label} p99 (ms)`, x.p99, y.p99),
    row(`${label} mean (ms)`, x.mean, y.mean),
    row(`${label} min (ms)`, x.min, y.min),
    row(`${label} max (ms)`, x.max, y.max),
  ];
  const table = renderTable(
    ['metric', 'allocation', 'ping (baseline)', 'alloc / ping'],
    [
      ...latencyRows(`sequential x${SEQUENTIAL}`, a, b),
      ...latencyRows(`concurrent x${HOSTS}`, ac, bc),
      row(`concurrent x${HOSTS} wall (ms)`, allocConcurrent.wallMs, pingConcurrent.wallMs),
      row(`concurrent x${HOSTS} throughput (/s)`, aThroughput, bThroughput),
    ],
  );
  // Other work on the machine (other test runs) skews the figures: say how busy it was.
  const load = `1-min load average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after`;
  process.stdout.write(
    `\nbench/allocation — ${HOSTS} simulated hosts, ${os.cpus().length} cores, ${load}\n` +
      'allocation = POST /admin/machines/:id/allocate until the tenant key logs in over ssh2;\n' +
      'ping = POST /admin/hosts/:id/ping (hostPingWorkflow: one activity on the same host queue)\n\n' +
      `${table}\n\n`,
  );

  expect(allocSequential).toHaveLength(SEQUENTIAL);
  expect(allocConcurrent.latencies).toHaveLength(HOSTS);
  expect(Number.isFinite(a.p99) && Number.isFinite(b.p99)).toBe(true);
}

it(`allocation (request → SSH key logs in) vs. one host activity, ${HOSTS} hosts`, () =>
  withProcessLogs(worker, runBench));
