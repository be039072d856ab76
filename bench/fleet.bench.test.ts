// bench/fleet (issue #5): 1,000 simulated agents (signed heartbeats on loopback, one per 5 s each) plus
// 1,000 WebSocket clients for BENCH_SECONDS (default 60) against the real API process, next to a bare
// express + ws process doing the same Redis write per heartbeat and pushing same-sized snapshots,
// measured in the same run. Prints heartbeat ingest p50/p99, snapshot delivery p50/p99 and server CPU,
// with API/baseline ratios. Runs only with RUN_BENCH=1 (npm run bench). Needs the built dist/.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import { createSecretBox, hashSecret } from '@remotegpu/core';
import type { AgentHeartbeatMetrics } from '@remotegpu/core/contracts';
import { buildSignedHeartbeat } from '../agent-worker/src/heartbeat';
import { closedLoopbackPort } from '../tests/support/agent-process';
import { startTestApi, type TestApi, type TestCustomer } from '../tests/support/api-server';
import { dataDir, repoRoot, setting, testEnv, uniqueSuffix } from '../tests/support/env';
import { eventually } from '../tests/support/eventually';
import { gpus } from '../tests/support/fleet';

jest.setTimeout(900_000);

const AGENTS = Number(process.env.BENCH_AGENTS ?? 1000);
const WS_CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const ADMIN_CLIENTS = 10;
const TENANTS = Math.min(10, Math.floor(Number(process.env.BENCH_AGENTS ?? 1000) / 10));
const INTERVAL_MS = 5000;
const prefix = uniqueSuffix('bf').toLowerCase();

