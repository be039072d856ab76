import { Component, OnDestroy, OnInit, computed, inject, input, signal } from '@angular/core';
import { MatIconButton } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCardModule } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { Subscription } from 'rxjs';
import { ApiClient } from '../../shared/api/api-client';
import { CustomerMachine, MachineMetrics } from '../../shared/api/api-types';
import { I18nService } from '../../shared/i18n/i18n.service';
import { CountdownPipe, LocalDatePipe, TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { LiveService } from '../../shared/live/live.service';
import { monitoringUpdates } from '../../shared/live/live-messages';
import { SeriesSpec } from '../../shared/ui/chart-options';
import { CopyButton } from '../../shared/ui/copy-button';
import { LineChart } from '../../shared/ui/line-chart';
import { StatusChip } from '../../shared/ui/status-chip';
import { sshCommand } from './connection';
import { metricsSeries } from './metrics-series';

type Range = '1h' | '24h' | '7d' | '30d';

@Component({
  selector: 'rg-my-machine-detail-page',
  imports: [
    MatCardModule,
    MatButtonToggleModule,
    MatIcon,
    MatIconButton,
    RouterLink,
    TranslatePipe,
    LocalDatePipe,
    CountdownPipe,
    CopyButton,
    StatusChip,
    LineChart,
  ],
  template: `
    <section class="page">
      <header class="page-header">
        <a mat-icon-button routerLink="/my/machines" [attr.aria-label]="'common.back' | t"
          ><mat-icon>arrow_back</mat-icon></a
        >
        <h1>{{ machine()?.name ?? id() }}</h1>
        @if (machine(); as m) {
          <rg-status-chip [value]="m.status" prefix="status." />
        }
      </header>
      @if (machine(); as m) {
        <mat-card appearance="outlined">
          <mat-card-header
            ><mat-card-title>{{ 'my.connection' | t }}</mat-card-title></mat-card-header
          >
          <mat-card-content>
            <dl class="kv">
              <dt>{{ 'my.sshCommand' | t }}</dt>
              <dd class="row">
                <code class="mono">{{ ssh() }}</code><rg-copy-button [value]="ssh()" label="ssh" />
              </dd>
              @if (m.gpu_info; as g) {
                <dt>{{ 'machine.gpus' | t }}</dt>
                <dd>{{ g.count }} × {{ g.model ?? '—' }} {{ g.memory ?? '' }}</dd>
              }
              <dt>{{ 'my.expiresAt' | t }}</dt>
              <dd>{{ m.expires_at | localDate }} ({{ m.expires_at | countdown: now() }})</dd>
              @if (m.jupyter_url) {
                <dt>{{ 'my.jupyter' | t }}</dt>
                <dd>
                  <a [href]="m.jupyter_url" target="_blank" rel="noopener">{{ m.jupyter_url }}</a>
                </dd>
              }
            </dl>
          </mat-card-content>
        </mat-card>
      }
      <mat-card appearance="outlined" class="history">
        <mat-card-header>
          <mat-card-title>{{ 'my.gpuHistory' | t }}</mat-card-title>
        </mat-card-header>
        <mat-card-content>
          <mat-button-toggle-group
            [value]="range()"
            (change)="setRange($event.value)"
            [attr.aria-label]="'my.range' | t"
          >
            @for (r of ranges; track r) {
              <mat-button-toggle [value]="r">{{ 'my.range.' + r | t }}</mat-button-toggle>
            }
          </mat-button-toggle-group>
          @if (hasPoints()) {
            <rg-line-chart [series]="series()" />
          } @else {
            <p class="muted">{{ 'dashboard.noTrend' | t }}</p>
          }
        </mat-card-content>
      </mat-card>
    </section>
  `,
  styles: `
    .history {
      margin-top: 16px;
    }
  `,
})
export class MyMachineDetailPage implements OnInit, OnDestroy {
  readonly id = input.required<string>();
  private readonly api = inject(ApiClient);
  private readonly live = inject(LiveService);
  private readonly i18n = inject(I18nService);
  readonly ranges: Range[] = ['1h', '24h', '7d', '30d'];
  readonly range = signal<Range>('1h');
  readonly machine = signal<CustomerMachine | null>(null);
  readonly metrics = signal<MachineMetrics | null>(null);
  /** live samples received since the history was loaded (appended to the average series) */
  readonly livePoints = signal<{ ts: number; value: number | null }[]>([]);
  readonly now = signal(Date.now());
  readonly ssh = computed(() => {
    const m = this.machine();
    return m ? sshCommand(m) : '';
  });
  readonly series = computed<SeriesSpec[]>(() =>
    metricsSeries(this.metrics(), this.livePoints(), {
      average: this.i18n.t('my.gpuUtil'),
      gpu: (index) => this.i18n.t('my.perGpu', { index }),
    }),
  );
  readonly hasPoints = computed(() => this.series().some((s) => s.points.length > 0));
  private subscription?: Subscription;
  private timer?: ReturnType<typeof setInterval>;

  ngOnInit(): void {
    void this.load();
    void this.loadMetrics();
    this.subscription = this.live.messages.subscribe((message) => {
      const updates = monitoringUpdates(message).filter((u) => u.machine_id === this.id() && u.ts !== null);
      if (!updates.length) return;
      this.livePoints.update((points) => [
        ...points,
        ...updates.map((u) => ({ ts: u.ts as number, value: u.gpu_util })),
      ]);
    });
    this.timer = setInterval(() => this.now.set(Date.now()), 60_000);
  }

  ngOnDestroy(): void {
    this.subscription?.unsubscribe();
    clearInterval(this.timer);
  }

  async load(): Promise<void> {
    this.machine.set(await this.api.get<CustomerMachine>(`/customer/machines/${encodeURIComponent(this.id())}`));
  }

  async loadMetrics(): Promise<void> {
    this.livePoints.set([]);
    this.metrics.set(
      await this.api.get<MachineMetrics>(`/customer/machines/${encodeURIComponent(this.id())}/metrics`, {
        query: { range: this.range() },
      }),
    );
  }

  setRange(range: Range): void {
    this.range.set(range);
    void this.loadMetrics();
  }
}
