// Starts the REAL built processes (node agent-worker/dist/main.js, node workers/dist/main.js) as
// children for e2e tests, and makes sure they die with the test file. Their output is kept so a
// failing test can show it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot, testEnv } from './env';
import { eventually } from './eventually';

export const agentMainPath = path.join(repoRoot, 'agent-worker', 'dist', 'main.js');
export const controlWorkerMainPath = path.join(repoRoot, 'workers', 'dist', 'main.js');

export interface ManagedProcess {
  name: string;
  pid: number;
  /** Everything the process wrote so far (stdout + stderr, interleaved). */
  logs(): string;
  exitCode(): number | null | undefined;
  /** Waits for output matching `pattern`; fails with the output when the process exits first. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after graceMs; resolves with the exit code (null when killed by a signal). */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL at once, like a crashed host. */
  kill(): Promise<void>;
}

export interface AgentProcess extends ManagedProcess {
  machineId: string;
  taskQueue: string;
}

const running = new Set<ManagedProcess>();

/** A loopback port nothing listens on (bound then released), for an API that must be unreachable. */
export async function closedLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

interface SpawnOptions {
  name: string;
  mainPath: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  readyPattern: RegExp;
  readyTimeoutMs?: number;
}

async function spawnNode(options: SpawnOptions): Promise<ManagedProcess> {
  if (!existsSync(options.mainPath)) {
    throw new Error(`${options.mainPath} is missing: run \`npx tsc -b tsconfig.build.json\` first`);
  }
  const child = spawn(process.execPath, [options.mainPath, ...(options.args ?? [])], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = waitForExit(child);
  const gone = () => child.exitCode !== null || child.signalCode !== null;

  const managed: ManagedProcess = {
    name: options.name,
    pid: child.pid!,
    logs: () => output,
    exitCode: () => child.exitCode,
    async waitForLog(pattern, timeoutMs = 10_000) {
      await eventually(
        () => {
          if (pattern.test(output)) return;
          if (gone()) throw new Error(`exited (${child.exitCode ?? child.signalCode}) before logging ${pattern}`);
          throw new Error(`no output matching ${pattern} yet`);
        },
        { timeoutMs, intervalMs: 50 },
      ).catch((err: Error) => {
        throw new Error(`${options.name}: ${err.message}\n--- ${options.name} output ---\n${output}`);
      });
    },
    async stop(graceMs = 10_000) {
      running.delete(managed);
      if (gone()) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    async kill() {
      running.delete(managed);
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
  };
  running.add(managed);
  try {
    await managed.waitForLog(options.readyPattern, options.readyTimeoutMs ?? 20_000);
  } catch (err) {
    await managed.kill();
    throw err;
  }
  return managed;
}

export interface AgentProcessOptions {
  machineId: string;
  /** Extra or overriding environment (HEARTBEAT_*, API_URL, NVIDIA_SMI_PATH, DATA_ROOT, ...). */
  env?: Record<string, string>;
  /** Arguments after main.js, e.g. ['--config', file]. */
  args?: string[];
  readyTimeoutMs?: number;
}

/** The agent of one (simulated) host, polling host-<machineId>. */
export async function startAgentProcess(options: AgentProcessOptions): Promise<AgentProcess> {
  const managed = await spawnNode({
    name: `agent ${options.machineId}`,
    mainPath: agentMainPath,
    args: options.args,
    env: {
      MACHINE_ID: options.machineId,
      TEMPORAL_ADDRESS: testEnv.temporalAddress,
      TEMPORAL_NAMESPACE: testEnv.temporalNamespace,
      AGENT_KEY_ID: `test-key-${options.machineId}`,
      AGENT_SECRET: 'test-agent-secret-not-for-production',
      API_URL: 'http://127.0.0.1:9',
      DATA_ROOT: '/tmp',
      LOG_LEVEL: 'info',
      // Metrics exporter off unless a test asks for it: parallel agents would share the default port.
      AGENT_METRICS_PORT: '0',
      ...options.env,
    },
    readyPattern: /agent worker started/,
    readyTimeoutMs: options.readyTimeoutMs,
  });
  return Object.assign(managed, { machineId: options.machineId, taskQueue: `host-${options.machineId}` });
}

export interface ControlWorkerProcessOptions {
  taskQueue: string;
  /** A prebuilt bundle (tests/support/global-setup workflowBundlePath) so the start is fast. */
  workflowBundlePath: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

/** The control-plane worker process (database, Redis and Temporal from the test configuration). */
export async function startControlWorkerProcess(options: ControlWorkerProcessOptions): Promise<ManagedProcess> {
  return spawnNode({
    name: `control worker ${options.taskQueue}`,
    mainPath: controlWorkerMainPath,
    env: {
      TEMPORAL_ADDRESS: testEnv.temporalAddress,
      TEMPORAL_NAMESPACE: testEnv.temporalNamespace,
      CONTROL_TASK_QUEUE: options.taskQueue,
      DATABASE_URL: testEnv.databaseUrl,
      REDIS_URL: testEnv.redisUrl,
      WORKFLOW_BUNDLE_PATH: options.workflowBundlePath,
      SHUTDOWN_GRACE_MS: '2000',
      LOG_LEVEL: 'info',
      CONTROL_WORKER_METRICS_PORT: '0',
      ...options.env,
    },
    readyPattern: /control worker started/,
    readyTimeoutMs: options.readyTimeoutMs,
  });
}

/** For afterAll: stops every process this test file started and did not stop itself. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** Runs `fn`; when it throws, the processes' output is appended to the error so the failure explains itself. */
export async function withProcessLogs<T>(
  processes: ManagedProcess | ManagedProcess[],
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Error) {
      for (const p of ([] as ManagedProcess[]).concat(processes))
        err.message += `\n--- ${p.name} output ---\n${p.logs()}`;
    }
    throw err;
  }
}
