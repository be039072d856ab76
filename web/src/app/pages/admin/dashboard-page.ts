import { Component, OnInit, computed, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';
import { MatListModule } from '@angular/material/list';
import { RouterLink } from '@angular/router';
import { ApiClient } from '../../shared/api/api-client';
import { Page, listOf } from '../../shared/api/api-envelope';
import { AllocationSummary, Alert, DashboardStats, GpuTrend, GpuTrendPoint } from '../../shared/api/api-types';
import { TranslationKey } from '../../shared/i18n/dictionary';
import { LocalDatePipe, NumberPipe, TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { I18nService } from '../../shared/i18n/i18n.service';
import { LineChart } from '../../shared/ui/line-chart';
import { SIMPLE_TABLE_STYLES } from '../../shared/ui/page-templates';
import { StatusChip } from '../../shared/ui/status-chip';

interface StatCard {
  key: keyof DashboardStats;
  label: TranslationKey;
  icon: string;
  unit?: string;
  link?: string;
}

const CARDS: StatCard[] = [
  { key: 'total_machines', label: 'dashboard.totalMachines', icon: 'dns', link: '/admin/machines' },
  { key: 'online_machines', label: 'dashboard.onlineMachines', icon: 'cloud_done' },
  { key: 'offline_machines', label: 'dashboard.offlineMachines', icon: 'cloud_off' },
  { key: 'total_gpus', label: 'dashboard.totalGpus', icon: 'memory' },
  { key: 'avg_gpu_utilization', label: 'dashboard.avgGpuUtil', icon: 'speed', unit: '%' },
  { key: 'allocation_rate', label: 'dashboard.allocationRate', icon: 'pie_chart', unit: '%' },
  { key: 'active_customers', label: 'dashboard.activeCustomers', icon: 'business', link: '/admin/customers' },
  { key: 'active_alerts', label: 'dashboard.activeAlerts', icon: 'notifications_active', link: '/admin/alerts' },
];

@Component({
  selector: 'rg-dashboard-page',
  imports: [
    MatCardModule,
    MatIcon,
    MatButton,
    MatListModule,
    RouterLink,
    TranslatePipe,
    NumberPipe,
    LocalDatePipe,
    LineChart,
    StatusChip,
  ],
  template: `
    <section class="page">
      <header class="page-header">
        <h1>{{ 'dashboard.title' | t }}</h1>
        <button mat-stroked-button type="button" (click)="load()">
          <mat-icon>refresh</mat-icon>{{ 'common.refresh' | t }}
        </button>
      </header>
      <div class="stats">
        @for (card of cards; track card.key) {
          <mat-card appearance="outlined" class="stat">
            <mat-card-content>
              <div class="row">
                <mat-icon class="muted">{{ card.icon }}</mat-icon>
                <span class="muted">{{ card.label | t }}</span>
              </div>
              <div class="value" [attr.data-stat]="card.key">
                @if (card.link) {
                  <a [routerLink]="card.link">{{ stats()?.[card.key] | num }}{{ card.unit ?? '' }}</a>
                } @else {
                  {{ stats()?.[card.key] | num }}{{ card.unit ?? '' }}
                }
              </div>
            </mat-card-content>
          </mat-card>
        }
      </div>
      <div class="two-col">
        <mat-card appearance="outlined">
          <mat-card-header
            ><mat-card-title>{{ 'dashboard.gpuTrend' | t }}</mat-card-title></mat-card-header
          >
          <mat-card-content>
            @if (trendSeries()[0].points.length) {
              <rg-line-chart [series]="trendSeries()" />
            } @else {
              <p class="muted">{{ 'dashboard.noTrend' | t }}</p>
            }
          </mat-card-content>
        </mat-card>
        <mat-card appearance="outlined">
          <mat-card-header
            ><mat-card-title>{{ 'nav.alerts' | t }}</mat-card-title></mat-card-header
          >
          <mat-card-content>
            <mat-list>
              @for (alert of alerts(); track alert.id) {
                <mat-list-item>
                  <rg-status-chip matListItemMeta [value]="alert.severity" prefix="alert.severity." />
                  <span matListItemTitle>{{ alert.message }}</span>
                  <span matListItemLine class="muted"
                    >{{ alert.machine_name ?? alert.machine_id ?? alert.kind }} ·
                    {{ alert.last_seen_at ?? alert.created_at | localDate }}</span
                  >
                </mat-list-item>
              } @empty {
                <p class="muted">{{ 'alert.none' | t }}</p>
              }
            </mat-list>
          </mat-card-content>
        </mat-card>
      </div>
      <mat-card appearance="outlined">
        <mat-card-header
          ><mat-card-title>{{ 'dashboard.recentAllocations' | t }}</mat-card-title></mat-card-header
        >
        <mat-card-content class="table-wrap">
          <table class="simple">
            <thead>
              <tr>
                <th>{{ 'allocation.tenant' | t }}</th>
                <th>{{ 'machine.name' | t }}</th>
                <th>{{ 'common.status' | t }}</th>
                <th>{{ 'allocation.startsAt' | t }}</th>
                <th>{{ 'allocation.expiresAt' | t }}</th>
              </tr>
            </thead>
            <tbody>
              @for (a of recent(); track a.id) {
                <tr>
                  <td>{{ a.tenant_name ?? a.tenant_id }}</td>
                  <td>
                    <a [routerLink]="['/admin/machines', a.machine_id]">{{ a.machine_name ?? a.machine_id }}</a>
                  </td>
                  <td><rg-status-chip [value]="a.status" prefix="state." /></td>
                  <td>{{ a.starts_at | localDate }}</td>
                  <td>{{ a.expires_at | localDate }}</td>
                </tr>
              } @empty {
                <tr>
                  <td colspan="5" class="muted">{{ 'common.empty' | t }}</td>
                </tr>
              }
            </tbody>
          </table>
        </mat-card-content>
      </mat-card>
    </section>
  `,
  styles: [
    SIMPLE_TABLE_STYLES,
    `
      .stats {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
        gap: 12px;
        margin-bottom: 16px;
      }
      .value {
        font: var(--mat-sys-headline-medium);
        margin-top: 8px;
      }
      .value a {
        color: inherit;
      }
      .two-col {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 1fr);
        gap: 16px;
        margin-bottom: 16px;
      }
      @media (max-width: 900px) {
        .two-col {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ],
})
export class DashboardPage implements OnInit {
  private readonly api = inject(ApiClient);
  private readonly i18n = inject(I18nService);
  readonly cards = CARDS;
  readonly stats = signal<DashboardStats | null>(null);
  readonly trend = signal<GpuTrendPoint[]>([]);
  readonly recent = signal<AllocationSummary[]>([]);
  readonly alerts = signal<Alert[]>([]);
  readonly trendSeries = computed(() => [
    {
      name: this.i18n.t('dashboard.avgGpuUtil'),
      points: this.trend().map((p) => ({ ts: p.ts, value: p.avg_gpu_utilization })),
    },
  ]);

  ngOnInit(): void {
    // Fetch the chart library while the figures load, not after the trend arrives (first render time).
    void import('../../shared/ui/echarts-lite');
    this.load();
  }

  load(): void {
    void this.api.get<DashboardStats>('/admin/dashboard/stats').then((s) => this.stats.set(s));
    void this.api
      .get<GpuTrend>('/admin/dashboard/gpu-trend', { query: { range: '24h' }, silent: true })
      .then((t) => this.trend.set(t.points ?? []))
      .catch(() => this.trend.set([]));
    void this.api
      .get<AllocationSummary[] | Page<AllocationSummary>>('/admin/allocations/recent', {
        query: { limit: 8 },
        silent: true,
      })
      .then((r) => this.recent.set(listOf(r)))
      .catch(() => this.recent.set([]));
    void this.api
      .page<Alert>('/admin/alerts', { status: 'active', page: 1, page_size: 8 }, { silent: true })
      .then((a) => this.alerts.set(listOf(a)))
      .catch(() => this.alerts.set([]));
  }
}
