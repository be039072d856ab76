// Wiping a tenant's data directories: only `<data root>/<username>` (or paths inside it), never
// through a link, never into a mount (a dataset mount would otherwise lose its remote data).
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES, type WipeUserDataInput, type WipeUserDataResult } from '@remotegpu/core/contracts';
import type { HostActivityDeps } from './deps';
import { invalidInput } from './errors';
import { createAccountReader } from './host-accounts';
import { mountsBelow, parseMountPoints } from './mountinfo';
import { assertObject, assertUsername } from './validation';

const MAX_PATHS = 32;

/**
 * The directories to empty: the tenant's directory under every data root, or the requested paths,
 * each normalised and required to lie inside `<root>/<username>` of an allowed root.
 */
export function resolveWipeTargets(dataRoots: readonly string[], username: string, paths?: unknown): string[] {
  const tenantDirs = dataRoots.map((root) => path.posix.join(path.posix.resolve(root), username));
  if (paths === undefined) return tenantDirs;
  if (!Array.isArray(paths) || paths.length === 0 || paths.length > MAX_PATHS) {
    throw invalidInput(`paths must be a list of 1 to ${MAX_PATHS} absolute paths`);
  }
  return paths.map((p) => {
    if (typeof p !== 'string' || !path.posix.isAbsolute(p) || p.includes('\0')) {
      throw invalidInput('each path must be an absolute path');
    }
    const normalised = path.posix.resolve(p);
    if (!tenantDirs.some((dir) => normalised === dir || normalised.startsWith(`${dir}/`))) {
      throw invalidInput(`${p} is outside the tenant's data directories (${tenantDirs.join(', ')})`);
    }
    return normalised;
  });
}

export function createDataActivities(deps: HostActivityDeps) {
  const accounts = createAccountReader(deps);
  const { fs } = deps;

  return {
    /** Empties each target directory (the directory itself stays); absent targets are skipped. */
    async wipeUserData(input: WipeUserDataInput): Promise<WipeUserDataResult> {
      const username = assertUsername(assertObject(input, 'input').username);
      const targets = resolveWipeTargets(deps.config.dataRoots, username, input.paths);
      const entry = await accounts.passwd(username);
      if (entry) accounts.assertTenantAccount(entry);
      const mountPoints = parseMountPoints(await fs.readFile('/proc/self/mountinfo'));
      const wipedPaths: string[] = [];
      for (const target of targets) {
        const info = await fs.lstat(target);
        if (!info) continue;
        if (info.isSymbolicLink || !info.isDirectory) {
          throw ApplicationFailure.nonRetryable(
            `${target} is not a directory; refusing to follow it`,
            FAILURE_TYPES.hostCommandFailed,
          );
        }
        // No link anywhere on the way: the real path must be the path we checked.
        if ((await fs.realpath(target)) !== target) {
          throw ApplicationFailure.nonRetryable(
            `${target} resolves elsewhere; refusing to wipe it`,
            FAILURE_TYPES.hostCommandFailed,
          );
        }
        const mounts = mountsBelow(mountPoints, target);
        if (mounts.length) {
          throw ApplicationFailure.retryable(
            `${target} still has mounts inside (${mounts.join(', ')}); unmount them first`,
            FAILURE_TYPES.hostCommandFailed,
          );
        }
        for (const name of await fs.readdir(target)) await fs.remove(path.posix.join(target, name));
        wipedPaths.push(target);
      }
      return { wipedPaths };
    },
  };
}
