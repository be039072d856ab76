import { isValidCompanyCode } from './validators';

/** Portable user name as useradd accepts it (lower-case, ≤ 32 characters). */
export const UNIX_USERNAME_PATTERN = /^[a-z_][a-z0-9_-]{0,31}$/;

/** Accounts a tenant must never be given (or be able to name): system users of Debian/RHEL hosts. */
export const RESERVED_UNIX_USERNAMES: ReadonlySet<string> = new Set([
  'root',
  'daemon',
  'bin',
  'sys',
  'sync',
  'games',
  'man',
  'lp',
  'mail',
  'news',
  'uucp',
  'proxy',
  'www-data',
  'backup',
  'list',
  'irc',
  'gnats',
  'nobody',
  'nogroup',
  '_apt',
  'systemd-network',
  'systemd-resolve',
  'systemd-timesync',
  'systemd-coredump',
  'messagebus',
  'sshd',
  'polkitd',
  'syslog',
  'adm',
  'admin',
  'sudo',
  'wheel',
  'docker',
  'shadow',
  'staff',
  'users',
  'operator',
  'halt',
  'shutdown',
  'ftp',
  'postgres',
  'redis',
  'nginx',
  'ubuntu',
  'debian',
  'remotegpu',
]);

export function isValidUnixUsername(name: string): boolean {
  return UNIX_USERNAME_PATTERN.test(name) && !RESERVED_UNIX_USERNAMES.has(name);
}

export class InvalidCompanyCodeError extends Error {
  readonly code = 'INVALID_COMPANY_CODE';

  constructor(readonly companyCode: string) {
    super(`company code '${companyCode}' is not valid: lower-case letters, digits and '-', 2 to 30 characters`);
    this.name = 'InvalidCompanyCodeError';
  }
}

/** The unix user every host allocated to the tenant gets: `t_<company_code>` (`-` kept, valid for useradd). */
export function tenantUnixUser(companyCode: string): string {
  if (!isValidCompanyCode(companyCode)) throw new InvalidCompanyCodeError(companyCode);
  const name = `t_${companyCode}`;
  // unreachable with a valid company code; kept so a pattern change cannot produce a bad user silently
  if (!isValidUnixUsername(name)) throw new InvalidCompanyCodeError(companyCode);
  return name;
}
