// The tenant's processes: list, kill (TERM, grace, KILL, verify) and VNC servers.
import { ApplicationFailure } from '@temporalio/activity';
import {
  FAILURE_TYPES,
  type KillUserProcessesInput,
  type KillUserProcessesResult,
  type ListUserProcessesResult,
  type StopVncInput,
  type StopVncResult,
  type TenantUserInput,
} from '@remotegpu/core/contracts';
import path from 'node:path';
import type { PasswdEntry } from './accounts';
import type { HostActivityDeps } from './deps';
import { commandFailed } from './errors';
import { createAccountReader } from './host-accounts';
import { isAlive, parsePsRows, vncDisplayOf, type PsRow } from './ps';
import { assertObject, assertUsername, optionalInteger } from './validation';

const DEFAULT_GRACE_MS = 1_000;
const KILL_DEADLINE_MS = 10_000;
const POLL_MS = 100;
const PS_NO_MATCH = 1;

export function createProcessActivities(deps: HostActivityDeps) {
  const accounts = createAccountReader(deps);
  const { commands, clock } = deps;

  async function tenant(input: TenantUserInput): Promise<PasswdEntry | null> {
    const username = assertUsername(assertObject(input, 'input').username);
    const entry = await accounts.passwd(username);
    if (entry) accounts.assertTenantAccount(entry);
    return entry;
  }

  /** Live processes whose effective uid is the tenant's (by number: no name lookups in ps). */
  async function processesOf(uid: number, column: 'comm' | 'args'): Promise<PsRow[]> {
    const result = await commands.run('ps', ['-o', `pid=,stat=,${column}=`, '-u', String(uid)]);
    if (result.exitCode === PS_NO_MATCH && !result.stdout.trim()) return [];
    if (result.exitCode !== 0) throw commandFailed(`ps -u ${uid}`, result);
    return parsePsRows(result.stdout).filter(isAlive);
  }

  async function signalUser(uid: number, signal: 'TERM' | 'KILL'): Promise<void> {
    // pkill exits 1 when nothing matched, which is fine here.
    const result = await commands.run('pkill', [`-${signal}`, '-u', String(uid)]);
    if (result.exitCode > 1) throw commandFailed(`pkill -${signal} -u ${uid}`, result);
  }

  async function signalPids(pids: number[], signal: 'TERM' | 'KILL'): Promise<void> {
    if (!pids.length) return;
    // kill fails for pids that exited meanwhile; what is left is checked by the caller.
    await commands.run('kill', [`-${signal}`, '--', ...pids.map(String)]);
  }

  /** Polls until `alive()` is empty or `ms` passed; returns what is still alive. */
  async function waitGone<T>(alive: () => Promise<T[]>, ms: number): Promise<T[]> {
    const deadline = clock.now().getTime() + ms;
    let left = await alive();
    while (left.length && clock.now().getTime() < deadline) {
      await clock.sleep(POLL_MS);
      left = await alive();
    }
    return left;
  }

  return {
    async listUserProcesses(input: TenantUserInput): Promise<ListUserProcessesResult> {
      const entry = await tenant(input);
      if (!entry) return { processes: [] };
      const rows = await processesOf(entry.uid, 'comm');
      return { processes: rows.map((r) => ({ pid: r.pid, user: entry.username, command: r.command })) };
    },

    /** SIGTERM, up to graceMs, then SIGKILL until none is left (bounded); fails when some survive. */
    async killUserProcesses(input: KillUserProcessesInput): Promise<KillUserProcessesResult> {
      const entry = await tenant(input);
      const graceMs = optionalInteger(input.graceMs, 'graceMs', 0, 60_000) ?? DEFAULT_GRACE_MS;
      if (!entry) return { killed: 0, remaining: 0 };
      const seen = new Set<number>();
      const alive = async () => {
        const rows = await processesOf(entry.uid, 'comm');
        rows.forEach((r) => seen.add(r.pid));
        return rows;
      };
      if (!(await alive()).length) return { killed: 0, remaining: 0 };
      if (graceMs > 0) {
        await signalUser(entry.uid, 'TERM');
        await waitGone(alive, graceMs);
      }
      // Repeat SIGKILL: a process may fork between the listing and the signal.
      const left = await waitGone(async () => {
        await signalUser(entry.uid, 'KILL');
        return alive();
      }, KILL_DEADLINE_MS);
      const result = { killed: seen.size - left.length, remaining: left.length };
      if (left.length) {
        throw ApplicationFailure.retryable(
          `${left.length} processes of ${entry.username} survived SIGKILL: ${left.map((r) => r.pid).join(', ')}`,
          FAILURE_TYPES.hostCommandFailed,
          result,
        );
      }
      return result;
    },

    /** Stops the tenant's VNC servers (one display or all); none running = stopped:false. */
    async stopVnc(input: StopVncInput): Promise<StopVncResult> {
      const entry = await tenant(input);
      const display = optionalInteger(input.display, 'display', 0, 65_535);
      if (!entry) return { stopped: false };
      const vncProcesses = async () =>
        (await processesOf(entry.uid, 'args')).filter((row) => {
          const d = vncDisplayOf(row.command);
          return d !== undefined && (display === undefined || d === display);
        });
      const found = await vncProcesses();
      if (!found.length) return { stopped: false };
      await signalPids(
        found.map((r) => r.pid),
        'TERM',
      );
      let left = await waitGone(vncProcesses, 3_000);
      if (left.length) {
        await signalPids(
          left.map((r) => r.pid),
          'KILL',
        );
        left = await waitGone(vncProcesses, 3_000);
      }
      if (left.length) {
        throw ApplicationFailure.retryable(
          `VNC processes of ${entry.username} survived SIGKILL`,
          FAILURE_TYPES.hostCommandFailed,
        );
      }
      // A killed X server leaves its lock and socket behind; the display could not be started again.
      for (const d of new Set(
        found.map((r) => vncDisplayOf(r.command)).filter((d): d is number => typeof d === 'number'),
      )) {
        for (const file of [`/tmp/.X${d}-lock`, path.join('/tmp/.X11-unix', `X${d}`)]) {
          const info = await deps.fs.lstat(file);
          if (info && info.uid === entry.uid) await deps.fs.remove(file);
        }
      }
      return { stopped: true };
    },
  };
}
