// The real agent worker inside a simulated GPU host: it answers hostPingWorkflow on host-<machineId>
// as that host (its own hostname), comes back after a crash (the container's supervisor restarts
// it, like systemd), and a stopped agent makes the ping fail with HOST_UNREACHABLE.
// Needs `npx tsc -b tsconfig.build.json` (agent-worker/dist is bind-mounted into the container).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { FAILURE_TYPES, hostPingWorkflowId, type HostPingResult } from '@remotegpu/core/contracts';
import { repoRoot, testEnv, uniqueSuffix } from '../../../tests/support/env';
import { eventually } from '../../../tests/support/eventually';
import { workflowBundlePath } from '../../../tests/support/global-setup';
import { SimHost } from '../../../tests/support/simhost';

jest.setTimeout(120_000);

// 127.0.3.x is this file's address range (host-activities.int.test.ts uses .10).
const IP = '127.0.3.20';
const suffix = uniqueSuffix('sagent');
const machineId = `m-${suffix}`;
const queue = `control-${suffix}`;

let host: SimHost;
let connection: Connection;
let client: Client;
let worker: Worker;
let workerDone: Promise<void>;
let pings = 0;

const ping = (scheduleToStartTimeoutMs = 15_000) =>
  client.workflow.execute('hostPingWorkflow', {
    taskQueue: queue,
    workflowId: hostPingWorkflowId(machineId, `${suffix}-${++pings}`),
    args: [{ machineId, scheduleToStartTimeoutMs }],
  }) as Promise<HostPingResult>;

beforeAll(async () => {
  const agentMain = path.join(repoRoot, 'agent-worker', 'dist', 'main.js');
  if (!existsSync(agentMain)) throw new Error(`${agentMain} is missing: run \`npx tsc -b tsconfig.build.json\` first`);
  // The unreachable-ping case makes the worker log a failed workflow; keep the output for real errors.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  // The API is not needed here: heartbeats are off, the agent only serves activities.
  host = await SimHost.start(suffix, IP, {
    MACHINE_ID: machineId,
    TEMPORAL_ADDRESS: testEnv.temporalAddress,
    TEMPORAL_NAMESPACE: testEnv.temporalNamespace,
    API_URL: 'http://127.0.0.1:9',
    AGENT_KEY_ID: `key-${suffix}`,
    AGENT_SECRET: 'simhost-agent-test-secret-0123456789',
    HEARTBEAT_ENABLED: 'false',
    SHUTDOWN_GRACE_MS: '1000',
  });
  connection = await Connection.connect({ address: testEnv.temporalAddress });
  client = new Client({ connection, namespace: testEnv.temporalNamespace });
  worker = await Worker.create({
    connection: await NativeConnection.connect({ address: testEnv.temporalAddress }),
    namespace: testEnv.temporalNamespace,
    taskQueue: queue,
    workflowBundle: { codePath: workflowBundlePath },
  });
  workerDone = worker.run();
}, 300_000);

afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await workerDone;
  await connection?.close();
  await host?.stop();
});

async function withHostLogs<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    (error as Error).message += `\n--- simulated host logs ---\n${await host.logs()}`;
    throw error;
  }
}

it('answers pings as the simulated host, survives a crash and is unreachable while stopped', () =>
  withHostLogs(async () => {
    const first = await ping();
    expect(first).toMatchObject({ machineId, hostname: host.name });
    const pidBefore = await host.agentPid();
    expect(pidBefore).toEqual(expect.any(Number));

    await host.crashAgent();
    const pidAfter = await eventually(
      async () => {
        const pid = await host.agentPid();
        expect(pid).not.toBeNull();
        expect(pid).not.toBe(pidBefore);
        return pid;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(pidAfter).not.toBe(pidBefore);
    expect(await ping()).toMatchObject({ machineId, hostname: host.name });

    await host.stopAgent();
    expect(await host.agentPid()).toBeNull();
    const error = await ping(1500).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe(FAILURE_TYPES.hostUnreachable);

    await host.startAgent();
    expect(await ping()).toMatchObject({ machineId, hostname: host.name });
  }));
