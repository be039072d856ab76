import { Component, DestroyRef, OnInit, inject, signal } from '@angular/core';
import { NonNullableFormBuilder } from '@angular/forms';
import { MatSelectModule } from '@angular/material/select';
import { ApiClient } from '../../shared/api/api-client';
import { AuditLog } from '../../shared/api/api-types';
import { bindFilterForm, createPagedList } from '../../shared/api/paged-list';
import { LocalDatePipe } from '../../shared/i18n/i18n-pipes';
import { PAGED_TABLE_PAGE_IMPORTS } from '../../shared/ui/list-page-imports';
import { TABLE_ROWS, listPaginator } from '../../shared/ui/page-templates';
import { localInputToIso } from './date-input';

@Component({
  selector: 'rg-audit-page',
  imports: [...PAGED_TABLE_PAGE_IMPORTS, MatSelectModule, LocalDatePipe],
  template: `
    <section class="page">
      <header class="page-header">
        <h1>{{ 'audit.title' | t }}</h1>
      </header>
      <form class="filters" [formGroup]="filters">
        <mat-form-field>
          <mat-label>{{ 'audit.user' | t }}</mat-label>
          <input matInput formControlName="username" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'audit.action' | t }}</mat-label>
          <input matInput formControlName="action" placeholder="allocation.create" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'audit.resourceType' | t }}</mat-label>
          <mat-select formControlName="resource_type">
            <mat-option value="">{{ 'common.all' | t }}</mat-option>
            @for (r of resourceTypes; track r) {
              <mat-option [value]="r">{{ r }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'audit.trace' | t }}</mat-label>
          <input matInput formControlName="trace_id" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'audit.from' | t }}</mat-label>
          <input matInput type="datetime-local" formControlName="from" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'audit.to' | t }}</mat-label>
          <input matInput type="datetime-local" formControlName="to" />
        </mat-form-field>
      </form>
      <div class="table-wrap">
        <table mat-table [dataSource]="list.rows()">
          <ng-container matColumnDef="time">
            <th mat-header-cell *matHeaderCellDef>{{ 'audit.time' | t }}</th>
            <td mat-cell *matCellDef="let l">{{ l.created_at | localDate }}</td>
          </ng-container>
          <ng-container matColumnDef="user">
            <th mat-header-cell *matHeaderCellDef>{{ 'audit.user' | t }}</th>
            <td mat-cell *matCellDef="let l">{{ l.username ?? l.user_id ?? '—' }}</td>
          </ng-container>
          <ng-container matColumnDef="ip">
            <th mat-header-cell *matHeaderCellDef>{{ 'audit.ip' | t }}</th>
            <td mat-cell *matCellDef="let l" class="mono">{{ l.ip ?? '' }}</td>
          </ng-container>
          <ng-container matColumnDef="action">
            <th mat-header-cell *matHeaderCellDef>{{ 'audit.action' | t }}</th>
            <td mat-cell *matCellDef="let l">{{ l.action }}</td>
          </ng-container>
          <ng-container matColumnDef="resource">
            <th mat-header-cell *matHeaderCellDef>{{ 'audit.resource' | t }}</th>
            <td mat-cell *matCellDef="let l" class="mono">
              {{ l.resource_type ?? '' }}{{ l.resource_id ? ':' + l.resource_id : '' }}
            </td>
          </ng-container>
          <ng-container matColumnDef="path">
            <th mat-header-cell *matHeaderCellDef>{{ 'audit.path' | t }}</th>
            <td mat-cell *matCellDef="let l" class="mono">{{ l.method }} {{ l.path }}</td>
          </ng-container>
          <ng-container matColumnDef="status">
            <th mat-header-cell *matHeaderCellDef>{{ 'audit.statusCode' | t }}</th>
            <td mat-cell *matCellDef="let l">{{ l.status_code }}</td>
          </ng-container>
          <ng-container matColumnDef="trace">
            <th mat-header-cell *matHeaderCellDef>{{ 'audit.trace' | t }}</th>
            <td mat-cell *matCellDef="let l" class="mono muted">{{ l.trace_id ?? '' }}</td>
          </ng-container>
          ${TABLE_ROWS}
        </table>
      </div>
      ${listPaginator('[pageSizeOptions]="[20, 50, 100]"')}
    </section>
  `,
})
export class AuditPage implements OnInit {
  private readonly api = inject(ApiClient);
  readonly resourceTypes = ['user', 'tenant', 'machine', 'allocation', 'ssh_key', 'alert', 'operation'];
  readonly columns = ['time', 'user', 'ip', 'action', 'resource', 'path', 'status', 'trace'];
  readonly filters = inject(NonNullableFormBuilder).group({
    username: [''],
    action: [''],
    resource_type: [''],
    trace_id: [''],
    from: [''],
    to: [''],
  });

  readonly list = createPagedList(signal, (query) => {
    const { from, to, ...rest } = this.filters.getRawValue();
    return this.api.page<AuditLog>('/admin/audit/logs', {
      ...rest,
      from: localInputToIso(from),
      to: localInputToIso(to),
      ...query,
    });
  });

  constructor() {
    bindFilterForm(this.filters, this.list, inject(DestroyRef));
  }

  ngOnInit(): void {
    void this.list.load();
  }
}
