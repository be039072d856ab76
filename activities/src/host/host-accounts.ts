// Reading accounts from the host's real user database (getent: works for /etc files and NSS alike).
import { parsePasswdLine, parseShadowLine, type PasswdEntry, type ShadowEntry } from './accounts';
import type { HostActivityDeps } from './deps';
import { commandFailed, invalidInput } from './errors';

const GETENT_NOT_FOUND = 2;
export const DEFAULT_MIN_TENANT_UID = 1000;

export function createAccountReader(deps: HostActivityDeps) {
  const minUid = deps.config.minTenantUid ?? DEFAULT_MIN_TENANT_UID;

  async function getent(database: 'passwd' | 'shadow', username: string): Promise<string | null> {
    const result = await deps.commands.run('getent', [database, username]);
    if (result.exitCode === GETENT_NOT_FOUND) return null;
    if (result.exitCode !== 0) throw commandFailed(`getent ${database} ${username}`, result);
    return result.stdout.split('\n')[0];
  }

  return {
    async passwd(username: string): Promise<PasswdEntry | null> {
      const line = await getent('passwd', username);
      return line === null ? null : parsePasswdLine(line);
    },
    async shadow(username: string): Promise<ShadowEntry> {
      const line = await getent('shadow', username);
      if (line === null)
        throw commandFailed(`getent shadow ${username}`, { stdout: '', stderr: 'no entry', exitCode: 2 });
      return parseShadowLine(line);
    },
    /** The activities never touch system accounts (root, daemons), whatever name they are given. */
    assertTenantAccount(entry: PasswdEntry): void {
      if (entry.uid < minUid) {
        throw invalidInput(`${entry.username} (uid ${entry.uid}) is a system account, not a tenant user`);
      }
    },
  };
}

export type AccountReader = ReturnType<typeof createAccountReader>;
