// Tenant unix accounts: create/enable, disable, passwords (chpasswd over stdin only).
import type {
  DisableTenantUserResult,
  EnsureTenantUserInput,
  EnsureTenantUserResult,
  TenantUserInput,
} from '@remotegpu/core/contracts';
import { disableAccountArgs, enableAccountArgs, isLocked } from './accounts';
import type { HostActivityDeps } from './deps';
import { commandFailed, invalidInput } from './errors';
import { createAccountReader } from './host-accounts';
import { assertObject, assertPassword, assertUsername } from './validation';

const DEFAULT_SHELL = '/bin/bash';
const USERADD_NAME_IN_USE = 9;
const GROUP_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
/** Random bytes of a generated password: 18 bytes = 24 base64url characters (144 bits). */
const GENERATED_PASSWORD_BYTES = 18;

export interface SetUserPasswordRequest extends TenantUserInput {
  /** Omitted = the host generates one and never returns it (nothing secret in workflow history). */
  password?: string;
}

export interface SetUserPasswordResult {
  username: string;
  generated: boolean;
  length: number;
}

export interface ResetUserPasswordResult {
  username: string;
  /** The generated password, for a customer-requested reset that must show it once. */
  password: string;
}

export function createUserActivities(deps: HostActivityDeps) {
  const accounts = createAccountReader(deps);
  const { commands } = deps;

  async function usermod(username: string, args: string[]): Promise<void> {
    const result = await commands.run('usermod', [...args, '--', username]);
    if (result.exitCode !== 0) throw commandFailed(`usermod ${args[0]} ${username}`, result);
  }

  async function shellFor(input: EnsureTenantUserInput): Promise<string> {
    if (input.shell === undefined) return DEFAULT_SHELL;
    if (typeof input.shell !== 'string' || !/^\/[A-Za-z0-9/_.-]+$/.test(input.shell)) {
      throw invalidInput('shell must be an absolute path');
    }
    const shells = (await deps.fs.readFile('/etc/shells')).split('\n').map((l) => l.trim());
    if (!shells.includes(input.shell)) throw invalidInput(`shell ${input.shell} is not listed in /etc/shells`);
    return input.shell;
  }

  async function setPassword(username: string, password: string): Promise<void> {
    const entry = await accounts.passwd(username);
    if (!entry) throw invalidInput(`user ${username} does not exist on this host`);
    accounts.assertTenantAccount(entry);
    const wasLocked = isLocked(await accounts.shadow(username));
    const result = await commands.run('chpasswd', [], { input: `${username}:${password}\n` });
    if (result.exitCode !== 0) throw commandFailed(`chpasswd for ${username}`, { ...result, stdout: '' });
    // A disabled account stays disabled: a new password must not unlock it.
    if (wasLocked) await usermod(username, ['-L']);
  }

  const generatePassword = (): string => deps.randomBytes(GENERATED_PASSWORD_BYTES).toString('base64url');

  return {
    /** Creates the tenant's account (home, bash) or re-enables an existing one; returns created=false then. */
    async ensureTenantUser(input: EnsureTenantUserInput): Promise<EnsureTenantUserResult> {
      const username = assertUsername(assertObject(input, 'input').username);
      const groups = input.groups ?? [];
      if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string' && GROUP_NAME.test(g))) {
        throw invalidInput('groups must be a list of group names');
      }
      const shell = await shellFor(input);
      let created = false;
      let entry = await accounts.passwd(username);
      if (!entry) {
        const args = ['-m', '-s', shell, ...(groups.length ? ['-G', groups.join(',')] : []), '--', username];
        const result = await commands.run('useradd', args);
        if (result.exitCode !== 0 && result.exitCode !== USERADD_NAME_IN_USE) {
          throw commandFailed(`useradd ${username}`, result);
        }
        created = result.exitCode === 0;
        entry = await accounts.passwd(username);
        if (!entry) throw invalidInput(`useradd reported success but ${username} is not in the user database`);
      }
      accounts.assertTenantAccount(entry);
      const changes = enableAccountArgs(entry, await accounts.shadow(username), shell);
      if (groups.length) changes.push('-a', '-G', groups.join(','));
      if (changes.length) await usermod(username, changes);
      if (!(await deps.fs.lstat(entry.homeDir))) {
        await deps.fs.mkdir(entry.homeDir, { uid: entry.uid, gid: entry.gid, mode: 0o750 });
      }
      return { username, uid: entry.uid, homeDir: entry.homeDir, created };
    },

    /** Locks the password, expires the account and sets a nologin shell; absent or done = no change. */
    async disableTenantUser(input: TenantUserInput): Promise<DisableTenantUserResult> {
      const username = assertUsername(assertObject(input, 'input').username);
      const entry = await accounts.passwd(username);
      if (!entry) return { username, changed: false };
      accounts.assertTenantAccount(entry);
      const changes = disableAccountArgs(entry, await accounts.shadow(username));
      if (changes.length) await usermod(username, changes);
      return { username, changed: changes.length > 0 };
    },

    /** Sets the given password, or a host-generated one that is never returned. */
    async setUserPassword(input: SetUserPasswordRequest): Promise<SetUserPasswordResult> {
      const username = assertUsername(assertObject(input, 'input').username);
      const generated = input.password === undefined;
      const password = generated ? generatePassword() : assertPassword(input.password);
      await setPassword(username, password);
      return { username, generated, length: password.length };
    },

    /** Customer-requested reset: generates a password on the host and returns it (shown once). */
    async resetUserPassword(input: TenantUserInput): Promise<ResetUserPasswordResult> {
      const username = assertUsername(assertObject(input, 'input').username);
      const password = generatePassword();
      await setPassword(username, password);
      return { username, password };
    },
  };
}
