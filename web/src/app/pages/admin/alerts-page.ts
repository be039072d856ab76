import { Component, DestroyRef, OnDestroy, OnInit, inject, signal } from '@angular/core';
import { NonNullableFormBuilder } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { Subscription } from 'rxjs';
import { ApiClient } from '../../shared/api/api-client';
import { ALERT_SEVERITIES, ALERT_STATUSES, Alert } from '../../shared/api/api-types';
import { bindFilterForm, createPagedList } from '../../shared/api/paged-list';
import { LocalDatePipe } from '../../shared/i18n/i18n-pipes';
import { LiveService } from '../../shared/live/live.service';
import { PAGED_TABLE_PAGE_IMPORTS } from '../../shared/ui/list-page-imports';
import { Notifier } from '../../shared/ui/notifier.service';
import { TABLE_ROWS, listPaginator } from '../../shared/ui/page-templates';
import { StatusChip } from '../../shared/ui/status-chip';

@Component({
  selector: 'rg-alerts-page',
  imports: [...PAGED_TABLE_PAGE_IMPORTS, MatSelectModule, MatButton, RouterLink, LocalDatePipe, StatusChip],
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
        <table mat-table [dataSource]="list.rows()">
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
          ${TABLE_ROWS}
        </table>
      </div>
      ${listPaginator('[pageSizeOptions]="[20, 50, 100]"')}
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
  readonly filters = inject(NonNullableFormBuilder).group({ status: ['active'], severity: [''], machine_id: [''] });
  readonly list = createPagedList(signal, (query) =>
    this.api.page<Alert>('/admin/alerts', { ...this.filters.getRawValue(), ...query }),
  );
  private subscription?: Subscription;

  constructor() {
    bindFilterForm(this.filters, this.list, inject(DestroyRef));
  }

  ngOnInit(): void {
    void this.list.load();
    this.subscription = this.live.messages.subscribe((message) => {
      if (message.type === 'alert' || message.type === 'alert_event') void this.list.load();
    });
  }

  ngOnDestroy(): void {
    this.subscription?.unsubscribe();
  }

  async acknowledge(alert: Alert): Promise<void> {
    await this.api.post(`/admin/alerts/${encodeURIComponent(String(alert.id))}/acknowledge`);
    this.notifier.success('alert.acknowledged');
    await this.list.load();
  }
}
