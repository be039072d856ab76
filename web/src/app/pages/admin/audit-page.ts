import { Component, OnInit, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatPaginator, PageEvent } from '@angular/material/paginator';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { debounceTime } from 'rxjs';
import { ApiClient } from '../../shared/api/api-client';
import { AuditLog } from '../../shared/api/api-types';
import { LocalDatePipe, TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { localInputToIso } from './date-input';

@Component({
  selector: 'rg-audit-page',
  imports: [
    ReactiveFormsModule,
    MatTableModule,
    MatPaginator,
    MatFormFieldModule,
    MatInput,
    MatSelectModule,
    TranslatePipe,
    LocalDatePipe,
  ],
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
        <table mat-table [dataSource]="rows()">
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
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns"></tr>
          <tr class="mat-row" *matNoDataRow>
            <td class="mat-cell muted" [attr.colspan]="columns.length">{{ 'common.empty' | t }}</td>
          </tr>
        </table>
      </div>
      <mat-paginator
        [length]="total()"
        [pageIndex]="page() - 1"
        [pageSize]="pageSize()"
        [pageSizeOptions]="[20, 50, 100]"
        (page)="onPage($event)"
      />
    </section>
  `,
})
export class AuditPage implements OnInit {
  private readonly api = inject(ApiClient);
  readonly resourceTypes = ['user', 'tenant', 'machine', 'allocation', 'ssh_key', 'alert', 'operation'];
  readonly columns = ['time', 'user', 'ip', 'action', 'resource', 'path', 'status', 'trace'];
  readonly rows = signal<AuditLog[]>([]);
  readonly total = signal(0);
  readonly page = signal(1);
  readonly pageSize = signal(20);
  readonly filters = inject(NonNullableFormBuilder).group({
    username: [''],
    action: [''],
    resource_type: [''],
    trace_id: [''],
    from: [''],
    to: [''],
  });

  constructor() {
    this.filters.valueChanges.pipe(debounceTime(300), takeUntilDestroyed()).subscribe(() => {
      this.page.set(1);
      void this.load();
    });
  }

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    const { from, to, ...rest } = this.filters.getRawValue();
    const result = await this.api.page<AuditLog>('/admin/audit/logs', {
      ...rest,
      from: localInputToIso(from),
      to: localInputToIso(to),
      page: this.page(),
      page_size: this.pageSize(),
    });
    this.rows.set(result.list);
    this.total.set(result.total);
  }

  onPage(event: PageEvent): void {
    this.page.set(event.pageIndex + 1);
    this.pageSize.set(event.pageSize);
    void this.load();
  }
}
