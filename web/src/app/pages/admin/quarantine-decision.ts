// Whether a machine's reclaim is quarantined waiting for an admin's decision, and what each decision asks.
import { MachineDetail, Operation } from '../../shared/api/api-types';

export type ReclaimDecision = 'retry' | 'skip-step' | 'mark-broken';

export const RECLAIM_DECISIONS: readonly ReclaimDecision[] = ['retry', 'skip-step', 'mark-broken'];

/** Decisions that cannot be undone (a skipped step stays skipped, a broken machine stays out) confirm first. */
export function decisionNeedsConfirm(decision: ReclaimDecision): boolean {
  return decision !== 'retry';
}

/**
 * The reclaim operation waiting for a decision, if any: the reclaim workflow quarantines the machine
 * (maintenance) and keeps running with the step that kept failing marked failed until an admin answers.
 */
export function awaitingDecision(
  machine: Pick<MachineDetail, 'allocation_status' | 'recent_operations'>,
): Operation | null {
  if (machine.allocation_status !== 'maintenance') return null;
  return machine.recent_operations.find(isAwaitingDecision) ?? null;
}

export function isAwaitingDecision(operation: Operation): boolean {
  return (
    operation.kind === 'reclaim' &&
    operation.status === 'running' &&
    operation.steps.some((step) => step.status === 'failed')
  );
}

/** The step the reclaim is stuck on (the last failed one), for the confirmation text. */
export function failedStepOf(operation: Operation): string | null {
  const failed = operation.steps.filter((step) => step.status === 'failed');
  return failed.length ? failed[failed.length - 1].name : (operation.current_step ?? null);
}
