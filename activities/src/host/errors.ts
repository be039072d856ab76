import { ApplicationFailure } from '@temporalio/activity';
import { FAILURE_TYPES } from '@remotegpu/core/contracts';
import type { CommandResult } from './deps';

/** Bad input: retrying cannot help, so the failure is non-retryable and nothing was changed. */
export function invalidInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, FAILURE_TYPES.invalidInput);
}

/** A host command failed; retryable (the next attempt may find the host in a better state). */
export function commandFailed(what: string, result: CommandResult): ApplicationFailure {
  const detail = (result.stderr || result.stdout).trim().slice(0, 500);
  return ApplicationFailure.retryable(
    `${what} failed (exit ${result.exitCode})${detail ? `: ${detail}` : ''}`,
    FAILURE_TYPES.hostCommandFailed,
  );
}
