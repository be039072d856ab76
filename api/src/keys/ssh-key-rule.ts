// The core SSH key rule (rules/ssh-key) as the API's 400 INVALID_SSH_KEY.
import { InvalidSshKeyError, parseSshPublicKey, type ParsedSshPublicKey } from '@remotegpu/core';
import { AppError } from '../http/errors';

export function parsePublicKeyOrThrow(input: string): ParsedSshPublicKey & { normalized: string } {
  try {
    const parsed = parseSshPublicKey(input);
    return { ...parsed, normalized: parsed.authorizedKeysLine };
  } catch (err) {
    if (err instanceof InvalidSshKeyError) {
      throw new AppError('INVALID_SSH_KEY', err.message, {
        reason: err.reason,
        fields: [{ field: 'public_key', message: err.message }],
      });
    }
    throw err;
  }
}
