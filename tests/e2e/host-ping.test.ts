// hostPingWorkflow end to end: the real built agent process answers on host-<machineId>; with no agent
// on the queue the workflow fails fast with HOST_UNREACHABLE. Needs `npx tsc -b tsconfig.build.json`.
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { verifyAgentRequest } from '@remotegpu/core';
import {
  AGENT_HEARTBEAT_PATH,
  FAILURE_TYPES,
  hostPingWorkflowId,
  hostTaskQueue,
  type AgentHeartbeatBody,
  type HostPingResult,
} from '@remotegpu/core/contracts';
import { startControlWorker, type RunningControlWorker } from '../../workers/src/control-worker';
import {
  closedLoopbackPort,
  startAgentProcess,
  startControlWorkerProcess,
  stopAllProcesses,
  withProcessLogs,
} from '../support/agent-process';
import { eventually } from '../support/eventually';
import { repoRoot, testEnv, uniqueSuffix } from '../support/env';
import { workflowBundlePath } from '../support/global-setup';

jest.setTimeout(60_000);

const suffix = uniqueSuffix('ping');
const controlQueue = `control-${suffix}`;
const machineIdKey = defineSearchAttributeKey('MachineId', SearchAttributeType.KEYWORD);
const operationKindKey = defineSearchAttributeKey('OperationKind', SearchAttributeType.KEYWORD);

let connection: Connection;
let client: Client;
let controlWorker: RunningControlWorker;

beforeAll(async () => {
  connection = await Connection.connect({ address: testEnv.temporalAddress });
  client = new Client({ connection, namespace: testEnv.temporalNamespace });
  controlWorker = await startControlWorker({
    connection: { address: testEnv.temporalAddress },
    namespace: testEnv.temporalNamespace,
    taskQueue: controlQueue,
    workflowBundlePath,
    logger: pino({ level: 'silent' }),
    shutdownGraceMs: 1000,
  });
});

afterAll(async () => {
  await stopAllProcesses();
  await controlWorker?.shutdown();
  await connection?.close();
});

