import { localInputToIso } from './date-input';
import { reportFromError, summarizeImport } from './import-report';
import { temporalWorkflowUrl } from './temporal-link';

describe('summarizeImport', () => {
  it('orders failed rows first and keeps the API counts', () => {
    expect(
      summarizeImport({
        imported: true,
        total: 4,
        created: 2,
        skipped: 1,
        errors: 1,
        rows: [
          { row: 2, status: 'created', id: 'gpu-01' },
          { row: 3, status: 'error', id: 'bad', reason: 'ip: must be an IPv4 or IPv6 address' },
          { row: 4, status: 'skipped', id: 'gpu-00', reason: 'already registered' },
          { row: 5, status: 'created', id: 'gpu-02' },
        ],
      }),
    ).toEqual({
      imported: true,
      total: 4,
      created: 2,
      skipped: 1,
      errors: 1,
      rows: [
        { row: 3, outcome: 'error', id: 'bad', reason: 'ip: must be an IPv4 or IPv6 address' },
        { row: 4, outcome: 'skipped', id: 'gpu-00', reason: 'already registered' },
        { row: 2, outcome: 'created', id: 'gpu-01', reason: '' },
        { row: 5, outcome: 'created', id: 'gpu-02', reason: '' },
      ],
    });
  });

  it('treats unknown row statuses as errors and finds a report inside an error', () => {
    const report = {
      imported: false,
      total: 1,
      created: 0,
      skipped: 0,
      errors: 1,
      rows: [{ row: 2, status: 'weird' }],
    };
    expect(summarizeImport(report).rows[0]).toEqual({ row: 2, outcome: 'error', id: '', reason: '' });
    expect(reportFromError({ data: report })).toBe(report);
    expect(reportFromError({ data: null })).toBeNull();
    expect(reportFromError(null)).toBeNull();
  });
});

describe('admin helpers', () => {
  it('links a workflow in the Temporal UI', () => {
    expect(temporalWorkflowUrl('allocate-a/1')).toBe(
      'http://127.0.0.1:18233/namespaces/default/workflows/allocate-a%2F1',
    );
  });

  it('converts datetime-local input to ISO, empty meaning "now"', () => {
    expect(localInputToIso('')).toBeUndefined();
    expect(localInputToIso('nonsense')).toBeUndefined();
    expect(localInputToIso('2026-02-05T00:00')).toBe(new Date(2026, 1, 5, 0, 0).toISOString());
  });
});
