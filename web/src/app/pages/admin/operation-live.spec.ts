import { MachineDetail, Operation } from '../../shared/api/api-types';
import { applyOperationUpdate } from './operation-live';

function operation(over: Partial<Operation> = {}): Operation {
  return {
    id: 'op-1',
    kind: 'allocate',
    status: 'pending',
    workflow_id: 'allocate-a1',
    steps: [],
    error: null,
    created_at: '2026-01-01T00:00:00.000Z',
    finished_at: null,
    ...over,
  };
}

function machine(ops: Operation[]): MachineDetail {
  return { id: 'gpu-1', recent_operations: ops } as unknown as MachineDetail;
}

describe('applyOperationUpdate', () => {
  it('patches the operation in place with the pushed status and steps', () => {
    const before = machine([operation({ id: 'op-0', status: 'succeeded' }), operation()]);
    const applied = applyOperationUpdate(before, {
      operation_id: 'op-1',
      status: 'running',
      machine_id: 'gpu-1',
      current_step: 'ensure_user',
      steps: [
        { name: 'load_ssh_keys', status: 'succeeded', started_at: 'a', ended_at: 'b', error: null },
        { name: 'ensure_user', status: 'running', started_at: 'c', ended_at: null, error: null },
      ],
    });
    expect(applied.known).toBe(true);
    expect(applied.finished).toBe(false);
    expect(applied.machine.recent_operations[0]).toBe(before.recent_operations[0]);
    expect(applied.machine.recent_operations[1]).toMatchObject({
      id: 'op-1',
      status: 'running',
      workflow_id: 'allocate-a1',
      current_step: 'ensure_user',
      steps: [
        { name: 'load_ssh_keys', status: 'succeeded' },
        { name: 'ensure_user', status: 'running', ended_at: null },
      ],
    });
    // The input is not mutated (signals compare by reference).
    expect(before.recent_operations[1].status).toBe('pending');
  });

  it('reports an operation that ends, once', () => {
    const running = machine([operation({ status: 'running' })]);
    const ended = applyOperationUpdate(running, {
      operation_id: 'op-1',
      status: 'failed',
      error: 'boom',
      finished_at: '2026-01-01T00:01:00.000Z',
    });
    expect(ended).toMatchObject({ known: true, finished: true });
    expect(ended.machine.recent_operations[0]).toMatchObject({ status: 'failed', error: 'boom', steps: [] });
    expect(applyOperationUpdate(ended.machine, { operation_id: 'op-1', status: 'failed' }).finished).toBe(false);
  });

  it('leaves the machine as it is for an operation it does not show', () => {
    const before = machine([operation()]);
    const applied = applyOperationUpdate(before, { operation_id: 'op-9', status: 'running' });
    expect(applied).toEqual({ machine: before, known: false, finished: false });
  });
});
