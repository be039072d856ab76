import { temporalRunUrl, toOperationView } from './operation-repository';

const ui = { baseUrl: 'http://127.0.0.1:18233/', namespace: 'default' };

function row(overrides: Record<string, unknown> = {}) {
  return {
    id: 'op-1',
    kind: 'allocate' as const,
    status: 'running' as const,
    machine_id: 'm-1',
    allocation_id: 'alloc-1',
    tenant_id: 3,
    workflow_id: 'allocate-alloc-1',
    run_id: null,
    steps: [
      {
        name: 'ensure_user',
        status: 'succeeded' as const,
        startedAt: '2026-01-01T00:00:00.000Z',
        endedAt: '2026-01-01T00:00:01.000Z',
      },
      { name: 'inject_ssh_keys', status: 'running' as const, startedAt: '2026-01-01T00:00:01.000Z' },
    ],
    result: null,
    error: null,
    requested_by: 1,
    created_at: new Date('2026-01-01T00:00:00Z'),
    updated_at: new Date('2026-01-01T00:00:01Z'),
    finished_at: null,
    ...overrides,
  };
}

describe('temporalRunUrl', () => {
  it('links the workflow, and the run when known', () => {
    expect(temporalRunUrl(ui, 'allocate-alloc-1')).toBe(
      'http://127.0.0.1:18233/namespaces/default/workflows/allocate-alloc-1',
    );
    expect(temporalRunUrl(ui, 'a b', 'run-1')).toBe('http://127.0.0.1:18233/namespaces/default/workflows/a%20b/run-1');
  });
});

describe('toOperationView', () => {
  it('maps steps to snake_case and names the running step as current', () => {
    const view = toOperationView(row(), ui);
    expect(view.current_step).toBe('inject_ssh_keys');
    expect(view.steps[0]).toEqual({
      name: 'ensure_user',
      status: 'succeeded',
      started_at: '2026-01-01T00:00:00.000Z',
      ended_at: '2026-01-01T00:00:01.000Z',
      error: null,
    });
    expect(view.temporal_url).toBe('http://127.0.0.1:18233/namespaces/default/workflows/allocate-alloc-1');
  });

  it('names the failed step of a failed operation and none of a finished one; parses JSON text columns', () => {
    const failed = toOperationView(
      row({ status: 'failed', steps: JSON.stringify([{ name: 'nvidia_check', status: 'failed', error: 'GPU lost' }]) }),
      ui,
    );
    expect(failed.current_step).toBe('nvidia_check');
    expect(failed.steps[0].error).toBe('GPU lost');
    expect(toOperationView(row({ status: 'succeeded', steps: [] }), ui).current_step).toBeNull();
  });
});
