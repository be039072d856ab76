// Pure handling of OpenSSH public keys and authorized_keys files: keys are compared by type and key
// blob, so the same key with another comment or options is "already present". Keys to add are
// validated by core's parser (the same rules as the API's key upload).
import { InvalidSshKeyError, parseSshPublicKey } from '@remotegpu/core';
import { invalidInput } from './errors';

/** Key types recognised in existing authorized_keys lines (wider than what may be added). */
export const KNOWN_KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-dss',
] as const;

export interface PublicKeyLine {
  type: string;
  /** base64 key blob */
  blob: string;
  comment: string;
  /** `type blob`: what makes two lines the same key. */
  identity: string;
  /** The normalised line written to authorized_keys: `type blob[ comment]`. */
  line: string;
}

/** Parses one public key as the platform stores it (`type base64 [comment]`, no options). */
export function parsePublicKeyLine(input: unknown): PublicKeyLine {
  if (typeof input !== 'string') throw invalidInput('public key must be a string');
  try {
    const key = parseSshPublicKey(input);
    return {
      type: key.type,
      blob: key.base64,
      comment: key.comment,
      identity: `${key.type} ${key.base64}`,
      line: key.authorizedKeysLine,
    };
  } catch (error) {
    if (error instanceof InvalidSshKeyError)
      throw invalidInput(`invalid public key (${error.reason}): ${error.message}`);
    throw error;
  }
}

const KEY_IN_LINE = new RegExp(
  `(?:^|[\\s,"])(${KNOWN_KEY_TYPES.map((t) => t.replace(/[.@]/g, '\\$&')).join('|')})\\s+([A-Za-z0-9+/]+={0,2})(?=\\s|$)`,
);

/** The key identity of an existing authorized_keys line (which may carry options), or null. */
export function identityOfAuthorizedLine(line: string): string | null {
  const trimmed = line.trim();
  if (!trimmed || trimmed.startsWith('#')) return null;
  const match = KEY_IN_LINE.exec(trimmed);
  return match ? `${match[1]} ${match[2]}` : null;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface MergeResult {
  content: string;
  added: number;
  alreadyPresent: number;
}

/** Appends the keys not yet present; everything already in the file stays as it is. */
export function mergeAuthorizedKeys(existing: string, keys: readonly PublicKeyLine[]): MergeResult {
  const lines = splitLines(existing);
  const present = new Set(lines.map(identityOfAuthorizedLine).filter((id): id is string => id !== null));
  let added = 0;
  let alreadyPresent = 0;
  for (const key of keys) {
    if (present.has(key.identity)) {
      alreadyPresent += 1;
      continue;
    }
    present.add(key.identity);
    lines.push(key.line);
    added += 1;
  }
  return { content: lines.length ? `${lines.join('\n')}\n` : '', added, alreadyPresent };
}

export interface RemoveResult {
  content: string;
  removed: number;
}

/**
 * Drops the lines of the given keys. With 'all' nothing survives (any line could grant access,
 * including key types this parser does not know), so the count is every non-comment line.
 */
export function removeAuthorizedKeys(existing: string, keys: readonly PublicKeyLine[] | 'all'): RemoveResult {
  const lines = splitLines(existing);
  if (keys === 'all') {
    const removed = lines.filter((line) => line.trim() && !line.trim().startsWith('#')).length;
    return { content: '', removed };
  }
  const doomed = new Set(keys.map((k) => k.identity));
  let removed = 0;
  const kept = lines.filter((line) => {
    const id = identityOfAuthorizedLine(line);
    const drop = id !== null && doomed.has(id);
    if (drop) removed += 1;
    return !drop;
  });
  return { content: kept.length ? `${kept.join('\n')}\n` : '', removed };
}
