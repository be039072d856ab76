// The import endpoint's per-row report, shaped for display: failed rows first, then skipped, then created.
import { ImportReport } from '../../shared/api/api-types';

export type ImportRowOutcome = 'created' | 'skipped' | 'error';

export interface ImportRowView {
  row: number;
  outcome: ImportRowOutcome;
  id: string;
  reason: string;
}

export interface ImportSummary {
  /** false when bad rows stopped the whole import (skip_bad_rows off) */
  imported: boolean;
  total: number;
  created: number;
  skipped: number;
  errors: number;
  rows: ImportRowView[];
}

const ORDER: Record<ImportRowOutcome, number> = { error: 0, skipped: 1, created: 2 };

function outcomeOf(status: string): ImportRowOutcome {
  return status === 'created' || status === 'skipped' ? status : 'error';
}

export function summarizeImport(report: ImportReport): ImportSummary {
  const rows = (report.rows ?? [])
    .map((r) => ({ row: r.row, outcome: outcomeOf(r.status), id: r.id ?? '', reason: r.reason ?? '' }))
    .sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome] || a.row - b.row);
  const count = (outcome: ImportRowOutcome) => rows.filter((r) => r.outcome === outcome).length;
  return {
    imported: report.imported ?? count('error') === 0,
    total: report.total ?? rows.length,
    created: report.created ?? count('created'),
    skipped: report.skipped ?? count('skipped'),
    errors: report.errors ?? count('error'),
    rows,
  };
}

/** A failed request may still carry the report (e.g. 422 with the rows in `data`). */
export function reportFromError(error: unknown): ImportReport | null {
  const data = (error as { data?: unknown } | null)?.data as Partial<ImportReport> | undefined;
  return data && Array.isArray(data.rows) ? (data as ImportReport) : null;
}
