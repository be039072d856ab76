// Mount points for datasets on hosts: absolute, normalised, strictly under an allowed prefix.

export const DEFAULT_MOUNT_PREFIXES: readonly string[] = ['/data', '/mnt/datasets'];
export const MOUNT_POINT_MAX_LENGTH = 255;

export type MountPointErrorCode =
  'empty' | 'not_absolute' | 'bad_characters' | 'parent_segment' | 'too_long' | 'outside_allowed_prefixes';

export class InvalidMountPointError extends Error {
  readonly code = 'INVALID_MOUNT_POINT';

  constructor(
    readonly reason: MountPointErrorCode,
    readonly mountPoint: string,
  ) {
    super(`mount point '${mountPoint}' rejected: ${reason}`);
    this.name = 'InvalidMountPointError';
  }
}

/** Only characters that need no quoting anywhere (fstab, rclone/s3fs argv, systemd units). */
const SAFE_PATH = /^[A-Za-z0-9._@+/-]+$/;

function normalisePrefix(prefix: string): string {
  return '/' + prefix.split('/').filter(Boolean).join('/');
}

/**
 * Returns the normalised path (`//` collapsed, `.` segments and trailing `/` removed) or throws.
 * `..` is rejected, not resolved: a path that tries to climb is an error, whatever it would resolve to.
 */
export function normaliseMountPoint(
  input: string,
  allowedPrefixes: readonly string[] = DEFAULT_MOUNT_PREFIXES,
): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(input)) throw new InvalidMountPointError('bad_characters', input);
  const raw = input.trim();
  if (!raw) throw new InvalidMountPointError('empty', input);
  if (!raw.startsWith('/')) throw new InvalidMountPointError('not_absolute', input);
  if (!SAFE_PATH.test(raw)) throw new InvalidMountPointError('bad_characters', input);
  const segments = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new InvalidMountPointError('parent_segment', input);
  const path = '/' + segments.join('/');
  if (path.length > MOUNT_POINT_MAX_LENGTH) throw new InvalidMountPointError('too_long', input);
  const underPrefix = allowedPrefixes.map(normalisePrefix).some((prefix) => path.startsWith(prefix + '/'));
  if (!underPrefix) throw new InvalidMountPointError('outside_allowed_prefixes', input);
  return path;
}
