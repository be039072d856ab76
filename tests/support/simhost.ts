// A simulated GPU host for integration/e2e tests: a container started by scripts/simhost/ctl (own
// loopback address, own sshd, optionally the real agent worker), driven through the docker CLI
// against the project's own dockerd socket. Host activities run INSIDE it, never on this machine.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { dataDir, repoRoot } from './env';

export const dockerSocket = path.join(dataDir, 'run', 'docker.sock');
const ctlPath = path.join(repoRoot, 'scripts', 'simhost', 'ctl');
const runActivityPath = '/opt/remotegpu/scripts/simhost/run-activity.js';

export type NvidiaMode = 'ok' | 'busy' | 'gpu_lost' | 'driver_missing';
export type GpuProfile = 'h100x8' | 'rtx4090x4' | 'a100x4-one-na';

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ExecOptions {
  input?: string;
  /** Run as this user inside the container (docker exec -u). */
  user?: string;
  timeoutMs?: number;
}

function run(
  file: string,
  args: string[],
  options: ExecOptions & { env?: NodeJS.ProcessEnv } = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, maxBuffer: 32 * 1024 * 1024, env: options.env },
      (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code !== 'number') return reject(error);
        resolve({ stdout, stderr, exitCode: error ? Number((error as NodeJS.ErrnoException).code) : 0 });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** The docker CLI against the project's dockerd (scripts/lib/docker.sh), never the machine's default one. */
export function docker(args: string[], options: ExecOptions = {}): Promise<ExecResult> {
  return run('docker', ['-H', `unix://${dockerSocket}`, ...args], options);
}

/** A failed activity inside the simulated host, with the ApplicationFailure type it threw. */
export class SimHostActivityError extends Error {
  constructor(
    message: string,
    readonly type: string,
    readonly nonRetryable: boolean,
  ) {
    super(message);
    this.name = 'SimHostActivityError';
  }
}

export class SimHost {
  readonly container: string;

  private constructor(
    readonly name: string,
    readonly ip: string,
  ) {
    this.container = `simhost-${name}`;
  }

  /**
   * Starts (or reuses) simhost-<name> on `ip` (127.x.y.z; each test file uses its own range). `env`
   * reaches the container (MACHINE_ID, TEMPORAL_ADDRESS, API_URL, AGENT_KEY_ID, AGENT_SECRET,
   * SIMHOST_AGENT=0 for sshd only, SIMHOST_NVIDIA_MODE, SIMHOST_GPU_PROFILE ...).
   */
  static async start(name: string, ip: string, env: Record<string, string> = {}): Promise<SimHost> {
    const extra = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
    // ctl builds dockerd and the image on first use (a cold build takes about a minute).
    // --replace: a test file owns its addresses, so a host left there by an aborted run goes.
    const result = await run('bash', [ctlPath, 'start', name, ip, '--replace', ...extra], {
      timeoutMs: 300_000,
      env: { ...process.env, SIMHOST_AGENT: env.SIMHOST_AGENT ?? process.env.SIMHOST_AGENT ?? '1' },
    });
    if (result.exitCode !== 0) throw new Error(`simhost ${name} failed to start:\n${result.stderr}${result.stdout}`);
    return new SimHost(name, ip);
  }

  /** Runs argv inside the container (no shell unless argv asks for one). */
  exec(argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const userArgs = options.user ? ['-u', options.user] : [];
    return docker(['exec', '-i', ...userArgs, this.container, ...argv], options);
  }

  /** Like exec, but throws with the output when the command fails. */
  async execOk(argv: string[], options: ExecOptions = {}): Promise<string> {
    const result = await this.exec(argv, options);
    if (result.exitCode !== 0) {
      throw new Error(
        `${argv.join(' ')} exited ${result.exitCode} in ${this.container}: ${result.stderr}${result.stdout}`,
      );
    }
    return result.stdout;
  }

  /** Runs one host activity from the mounted activities/dist inside the host and returns its result. */
  async runActivity<T = unknown>(activity: string, input?: unknown): Promise<T> {
    const result = await this.exec(['node', runActivityPath, activity], {
      input: input === undefined ? '' : JSON.stringify(input),
    });
    const line = result.stdout.trim().split('\n').pop() ?? '';
    let outcome: { ok: boolean; result?: T; error?: { message: string; type: string; nonRetryable: boolean } };
    try {
      outcome = JSON.parse(line);
    } catch {
      throw new Error(`${activity} printed no result (exit ${result.exitCode}): ${result.stderr}${result.stdout}`);
    }
    if (!outcome.ok) {
      const error = outcome.error ?? { message: 'unknown failure', type: 'Error', nonRetryable: false };
      throw new SimHostActivityError(`${activity}: ${error.message}`, error.type, error.nonRetryable);
    }
    return outcome.result as T;
  }

  async setNvidiaMode(mode: NvidiaMode, profile?: GpuProfile): Promise<void> {
    await this.execOk([
      'bash',
      '-c',
      'echo "$1" >/etc/simhost/nvidia-mode; [ -z "$2" ] || echo "$2" >/etc/simhost/gpu-profile',
      '_',
      mode,
      profile ?? '',
    ]);
  }

  /** Stops the agent and keeps it down (SIGKILL = a crash; `graceful` sends SIGTERM). */
  async stopAgent({ graceful = false } = {}): Promise<void> {
    const signal = graceful ? 'TERM' : 'KILL';
    await this.execOk([
      'bash',
      '-c',
      'rm -f /run/simhost/agent.enabled; [ -f /run/simhost/agent.pid ] && kill -"$1" "$(cat /run/simhost/agent.pid)" 2>/dev/null; true',
      '_',
      signal,
    ]);
  }

  /** Lets the entrypoint's supervisor (re)start the agent. */
  async startAgent(): Promise<void> {
    await this.execOk(['touch', '/run/simhost/agent.enabled']);
  }

  /** Kills the running agent with SIGKILL; the supervisor restarts it (like systemd Restart=always). */
  async crashAgent(): Promise<void> {
    await this.execOk([
      'bash',
      '-c',
      '[ -f /run/simhost/agent.pid ] && kill -KILL "$(cat /run/simhost/agent.pid)" 2>/dev/null; true',
    ]);
  }

  /** The pid of the running agent inside the container, or null. */
  async agentPid(): Promise<number | null> {
    const out = await this.execOk([
      'bash',
      '-c',
      'if [ -f /run/simhost/agent.pid ] && kill -0 "$(cat /run/simhost/agent.pid)" 2>/dev/null; then cat /run/simhost/agent.pid; fi',
    ]);
    return out.trim() ? Number(out.trim()) : null;
  }

  /** The agent's and sshd's logs, for failure messages. */
  async logs(): Promise<string> {
    const result = await this.exec([
      'bash',
      '-c',
      'tail -n 200 /var/log/simhost/agent.log /var/log/simhost/sshd.log 2>/dev/null; true',
    ]);
    return result.stdout;
  }

  /** Removes the container (idempotent). */
  async stop(): Promise<void> {
    await docker(['rm', '-f', this.container]);
  }
}
