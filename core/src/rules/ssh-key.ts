// SSH public key validation for keys customers upload (they end up in authorized_keys on hosts).
// One key per input, in the `type base64 [comment]` form only: no options prefix (command=, from=...),
// no private keys, no several lines. Parsed with ssh2's key parser, and the blob is checked on its own.
import { createHash } from 'node:crypto';
import { utils } from 'ssh2';

export const ALLOWED_SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
] as const;
export type SshKeyType = (typeof ALLOWED_SSH_KEY_TYPES)[number];

export const RSA_MIN_BITS = 2048;
export const SSH_KEY_COMMENT_MAX_LENGTH = 200;
const MAX_INPUT_LENGTH = 16 * 1024;

export type SshKeyErrorCode =
  | 'empty'
  | 'too_long'
  | 'private_key'
  | 'multi_line'
  | 'options_not_allowed'
  | 'unsupported_type'
  | 'malformed'
  | 'rsa_too_short'
  | 'bad_comment';

export class InvalidSshKeyError extends Error {
  readonly code = 'INVALID_SSH_KEY';

  constructor(
    readonly reason: SshKeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidSshKeyError';
  }
}

export interface ParsedSshPublicKey {
  type: SshKeyType;
  /** Base64 of the key blob, as in authorized_keys. */
  base64: string;
  comment: string;
  /** `SHA256:<base64 without padding>` — what `ssh-keygen -l` prints. */
  fingerprint: string;
  /** Key size in bits: RSA modulus length; 256 for ed25519; the curve size for ECDSA. */
  bits: number;
  /** Normalised authorized_keys line `type base64 comment` (no trailing space when there is no comment). */
  authorizedKeysLine: string;
}

const isAllowedType = (t: string): t is SshKeyType => (ALLOWED_SSH_KEY_TYPES as readonly string[]).includes(t);
const KEY_TYPE_LIKE = /^(ssh-|ecdsa-|sk-)/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const ECDSA_BITS: Record<string, number> = { nistp256: 256, nistp384: 384, nistp521: 521 };

/** Reads the SSH wire-format `string`s of a key blob (uint32 length + bytes each). */
function readSshStrings(blob: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  while (offset < blob.length) {
    if (offset + 4 > blob.length) throw new InvalidSshKeyError('malformed', 'truncated key data');
    const len = blob.readUInt32BE(offset);
    offset += 4;
    if (offset + len > blob.length) throw new InvalidSshKeyError('malformed', 'truncated key data');
    out.push(blob.subarray(offset, offset + len));
    offset += len;
  }
  return out;
}

function mpintBits(mpint: Buffer): number {
  let i = 0;
  while (i < mpint.length && mpint[i] === 0) i++;
  if (i === mpint.length) return 0;
  return (mpint.length - i - 1) * 8 + (32 - Math.clz32(mpint[i]!));
}

function keyBits(type: SshKeyType, fields: Buffer[]): number {
  if (type === 'ssh-rsa') {
    if (fields.length !== 3) throw new InvalidSshKeyError('malformed', 'RSA key data has the wrong shape');
    return mpintBits(fields[2]!);
  }
  if (type === 'ssh-ed25519') {
    if (fields.length !== 2 || fields[1]!.length !== 32) {
      throw new InvalidSshKeyError('malformed', 'ed25519 key data has the wrong shape');
    }
    return 256;
  }
  const curve = type.slice('ecdsa-sha2-'.length);
  if (fields.length !== 3 || fields[1]!.toString('latin1') !== curve) {
    throw new InvalidSshKeyError('malformed', 'ECDSA key data does not match its curve');
  }
  return ECDSA_BITS[curve]!;
}

/** Parses and validates one public key; throws InvalidSshKeyError (with a stable `reason`) otherwise. */
export function parseSshPublicKey(input: string): ParsedSshPublicKey {
  if (input.length > MAX_INPUT_LENGTH) throw new InvalidSshKeyError('too_long', 'input is too long for a public key');
  const text = input.trim();
  if (!text) throw new InvalidSshKeyError('empty', 'no key given');
  if (/PRIVATE KEY/.test(text)) {
    throw new InvalidSshKeyError('private_key', 'this is a PRIVATE key: upload the .pub file instead');
  }
  if (/[\r\n]/.test(text)) throw new InvalidSshKeyError('multi_line', 'exactly one key, on one line, is expected');

  const tokens = text.split(/[ \t]+/);
  const [type, base64, ...commentTokens] = tokens;
  if (!isAllowedType(type!)) {
    if (tokens.slice(1).some((t) => isAllowedType(t))) {
      throw new InvalidSshKeyError('options_not_allowed', 'authorized_keys options before the key are not allowed');
    }
    const reason = KEY_TYPE_LIKE.test(type!) ? 'unsupported_type' : 'malformed';
    throw new InvalidSshKeyError(reason, `key type must be one of ${ALLOWED_SSH_KEY_TYPES.join(', ')}`);
  }
  if (!base64 || !BASE64.test(base64) || base64.length % 4 !== 0) {
    throw new InvalidSshKeyError('malformed', 'key data is not valid base64');
  }

  const comment = commentTokens.join(' ');
  // eslint-disable-next-line no-control-regex
  if (comment.length > SSH_KEY_COMMENT_MAX_LENGTH || /[\x00-\x1f\x7f]/.test(comment)) {
    throw new InvalidSshKeyError('bad_comment', 'the key comment is too long or has control characters');
  }

  const blob = Buffer.from(base64, 'base64');
  const fields = readSshStrings(blob);
  if (fields[0]?.toString('latin1') !== type) {
    throw new InvalidSshKeyError('malformed', `key data is not a ${type} key`);
  }
  const bits = keyBits(type, fields);

  const parsed = utils.parseKey(`${type} ${base64}`);
  if (parsed instanceof Error || Array.isArray(parsed) || parsed.isPrivateKey() || parsed.type !== type) {
    throw new InvalidSshKeyError('malformed', 'key data cannot be parsed');
  }
  if (type === 'ssh-rsa' && bits < RSA_MIN_BITS) {
    throw new InvalidSshKeyError('rsa_too_short', `RSA keys need at least ${RSA_MIN_BITS} bits (this one has ${bits})`);
  }

  const normalisedBase64 = blob.toString('base64');
  const fingerprint = 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return {
    type,
    base64: normalisedBase64,
    comment,
    fingerprint,
    bits,
    authorizedKeysLine: comment ? `${type} ${normalisedBase64} ${comment}` : `${type} ${normalisedBase64}`,
  };
}

/** Non-throwing form for validators. */
export function validateSshPublicKey(
  input: string,
): { ok: true; key: ParsedSshPublicKey } | { ok: false; reason: SshKeyErrorCode; message: string } {
  try {
    return { ok: true, key: parseSshPublicKey(input) };
  } catch (error) {
    if (error instanceof InvalidSshKeyError) return { ok: false, reason: error.reason, message: error.message };
    throw error;
  }
}
