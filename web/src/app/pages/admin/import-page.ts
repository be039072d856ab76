import { Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { ApiClient } from '../../shared/api/api-client';
import { ImportReport } from '../../shared/api/api-types';
import { createFormSubmission } from '../../shared/api/form-submission';
import { TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { SIMPLE_TABLE_STYLES } from '../../shared/ui/page-templates';
import { StatusChip } from '../../shared/ui/status-chip';
import { ImportSummary, reportFromError, summarizeImport } from './import-report';

@Component({
  selector: 'rg-import-page',
  imports: [FormsModule, MatCardModule, MatButton, MatCheckbox, MatIcon, MatProgressBar, TranslatePipe, StatusChip],
  template: `
    <section class="page">
      <header class="page-header">
        <h1>{{ 'import.title' | t }}</h1>
      </header>
      <mat-card appearance="outlined">
        <mat-card-content>
          <p>{{ 'import.hint' | t }}</p>
          <p class="muted mono">{{ 'import.columns' | t }}</p>
          <div class="row">
            <input
              #fileInput
              type="file"
              hidden
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              (change)="pick(fileInput.files)"
            />
            <button mat-stroked-button type="button" (click)="fileInput.click()">
              <mat-icon>attach_file</mat-icon>{{ 'import.chooseFile' | t }}
            </button>
            <span class="mono">{{ file()?.name ?? '' }}</span>
          </div>
          <mat-checkbox [(ngModel)]="skipBadRows">{{ 'import.skipBadRows' | t }}</mat-checkbox>
        </mat-card-content>
        <mat-card-actions>
          <button mat-flat-button type="button" [disabled]="!file() || submission.busy()" (click)="upload()">
            <mat-icon>upload</mat-icon>{{ 'import.upload' | t }}
          </button>
        </mat-card-actions>
        @if (submission.busy()) {
          <mat-progress-bar mode="indeterminate" />
        }
      </mat-card>
      @if (summary(); as s) {
        <h2 data-testid="import-summary">
          {{ 'import.summary' | t: { total: s.total, created: s.created, skipped: s.skipped, errors: s.errors } }}
        </h2>
        @if (!s.imported) {
          <p class="error-text">{{ 'import.notImported' | t }}</p>
        }
        <div class="table-wrap">
          <table class="simple">
            <thead>
              <tr>
                <th>{{ 'import.row' | t }}</th>
                <th>{{ 'machine.id' | t }}</th>
                <th>{{ 'import.result' | t }}</th>
                <th>{{ 'import.reason' | t }}</th>
              </tr>
            </thead>
            <tbody>
              @for (r of s.rows; track r.row) {
                <tr>
                  <td>{{ r.row }}</td>
                  <td class="mono">{{ r.id }}</td>
                  <td><rg-status-chip [value]="r.outcome" prefix="import.outcome." /></td>
                  <td [class.error-text]="r.outcome === 'error'">{{ r.reason }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
      @if (submission.error()) {
        <p class="error-text" role="alert">{{ submission.error() }}</p>
      }
    </section>
  `,
  styles: [
    SIMPLE_TABLE_STYLES,
    `
      h2 {
        font: var(--mat-sys-title-medium);
        margin: 24px 0 8px;
      }
    `,
  ],
})
export class ImportPage {
  private readonly api = inject(ApiClient);
  readonly file = signal<File | null>(null);
  readonly summary = signal<ImportSummary | null>(null);
  readonly submission = createFormSubmission(signal, {
    describeError: (error) => {
      // A rejected file still comes with its per-row report: show which rows were wrong.
      const report = reportFromError(error);
      if (report) this.summary.set(summarizeImport(report));
      return error instanceof Error ? error.message : String(error);
    },
  });
  skipBadRows = true;

  pick(files: FileList | null): void {
    this.file.set(files?.item(0) ?? null);
    this.summary.set(null);
    this.submission.error.set('');
  }

  upload(): Promise<void> {
    const file = this.file();
    if (!file) return Promise.resolve();
    const form = new FormData();
    form.append('file', file, file.name);
    return this.submission.run(null, async () => {
      const report = await this.api.post<ImportReport>('/admin/machines/import', form, {
        query: { skip_bad_rows: this.skipBadRows },
        silent: true,
      });
      this.summary.set(summarizeImport(report));
    });
  }
}
