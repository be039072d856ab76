// Stable ApplicationFailure types thrown by workflows and activities; callers match on these.

export const FAILURE_TYPES = {
  /** No agent worker polled the host's task queue within the schedule-to-start timeout. */
  hostUnreachable: 'HOST_UNREACHABLE',
  /** The agent answering on host-<id> is configured with a different machine id. */
  hostIdentityMismatch: 'HOST_IDENTITY_MISMATCH',
  /** Input failed validation; retrying cannot help. */
  invalidInput: 'INVALID_INPUT',
  /** A host command ran and failed. */
  hostCommandFailed: 'HOST_COMMAND_FAILED',
  /** nvidia-smi is missing, the driver is not loaded or a GPU is lost. */
  gpuCheckFailed: 'GPU_CHECK_FAILED',
} as const;

export type FailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];