describe('hostPingWorkflow', () => {
  it('is answered by the real agent process on host-<machineId>, while its heartbeats fail harmlessly', async () => {
    const machineId = `m-${suffix}`;
    const agent = await startAgentProcess({
      machineId,
      env: { API_URL: `http://127.0.0.1:${await closedLoopbackPort()}`, HEARTBEAT_INTERVAL_MS: '500' },
    });
    expect(agent.taskQueue).toBe(hostTaskQueue(machineId));

    await withProcessLogs(agent, async () => {
      // The API is down: the agent logs the failed heartbeat and keeps serving.
      await agent.waitForLog(/heartbeat failed; retrying next tick/);
      const handle = await client.workflow.start('hostPingWorkflow', {
        taskQueue: controlQueue,
        workflowId: hostPingWorkflowId(machineId, suffix),
        args: [{ machineId, scheduleToStartTimeoutMs: 10_000 }],
      });
      const result = (await handle.result()) as HostPingResult;
      expect(result.machineId).toBe(machineId);
      expect(result.hostname).toBe(os.hostname());
      expect(result.agentVersion).toMatch(/^\d+\.\d+\.\d+/);
      expect(result.uptimeSeconds).toBeGreaterThan(0);
      expect(Date.parse(result.receivedAt)).toBeGreaterThan(Date.now() - 60_000);

      const description = await handle.describe();
      expect(description.typedSearchAttributes.get(machineIdKey)).toBe(machineId);
      expect(description.typedSearchAttributes.get(operationKindKey)).toBe('host_ping');
      expect(agent.exitCode()).toBeNull();
    });

    expect(await agent.stop()).toBe(0);
  });

  it('fails with HOST_UNREACHABLE naming the queue when no agent polls it', async () => {
    const machineId = `absent-${suffix}`;
    const queue = hostTaskQueue(machineId);
    const started = Date.now();
    const error = await client.workflow
      .execute('hostPingWorkflow', {
        taskQueue: controlQueue,
        workflowId: hostPingWorkflowId(machineId, suffix),
        args: [{ machineId, scheduleToStartTimeoutMs: 1000 }],
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    const elapsedMs = Date.now() - started;

    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(FAILURE_TYPES.hostUnreachable);
    expect(cause!.message).toBe(`no agent worker picked up the ping on ${queue} within 1000 ms`);
    expect(elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(elapsedMs).toBeLessThan(5000);
  });

  it('runs on the control worker process too, which stops cleanly on SIGTERM', async () => {
    const machineId = `m2-${suffix}`;
    const processQueue = `control-proc-${suffix}`;
    const [agent, control] = await Promise.all([
      startAgentProcess({ machineId, env: { HEARTBEAT_ENABLED: 'false' } }),
      startControlWorkerProcess({ taskQueue: processQueue, workflowBundlePath }),
    ]);
    await withProcessLogs([agent, control], async () => {
      const result = (await client.workflow.execute('hostPingWorkflow', {
        taskQueue: processQueue,
        workflowId: hostPingWorkflowId(machineId, `proc-${suffix}`),
        args: [{ machineId }],
      })) as HostPingResult;
      expect(result.machineId).toBe(machineId);
      expect(await control.stop()).toBe(0);
      expect(control.logs()).toMatch(/control worker stopped/);
      expect(await agent.stop()).toBe(0);
    });
  });
});

describe('agent heartbeat', () => {
  interface Received {
    method: string;
    path: string;
    headers: http.IncomingHttpHeaders;
    body: string;
  }
  const received: Received[] = [];
  let server: http.Server;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0,"msg":"ok","data":null}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('the real agent posts signed heartbeats with host and GPU metrics', async () => {
    // A simulated nvidia-smi printing the H100 fixture, like the demo hosts provide.
    const binDir = mkdtempSync(path.join(os.tmpdir(), 'fake-nvidia-'));
    const nvidiaSmi = path.join(binDir, 'nvidia-smi');
    const fixture = path.join(repoRoot, 'activities', 'src', 'host', 'nvidia', '__fixtures__', 'h100x8.gpus.csv');
    writeFileSync(nvidiaSmi, `#!/bin/sh\nexec cat '${fixture}'\n`);
    chmodSync(nvidiaSmi, 0o755);

    const machineId = `hb-${suffix}`;
    const secret = 'e2e-heartbeat-secret-0123456789';
    const agent = await startAgentProcess({
      machineId,
      env: {
        API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        AGENT_KEY_ID: `key-${machineId}`,
        AGENT_SECRET: secret,
        HEARTBEAT_INTERVAL_MS: '500',
        NVIDIA_SMI_PATH: nvidiaSmi,
      },
    });
    await withProcessLogs(agent, async () => {
      const mine = () => received.filter((r) => r.headers['x-agent-key-id'] === `key-${machineId}`);
      await eventually(() => expect(mine().length).toBeGreaterThanOrEqual(2), { timeoutMs: 15_000 });

      for (const hit of mine()) {
        expect(hit.method).toBe('POST');
        expect(hit.path).toBe(AGENT_HEARTBEAT_PATH);
        const verified = verifyAgentRequest({
          secret,
          method: hit.method,
          path: hit.path,
          timestamp: String(hit.headers['x-agent-timestamp']),
          signature: String(hit.headers['x-agent-signature']),
          body: hit.body,
          nowSeconds: Math.floor(Date.now() / 1000),
        });
        expect(verified).toEqual({ ok: true });
        // The signature does not verify under another secret.
        expect(
          verifyAgentRequest({
            secret: `${secret}x`,
            method: hit.method,
            path: hit.path,
            timestamp: String(hit.headers['x-agent-timestamp']),
            signature: String(hit.headers['x-agent-signature']),
            body: hit.body,
            nowSeconds: Math.floor(Date.now() / 1000),
          }).ok,
        ).toBe(false);
      }

      const body = JSON.parse(mine()[0].body) as AgentHeartbeatBody;
      expect(body.machine_id).toBe(machineId);
      expect(Math.abs(body.ts - Date.now())).toBeLessThan(60_000);
      expect(body.agent_version).toMatch(/^\d+\.\d+\.\d+/);
      expect(body.metrics.cpu_util).toBeGreaterThanOrEqual(0);
      expect(body.metrics.cpu_util).toBeLessThanOrEqual(100);
      expect(body.metrics.mem_used_pct).toBeGreaterThan(0);
      expect(body.metrics.disk_used_pct).toBeGreaterThan(0);
      expect(body.metrics.gpus).toHaveLength(8);
      expect(body.metrics.gpus[0]).toMatchObject({ index: 0, name: 'NVIDIA H100 80GB HBM3', mem_total_mib: 81559 });
      expect(agent.logs()).not.toMatch(/heartbeat failed/);
    });
    expect(await agent.stop()).toBe(0);
  });
});