interface RunStats {
  ingest: number[];
  ingestErrors: number;
  errorsByStatus: Record<string, number>;
  delivery: number[];
  snapshots: number;
  cpuSeconds: number;
  wallSeconds: number;
}

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** utime + stime of a process in seconds (/proc/<pid>/stat, clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function startProcess(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  return { child, output: () => out };
}

async function waitForHttp(url: string): Promise<void> {
  await eventually(
    async () => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

const BASELINE_SOURCE = `
const express = require(${JSON.stringify(require.resolve('express'))});
const { Redis } = require(${JSON.stringify(require.resolve('ioredis'))});
const { WebSocketServer } = require(${JSON.stringify(require.resolve('ws'))});
const redis = new Redis(process.env.REDIS_URL);
const app = express();
app.post('/api/v1/agent/heartbeat', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
  const body = JSON.parse(req.body.toString('utf8'));
  await redis.set('bench:baseline:heartbeat:' + body.machine_id, String(Date.now()));
  res.json({ code: 0, msg: 'ok', data: { accepted: true } });
});
app.get('/healthz', (_req, res) => res.json({ ok: true }));
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
const wss = new WebSocketServer({ server, path: '/ws/connect' });
const fs = require('node:fs');
const adminMachines = JSON.parse(fs.readFileSync(process.env.ADMIN_SNAPSHOT_FILE, 'utf8'));
const tenantMachines = JSON.parse(fs.readFileSync(process.env.TENANT_SNAPSHOT_FILE, 'utf8'));
setInterval(() => {
  const generated_at = new Date().toISOString();
  const admin = JSON.stringify({ type: 'monitoring_update', data: { generated_at, machines: adminMachines } });
  const tenant = JSON.stringify({ type: 'monitoring_update', data: { generated_at, machines: tenantMachines } });
  for (const ws of wss.clients) ws.send(ws.isAdmin ? admin : tenant);
}, 5000);
wss.on('connection', (ws, req) => {
  ws.isAdmin = (req.url || '').includes('admin');
  ws.on('message', () => ws.send(JSON.stringify({ type: 'pong' })));
});
`;

async function runLoad(
  baseUrl: string,
  pid: number,
  heartbeat: (i: number, now: number) => { path: string; headers: Record<string, string>; body: string },
  wsUrl: (i: number) => string,
): Promise<RunStats> {
  const stats: RunStats = {
    ingest: [],
    ingestErrors: 0,
    errorsByStatus: {},
    delivery: [],
    snapshots: 0,
    cpuSeconds: 0,
    wallSeconds: 0,
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const { hostname, port } = new URL(baseUrl);
  const clients: WebSocket[] = [];
  const closeCodes: number[] = [];
  // Clients arrive in waves of 50 (a real fleet of browsers does not connect in the same millisecond).
  for (let i = 0; i < WS_CLIENTS; i += 50) {
    const wave = Array.from({ length: Math.min(50, WS_CLIENTS - i) }, (_, k) => {
      const ws = new WebSocket(wsUrl(i + k));
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as { type: string; data?: { generated_at?: string } };
        if (msg.type === 'monitoring_update' && msg.data?.generated_at) {
          stats.snapshots += 1;
          stats.delivery.push(Date.now() - Date.parse(msg.data.generated_at));
        }
      });
      ws.on('close', (code) => closeCodes.push(code));
      clients.push(ws);
      return new Promise<void>((resolve) => {
        ws.once('open', () => resolve());
        ws.once('error', () => resolve());
      });
    });
    await Promise.all(wave);
  }
  await eventually(
    () => {
      expect(closeCodes).toEqual([]);
      expect(clients.filter((c) => c.readyState === WebSocket.OPEN).length).toBe(WS_CLIENTS);
    },
    { timeoutMs: 30_000 },
  );
  stats.delivery = [];
  stats.snapshots = 0;

  const send = (i: number) => {
    const req = heartbeat(i, Date.now());
    const started = process.hrtime.bigint();
    const r = http.request(
      { host: hostname, port, path: req.path, method: 'POST', headers: req.headers, agent },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) stats.ingest.push(Number(process.hrtime.bigint() - started) / 1e6);
          else {
            stats.ingestErrors += 1;
            stats.errorsByStatus[String(res.statusCode)] = (stats.errorsByStatus[String(res.statusCode)] ?? 0) + 1;
          }
        });
      },
    );
    r.on('error', (err: NodeJS.ErrnoException) => {
      stats.ingestErrors += 1;
      stats.errorsByStatus[err.code ?? 'error'] = (stats.errorsByStatus[err.code ?? 'error'] ?? 0) + 1;
    });
    r.end(req.body);
  };
  const cpuStart = cpuSecondsOf(pid);
  const wallStart = Date.now();
  const timers: NodeJS.Timeout[] = [];
  for (let i = 0; i < AGENTS; i++) {
    timers.push(
      setTimeout(
        () => {
          send(i);
          timers.push(setInterval(() => send(i), INTERVAL_MS));
        },
        Math.floor((i * INTERVAL_MS) / AGENTS),
      ),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  for (const t of timers) clearTimeout(t);
  stats.cpuSeconds = cpuSecondsOf(pid) - cpuStart;
  stats.wallSeconds = (Date.now() - wallStart) / 1000;
  for (const c of clients) c.terminate();
  agent.destroy();
  return stats;
}

const describeBench = process.env.RUN_BENCH ? describe : describe.skip;

describeBench('bench/fleet', () => {
  let api: TestApi;
  const processes: ChildProcess[] = [];

  afterAll(async () => {
    for (const p of processes) p.kill('SIGTERM');
    await api?.app.locals.services.fleet.close();
    await api?.close();
  });

  it(`${AGENTS} agents at 1/5 s + ${WS_CLIENTS} WebSocket clients for ${SECONDS} s: API vs bare express + ws`, async () => {
    api = await startTestApi();
    const adminToken = await api.loginAdmin();
    const customers: TestCustomer[] = [];
    for (let t = 0; t < TENANTS; t++) customers.push(await api.createCustomer(`bf${t}`));

    // Machines + agent keys in bulk (issuing 1,000 keys through the API would spend minutes in argon2).
    const box = createSecretBox(setting('AGENT_CREDENTIALS_KEY'));
    const keys = Array.from({ length: AGENTS }, (_, i) => ({
      machineId: `${prefix}-${i}`,
      keyId: `ak_${prefix}_${i}`,
      secret: `bench-secret-${prefix}-${i}-0123456789`,
    }));
    const conn = api.em().getConnection();
    await conn.execute(
      `insert into machines (id, name, ip, ssh_port, gpu_count, status, allocation_status)
       select v.id, v.id, '10.200.' || (v.n / 250) || '.' || (v.n % 250 + 1), 22, 8, 'online', 'idle'
       from jsonb_to_recordset(?::jsonb) as v(id text, n int)`,
      [JSON.stringify(keys.map((k, n) => ({ id: k.machineId, n })))],
    );
    await conn.execute(
      `insert into agent_credentials (machine_id, key_id, secret_hash, secret_encrypted, status)
       select v.m, v.k, v.h, v.e, 'active' from jsonb_to_recordset(?::jsonb) as v(m text, k text, h text, e text)`,
      [
        JSON.stringify(
          keys.map((k) => ({ m: k.machineId, k: k.keyId, h: hashSecret(k.secret), e: box.encrypt(k.secret, k.keyId) })),
        ),
      ],
    );
    // Each tenant holds 10 machines, so customers' snapshots carry their own ten.
    for (let t = 0; t < TENANTS; t++) {
      for (let j = 0; j < 10; j++) {
        const machineId = keys[t * 10 + j].machineId;
        await conn.execute(
          `insert into allocations (id, tenant_id, machine_id, status, starts_at, expires_at, duration_months, unix_user)
           values (?, ?, ?, 'active', now(), now() + interval '30 days', 1, ?)`,
          [`alloc-${machineId}`, customers[t].tenantId, machineId, `t${t}`],
        );
      }
    }
    const body: AgentHeartbeatMetrics = { cpu_util: 30, mem_used_pct: 40, disk_used_pct: 50, gpus: gpus(8) };
    // Fresh sessions just before connecting: the shared Redis keys sessions by user id, and other test
    // files' scratch databases reuse the same ids (a password change there revokes ours).
    let tokens = { admin: adminToken, owners: customers.map((c) => c.ownerToken) };
    const refreshTokens = async () => {
      tokens = {
        admin: await api.loginAdmin(),
        owners: await Promise.all(
          customers.map(async (c) => (await api.login(c.ownerUsername, c.ownerPassword)).access_token),
        ),
      };
    };
    const wsToken = (i: number) => (i < ADMIN_CLIENTS ? tokens.admin : tokens.owners[i % TENANTS]);

    // --- baseline: bare express + ws, same Redis write, same-sized snapshots ---
    const benchDir = path.join(dataDir, 'bench');
    mkdirSync(benchDir, { recursive: true });
    const baselineFile = path.join(benchDir, `fleet-baseline-${prefix}.js`);
    writeFileSync(baselineFile, BASELINE_SOURCE);
    const fakeMachine = (i: number) => ({
      machine_id: `${prefix}-${i}`,
      name: `${prefix}-${i}`,
      status: 'online',
      allocation_status: 'idle',
      health_status: 'unknown',
      tenant_id: null,
      gpu_count: 8,
      gpu_model: null,
      gpu_util: 50,
      gpu_mem: 8000,
      gpu_mem_total: 652_472,
      cpu_util: 30,
      mem_used_pct: 40,
      disk_used_pct: 50,
      ts: 1,
      gpus: body.gpus,
    });
    const adminSnapshotFile = path.join(benchDir, `fleet-admin-${prefix}.json`);
    const tenantSnapshotFile = path.join(benchDir, `fleet-tenant-${prefix}.json`);
    writeFileSync(adminSnapshotFile, JSON.stringify(Array.from({ length: AGENTS }, (_, i) => fakeMachine(i))));
    writeFileSync(tenantSnapshotFile, JSON.stringify(Array.from({ length: 10 }, (_, i) => fakeMachine(i))));
    const basePort = await closedLoopbackPort();
    const baseline = startProcess([baselineFile], {
      ...process.env,
      PORT: String(basePort),
      REDIS_URL: testEnv.redisUrl,
      ADMIN_SNAPSHOT_FILE: adminSnapshotFile,
      TENANT_SNAPSHOT_FILE: tenantSnapshotFile,
    });
    processes.push(baseline.child);
    await waitForHttp(`http://127.0.0.1:${basePort}/healthz`);
    const baseStats = await runLoad(
      `http://127.0.0.1:${basePort}`,
      baseline.child.pid!,
      (i, now) => {
        const signed = buildSignedHeartbeat(
          { ...keys[i], agentVersion: 'bench', apiUrl: `http://127.0.0.1:${basePort}` },
          body,
          now,
        );
        return { path: '/api/v1/agent/heartbeat', headers: signed.headers, body: signed.body };
      },
      (i) => `ws://127.0.0.1:${basePort}/ws/connect?${i < ADMIN_CLIENTS ? 'admin' : 'customer'}`,
    );
    baseline.child.kill('SIGTERM');

    // --- the real API process on the same database ---
    const apiPort = await closedLoopbackPort();
    const apiProc = startProcess([path.join(repoRoot, 'api', 'dist', 'main.js')], {
      ...testEnv.processEnv(),
      DATABASE_URL: api.databaseUrl,
      API_PORT: String(apiPort),
      API_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    processes.push(apiProc.child);
    try {
      await waitForHttp(`http://127.0.0.1:${apiPort}/healthz`);
    } catch (err) {
      throw new Error(`API did not start: ${(err as Error).message}\n${apiProc.output()}`);
    }
    await refreshTokens();
    const apiStats = await runLoad(
      `http://127.0.0.1:${apiPort}`,
      apiProc.child.pid!,
      (i, now) => {
        const signed = buildSignedHeartbeat(
          { ...keys[i], agentVersion: 'bench', apiUrl: `http://127.0.0.1:${apiPort}` },
          body,
          now,
        );
        return { path: '/api/v1/agent/heartbeat', headers: signed.headers, body: signed.body };
      },
      (i) => `ws://127.0.0.1:${apiPort}/ws/connect?token=${encodeURIComponent(wsToken(i))}`,
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n--- API output ---\n${apiProc.output().slice(-4000)}`);
    });
    apiProc.child.kill('SIGTERM');
    const [{ n: rows }] = (await conn.execute(`select count(*) as n from metric_samples where machine_id like ?`, [
      `${prefix}-%`,
    ])) as { n: string }[];

    const line = (label: string, api: number, base: number, unit: string) =>
      `${label.padEnd(34)} api ${api.toFixed(2).padStart(9)} ${unit.padEnd(4)} baseline ${base.toFixed(2).padStart(9)} ${unit.padEnd(4)} ratio ${(api / base).toFixed(2)}x`;
    const cpu = (s: RunStats) => (s.cpuSeconds / s.wallSeconds) * 100;
    const report = [
      `bench/fleet: ${AGENTS} agents @ 1/${INTERVAL_MS / 1000}s + ${WS_CLIENTS} ws clients (${ADMIN_CLIENTS} admin) for ${SECONDS}s`,
      line('heartbeat ingest p50', percentile(apiStats.ingest, 50), percentile(baseStats.ingest, 50), 'ms'),
      line('heartbeat ingest p99', percentile(apiStats.ingest, 99), percentile(baseStats.ingest, 99), 'ms'),
      line('snapshot delivery p50', percentile(apiStats.delivery, 50), percentile(baseStats.delivery, 50), 'ms'),
      line('snapshot delivery p99', percentile(apiStats.delivery, 99), percentile(baseStats.delivery, 99), 'ms'),
      line('server CPU (one process)', cpu(apiStats), cpu(baseStats), '%'),
      `heartbeat errors by status: api ${JSON.stringify(apiStats.errorsByStatus)}, baseline ${JSON.stringify(baseStats.errorsByStatus)}`,
      `heartbeats ok/errors: api ${apiStats.ingest.length}/${apiStats.ingestErrors}, baseline ${baseStats.ingest.length}/${baseStats.ingestErrors}; snapshots received: api ${apiStats.snapshots}, baseline ${baseStats.snapshots}; metric rows written: ${rows}`,
    ].join('\n');
    console.log(report);

    expect(apiStats.ingestErrors).toBe(0);
    expect(apiStats.ingest.length).toBeGreaterThan(AGENTS * (SECONDS / 5) * 0.9);
    expect(apiStats.snapshots).toBeGreaterThan(0);
  });
});
