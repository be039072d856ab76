// Applying `operation_update` socket messages to a machine's recent operations, so the machine page
// follows an operation's progress without re-reading the machine.
import { MachineDetail, Operation, OperationStatus, OperationStep } from '../../shared/api/api-types';
import { OperationUpdate } from '../../shared/live/live-messages';

const IN_FLIGHT: readonly string[] = ['pending', 'running'];

export interface AppliedOperationUpdate {
  machine: MachineDetail;
  /** false when the operation is not among the machine's recent operations (a re-read shows it). */
  known: boolean;
  /** true when this update ended an operation that was in flight: the machine itself changed too. */
  finished: boolean;
}

function stepsOf(value: unknown): OperationStep[] | null {
  if (!Array.isArray(value)) return null;
  return value
    .filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null && typeof s['name'] === 'string')
    .map((s) => ({
      name: s['name'] as string,
      status: String(s['status'] ?? 'pending'),
      started_at: (s['started_at'] as string | null | undefined) ?? null,
      ended_at: (s['ended_at'] as string | null | undefined) ?? null,
      error: (s['error'] as string | null | undefined) ?? null,
    }));
}

export function applyOperationUpdate(machine: MachineDetail, update: OperationUpdate): AppliedOperationUpdate {
  const id = String(update.operation_id);
  const index = machine.recent_operations.findIndex((op) => op.id === id);
  if (index < 0) return { machine, known: false, finished: false };
  const current = machine.recent_operations[index];
  const next: Operation = {
    ...current,
    status: update.status as OperationStatus,
    steps: stepsOf(update['steps']) ?? current.steps,
    current_step: 'current_step' in update ? ((update['current_step'] as string | null) ?? null) : current.current_step,
    error: 'error' in update ? ((update['error'] as string | null) ?? null) : current.error,
    finished_at: 'finished_at' in update ? ((update['finished_at'] as string | null) ?? null) : current.finished_at,
  };
  const recent = [...machine.recent_operations];
  recent[index] = next;
  return {
    machine: { ...machine, recent_operations: recent },
    known: true,
    finished: IN_FLIGHT.includes(current.status) && !IN_FLIGHT.includes(next.status),
  };
}
