import { Component, OnDestroy, OnInit, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatPaginator, PageEvent } from '@angular/material/paginator';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { Subscription, debounceTime } from 'rxjs';
import { ApiClient } from '../../shared/api/api-client';
import { ALERT_SEVERITIES, ALERT_STATUSES, Alert } from '../../shared/api/api-types';
import { LocalDatePipe, TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { LiveService } from '../../shared/live/live.service';
import { Notifier } from '../../shared/ui/notifier.service';
import { StatusChip } from '../../shared/ui/status-chip';

@Component({
  selector: 'rg-alerts-page',
  imports: [
    ReactiveFormsModule,
    MatTableModule,
    MatPaginator,
    MatFormFieldModule,
    MatInput,
    MatSelectModule,
    MatButton,
    RouterLink,
    TranslatePipe,
    LocalDatePipe,
    StatusChip,
  ],
  template: `
    <section class="page">
      <header class="page-header">
        <h1>{{ 'alert.title' | t }}</h1>
      </header>
      <form class="filters" [formGroup]="filters">
        <mat-form-field>
          <mat-label>{{ 'common.status' | t }}</mat-label>
          <mat-select formControlName="status">
            <mat-option value="">{{ 'common.all' | t }}</mat-option>
            @for (s of statuses; track s) {
              <mat-option [value]="s">{{ 'alert.status.' + s | t }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'alert.severity' | t }}</mat-label>
          <mat-select formControlName="severity">
            <mat-option value="">{{ 'common.all' | t }}</mat-option>
            @for (s of severities; track s) {
              <mat-option [value]="s">{{ 'alert.severity.' + s | t }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'alert.machine' | t }}</mat-label>
          <input matInput formControlName="machine_id" />
        </mat-form-field>
      </form>
      <div class="table-wrap">
        <table mat-table [dataSource]="rows()">
          <ng-container matColumnDef="severity">
            <th mat-header-cell *matHeaderCellDef>{{ 'alert.severity' | t }}</th>
            <td mat-cell *matCellDef="let a"><rg-status-chip [value]="a.severity" prefix="alert.severity." /></td>
          </ng-container>
          <ng-container matColumnDef="message">
            <th mat-header-cell *matHeaderCellDef>{{ 'alert.message' | t }}</th>
            <td mat-cell *matCellDef="let a">
              <span class="muted">{{ a.kind }}</span><br />
              {{ a.message }}
              @if ((a.count ?? 1) > 1) {
                <span class="muted">(×{{ a.count }})</span>
              }
            </td>
          </ng-container>
          <ng-container matColumnDef="machine">
            <th mat-header-cell *matHeaderCellDef>{{ 'alert.machine' | t }}</th>
            <td mat-cell *matCellDef="let a">
              @if (a.machine_id) {
                <a [routerLink]="['/admin/machines', a.machine_id]">{{ a.machine_name ?? a.machine_id }}</a>
              }
            </td>
          </ng-container>
          <ng-container matColumnDef="status">
            <th mat-header-cell *matHeaderCellDef>{{ 'common.status' | t }}</th>
            <td mat-cell *matCellDef="let a"><rg-status-chip [value]="a.status" prefix="alert.status." /></td>
          </ng-container>
          <ng-container matColumnDef="created">
            <th mat-header-cell *matHeaderCellDef>{{ 'alert.lastSeen' | t }}</th>
            <td mat-cell *matCellDef="let a">{{ a.last_seen_at ?? a.created_at | localDate }}</td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef></th>
            <td mat-cell *matCellDef="let a">
              @if (a.status === 'active') {
                <button mat-button type="button" (click)="acknowledge(a)">{{ 'alert.acknowledge' | t }}</button>
              }
            </td>
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
export class AlertsPage implements OnInit, OnDestroy {
  private readonly api = inject(ApiClient);
  private readonly notifier = inject(Notifier);
  private readonly live = inject(LiveService);
  readonly statuses = ALERT_STATUSES;
  readonly severities = ALERT_SEVERITIES;
  readonly columns = ['severity', 'message', 'machine', 'status', 'created', 'actions'];
  readonly rows = signal<Alert[]>([]);
  readonly total = signal(0);
  readonly page = signal(1);
  readonly pageSize = signal(20);
  readonly filters = inject(NonNullableFormBuilder).group({ status: ['active'], severity: [''], machine_id: [''] });
  private subscription?: Subscription;

  constructor() {
    this.filters.valueChanges.pipe(debounceTime(300), takeUntilDestroyed()).subscribe(() => {
      this.page.set(1);
      void this.load();
    });
  }

  ngOnInit(): void {
    void this.load();
    this.subscription = this.live.messages.subscribe((message) => {
      if (message.type === 'alert' || message.type === 'alert_event') void this.load();
    });
  }

  ngOnDestroy(): void {
    this.subscription?.unsubscribe();
  }

  async load(): Promise<void> {
    const result = await this.api.page<Alert>('/admin/alerts', {
      ...this.filters.getRawValue(),
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

  async acknowledge(alert: Alert): Promise<void> {
    await this.api.post(`/admin/alerts/${encodeURIComponent(String(alert.id))}/acknowledge`);
    this.notifier.success('alert.acknowledged');
    await this.load();
  }
}
