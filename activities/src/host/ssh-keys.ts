// ~user/.ssh/authorized_keys: merge without duplicates, revoke some or all. The files live in a
// directory the tenant controls, so links are never followed and ownership/modes are enforced.
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import {
  FAILURE_TYPES,
  type InjectSshKeysInput,
  type InjectSshKeysResult,
  type RevokeSshKeysInput,
  type RevokeSshKeysResult,
} from '@remotegpu/core/contracts';
import type { PasswdEntry } from './accounts';
import { mergeAuthorizedKeys, parsePublicKeyLine, removeAuthorizedKeys, type PublicKeyLine } from './authorized-keys';
import type { HostActivityDeps } from './deps';
import { invalidInput } from './errors';
import { createAccountReader } from './host-accounts';
import { assertObject, assertUsername } from './validation';

const MAX_KEYS = 100;
/** sshd's default AuthorizedKeysFile reads both. */
const KEY_FILES = ['authorized_keys', 'authorized_keys2'];

function unsafe(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, FAILURE_TYPES.hostCommandFailed);
}

function parseKeys(value: unknown): PublicKeyLine[] {
  if (!Array.isArray(value) || value.length > MAX_KEYS)
    throw invalidInput(`publicKeys must be a list of at most ${MAX_KEYS} keys`);
  return value.map((key) => parsePublicKeyLine(key));
}

export function createSshKeyActivities(deps: HostActivityDeps) {
  const accounts = createAccountReader(deps);
  const { fs } = deps;

  async function tenant(username: string): Promise<PasswdEntry | null> {
    const entry = await accounts.passwd(username);
    if (entry) accounts.assertTenantAccount(entry);
    return entry;
  }

  /** ~/.ssh as a real directory owned by the user, mode 0700 (sshd's StrictModes insists). */
  async function ensureSshDir(entry: PasswdEntry): Promise<string> {
    const home = await fs.lstat(entry.homeDir);
    if (!home?.isDirectory)
      throw unsafe(`home directory ${entry.homeDir} of ${entry.username} is missing or not a directory`);
    const dir = path.join(entry.homeDir, '.ssh');
    const info = await fs.lstat(dir);
    if (!info) {
      await fs.mkdir(dir, { uid: entry.uid, gid: entry.gid, mode: 0o700 });
      return dir;
    }
    if (!info.isDirectory || info.isSymbolicLink) throw unsafe(`${dir} is not a directory; refusing to follow it`);
    if (info.uid !== entry.uid || info.gid !== entry.gid) await fs.chown(dir, entry.uid, entry.gid);
    if (info.mode !== 0o700) await fs.chmod(dir, 0o700);
    return dir;
  }

  /** The file's text, '' when absent; refuses links and non-files. */
  async function readKeyFile(file: string): Promise<{ exists: boolean; text: string }> {
    const info = await fs.lstat(file);
    if (!info) return { exists: false, text: '' };
    if (!info.isFile || info.isSymbolicLink) throw unsafe(`${file} is not a regular file; refusing to follow it`);
    return { exists: true, text: await fs.readFile(file) };
  }

  return {
    /** Adds the keys not yet present; a key already there (any comment/options) counts as alreadyPresent. */
    async injectSshKeys(input: InjectSshKeysInput): Promise<InjectSshKeysResult> {
      const username = assertUsername(assertObject(input, 'input').username);
      const keys = parseKeys(input.publicKeys);
      const entry = await tenant(username);
      if (!entry) throw invalidInput(`user ${username} does not exist on this host`);
      const dir = await ensureSshDir(entry);
      const file = path.join(dir, 'authorized_keys');
      const current = await readKeyFile(file);
      const merged = mergeAuthorizedKeys(current.text, keys);
      const owner = { uid: entry.uid, gid: entry.gid, mode: 0o600 };
      if (merged.added > 0 || !current.exists) {
        await fs.writeFileAtomic(file, merged.content, owner);
      } else {
        const info = await fs.lstat(file);
        if (info && (info.uid !== entry.uid || info.gid !== entry.gid)) await fs.chown(file, entry.uid, entry.gid);
        if (info && info.mode !== 0o600) await fs.chmod(file, 0o600);
      }
      return { added: merged.added, alreadyPresent: merged.alreadyPresent };
    },

    /** Removes the given keys, or with publicKeys omitted every key (authorized_keys and authorized_keys2). */
    async revokeSshKeys(input: RevokeSshKeysInput): Promise<RevokeSshKeysResult> {
      const username = assertUsername(assertObject(input, 'input').username);
      const keys = input.publicKeys === undefined ? 'all' : parseKeys(input.publicKeys);
      const entry = await tenant(username);
      if (!entry) return { removed: 0 };
      const dir = path.join(entry.homeDir, '.ssh');
      const dirInfo = await fs.lstat(dir);
      if (!dirInfo) return { removed: 0 };
      if (!dirInfo.isDirectory || dirInfo.isSymbolicLink) {
        // Revoking everything: a planted link goes away itself; its target is never touched.
        if (keys === 'all') {
          await fs.remove(dir);
          return { removed: 0 };
        }
        throw unsafe(`${dir} is not a directory; refusing to follow it`);
      }
      let removed = 0;
      for (const name of KEY_FILES) {
        const file = path.join(dir, name);
        const info = await fs.lstat(file);
        if (!info) continue;
        if (!info.isFile || info.isSymbolicLink) {
          if (keys !== 'all') throw unsafe(`${file} is not a regular file; refusing to follow it`);
          await fs.remove(file);
          continue;
        }
        const result = removeAuthorizedKeys(await fs.readFile(file), keys);
        if (result.removed > 0) {
          await fs.writeFileAtomic(file, result.content, { uid: entry.uid, gid: entry.gid, mode: 0o600 });
          removed += result.removed;
        }
      }
      return { removed };
    },
  };
}
