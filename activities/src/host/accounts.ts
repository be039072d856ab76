// Pure parsers for `getent passwd` / `getent shadow` lines and the account decisions built on them.

export interface PasswdEntry {
  username: string;
  uid: number;
  gid: number;
  homeDir: string;
  shell: string;
}

export interface ShadowEntry {
  username: string;
  /** The password field as stored: '' (none), '*', '!', '!*', '!<hash>', '<hash>'. */
  password: string;
  /** Account expiry in days since 1970-01-01; null when the account never expires. */
  expireDays: number | null;
}

export function parsePasswdLine(line: string): PasswdEntry {
  const f = line.trim().split(':');
  if (f.length < 7 || !/^\d+$/.test(f[2]) || !/^\d+$/.test(f[3])) throw new Error(`unexpected passwd entry: ${line}`);
  return { username: f[0], uid: Number(f[2]), gid: Number(f[3]), homeDir: f[5], shell: f[6] };
}

export function parseShadowLine(line: string): ShadowEntry {
  const f = line.trim().split(':');
  if (f.length < 8) throw new Error('unexpected shadow entry');
  return { username: f[0], password: f[1], expireDays: /^\d+$/.test(f[7]) ? Number(f[7]) : null };
}

export const isLocked = (shadow: ShadowEntry): boolean => shadow.password.startsWith('!');

/** A real password hash (not '', '*' or a bare lock marker). */
export const hasPasswordHash = (shadow: ShadowEntry): boolean => {
  const rest = shadow.password.replace(/^!+/, '');
  return rest !== '' && rest !== '*';
};

export const NOLOGIN_SHELL = '/usr/sbin/nologin';
/** `usermod -e 1`: expired on 1970-01-02, i.e. always in the past. */
export const EXPIRED_DAY = 1;

/**
 * usermod arguments that make an existing tenant account usable for key logins (sshd with
 * UsePAM=no refuses a locked password field, even for keys), or [] when it already is.
 */
export function enableAccountArgs(passwd: PasswdEntry, shadow: ShadowEntry, shell: string): string[] {
  const args: string[] = [];
  if (hasPasswordHash(shadow)) {
    if (isLocked(shadow)) args.push('-U');
  } else if (shadow.password !== '*') {
    // '' (no password at all), '!' or '!*': '*' means "no password login, keys allowed".
    args.push('-p', '*');
  }
  if (shadow.expireDays !== null) args.push('-e', '');
  if (passwd.shell !== shell) args.push('-s', shell);
  return args;
}

/** usermod arguments that lock the account, expire it and take its shell away; [] when done already. */
export function disableAccountArgs(passwd: PasswdEntry, shadow: ShadowEntry): string[] {
  const args: string[] = [];
  if (!isLocked(shadow)) args.push('-L');
  if (shadow.expireDays !== EXPIRED_DAY) args.push('-e', String(EXPIRED_DAY));
  if (passwd.shell !== NOLOGIN_SHELL) args.push('-s', NOLOGIN_SHELL);
  return args;
}
