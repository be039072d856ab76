import { MachineDetail, Operation, OperationStep } from '../../shared/api/api-types';
import { awaitingDecision, decisionNeedsConfirm, failedStepOf, isAwaitingDecision } from './quarantine-decision';

function step(name: string, status: string): OperationStep {
  return { name, status, started_at: null, ended_at: null, error: status === 'failed' ? 'boom' : null };
}

function reclaim(over: Partial<Operation> = {}): Operation {
  return {
    id: 'op-9',
    kind: 'reclaim',
    status: 'running',
    workflow_id: 'reclaim-a1',
    current_step: 'wipe_data',
    steps: [step('mark_reclaiming', 'succeeded'), step('wipe_data', 'failed')],
    error: null,
    created_at: '2026-01-01T00:00:00.000Z',
    finished_at: null,
    ...over,
  };
}

function machine(
  allocation_status: MachineDetail['allocation_status'],
  ops: Operation[],
): Pick<MachineDetail, 'allocation_status' | 'recent_operations'> {
  return { allocation_status, recent_operations: ops };
}

describe('awaitingDecision', () => {
  it('finds the running reclaim with a failed step on a machine in maintenance', () => {
    const stuck = reclaim();
    const other = reclaim({ id: 'op-1', kind: 'allocate', status: 'succeeded', steps: [] });
    expect(awaitingDecision(machine('maintenance', [other, stuck]))).toBe(stuck);
  });

  it('is null unless the machine is in maintenance', () => {
    expect(awaitingDecision(machine('reclaiming', [reclaim()]))).toBeNull();
    expect(awaitingDecision(machine('idle', [reclaim()]))).toBeNull();
  });

  it('is null once the reclaim ended (marked broken) even though the machine stays in maintenance', () => {
    expect(awaitingDecision(machine('maintenance', [reclaim({ status: 'failed' })]))).toBeNull();
    expect(awaitingDecision(machine('maintenance', []))).toBeNull();
  });
});

describe('isAwaitingDecision', () => {
  it('needs a running reclaim with a failed step', () => {
    expect(isAwaitingDecision(reclaim())).toBe(true);
    expect(isAwaitingDecision(reclaim({ kind: 'allocate' }))).toBe(false);
    expect(isAwaitingDecision(reclaim({ status: 'pending' }))).toBe(false);
    expect(isAwaitingDecision(reclaim({ status: 'succeeded' }))).toBe(false);
  });

  it('is false while a retried step runs again or after a step was skipped', () => {
    expect(
      isAwaitingDecision(reclaim({ steps: [step('mark_reclaiming', 'succeeded'), step('wipe_data', 'running')] })),
    ).toBe(false);
    expect(
      isAwaitingDecision(reclaim({ steps: [step('wipe_data', 'skipped'), step('verify_clean', 'running')] })),
    ).toBe(false);
  });
});

describe('failedStepOf', () => {
  it('names the failed step, falling back to the current one', () => {
    expect(failedStepOf(reclaim())).toBe('wipe_data');
    expect(failedStepOf(reclaim({ steps: [], current_step: 'stop_vnc' }))).toBe('stop_vnc');
    expect(failedStepOf(reclaim({ steps: [], current_step: null }))).toBeNull();
  });
});

describe('decisionNeedsConfirm', () => {
  it('confirms skip-step and mark-broken, not retry', () => {
    expect(decisionNeedsConfirm('retry')).toBe(false);
    expect(decisionNeedsConfirm('skip-step')).toBe(true);
    expect(decisionNeedsConfirm('mark-broken')).toBe(true);
  });
});
