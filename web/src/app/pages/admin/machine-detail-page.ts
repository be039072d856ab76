import { Component, OnDestroy, OnInit, computed, inject, input, signal } from '@angular/core';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatIcon } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { Subscription } from 'rxjs';
import { ApiClient } from '../../shared/api/api-client';
import { MachineDetail, Operation, OperationStep } from '../../shared/api/api-types';
import { TranslationKey } from '../../shared/i18n/dictionary';
import { BytesPipe, CountdownPipe, LocalDatePipe, TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { I18nService } from '../../shared/i18n/i18n.service';
import { OperationUpdate } from '../../shared/live/live-messages';
import { LiveService } from '../../shared/live/live.service';
import { confirm } from '../../shared/ui/confirm-dialog';
import { Notifier } from '../../shared/ui/notifier.service';
import { StatusChip } from '../../shared/ui/status-chip';
import { AllocateDialog, ExtendDialog, ReclaimDialog } from './allocation-dialogs';
import { applyOperationUpdate } from './operation-live';
import { ReclaimDecision, awaitingDecision, decisionNeedsConfirm, failedStepOf } from './quarantine-decision';
import { temporalWorkflowUrl } from './temporal-link';

const DECISION_LABELS: Record<ReclaimDecision, TranslationKey> = {
  retry: 'decision.retry',
  'skip-step': 'decision.skipStep',
  'mark-broken': 'decision.markBroken',
};

@Component({
  selector: 'rg-machine-detail-page',
  imports: [
    MatCardModule,
    MatButton,
    MatIconButton,
    MatIcon,
    MatExpansionModule,
    RouterLink,
    TranslatePipe,
    LocalDatePipe,
    BytesPipe,
    CountdownPipe,
    StatusChip,
  ],
  template: `
    <section class="page">
      <header class="page-header">
        <a mat-icon-button routerLink="/admin/machines" [attr.aria-label]="'common.back' | t"
          ><mat-icon>arrow_back</mat-icon></a
        >
        <h1>{{ machine()?.name ?? id() }}</h1>
        @if (machine(); as m) {
          <rg-status-chip [value]="m.status" prefix="status." />
          <rg-status-chip [value]="m.allocation_status" prefix="status." />
          @if (m.allocation_status === 'idle') {
            <button mat-flat-button type="button" (click)="allocate()">{{ 'machine.allocate' | t }}</button>
          }
          @if (m.current_allocation) {
            <button mat-stroked-button type="button" (click)="extend()">{{ 'machine.extend' | t }}</button>
            <button mat-stroked-button type="button" (click)="reclaim()">{{ 'machine.reclaim' | t }}</button>
          }
        }
        <button mat-button type="button" (click)="load()">
          <mat-icon>refresh</mat-icon>{{ 'common.refresh' | t }}
        </button>
      </header>
      @if (machine(); as m) {
        @if (quarantined(); as q) {
          <mat-card appearance="outlined" class="quarantine" data-testid="quarantine-decision">
            <mat-card-header>
              <mat-card-title>
                <h2 class="quarantine-title">{{ 'decision.title' | t }}</h2>
              </mat-card-title>
            </mat-card-header>
            <mat-card-content>
              <p>{{ 'decision.hint' | t: { step: q.step } }}</p>
              @if (q.operation.error) {
                <p class="error-text">{{ 'operation.error' | t }}: {{ q.operation.error }}</p>
              }
            </mat-card-content>
            <mat-card-actions role="group" [attr.aria-label]="'decision.actions' | t">
              <button
                mat-flat-button
                type="button"
                data-testid="decision-retry"
                [disabled]="deciding()"
                [attr.aria-label]="'decision.retryAria' | t: { step: q.step }"
                (click)="decide(q.operation, 'retry')"
              >
                <mat-icon>replay</mat-icon>{{ 'decision.retry' | t }}
              </button>
              <button
                mat-stroked-button
                type="button"
                data-testid="decision-skip-step"
                [disabled]="deciding()"
                [attr.aria-label]="'decision.skipStepAria' | t: { step: q.step }"
                (click)="decide(q.operation, 'skip-step')"
              >
                <mat-icon>skip_next</mat-icon>{{ 'decision.skipStep' | t }}
              </button>
              <button
                mat-stroked-button
                type="button"
                data-testid="decision-mark-broken"
                [disabled]="deciding()"
                [attr.aria-label]="'decision.markBrokenAria' | t: { machine: m.name }"
                (click)="decide(q.operation, 'mark-broken')"
              >
                <mat-icon>report</mat-icon>{{ 'decision.markBroken' | t }}
              </button>
            </mat-card-actions>
          </mat-card>
        }
        <div class="card-grid">
          <mat-card appearance="outlined">
            <mat-card-header
              ><mat-card-title>{{ 'common.details' | t }}</mat-card-title></mat-card-header
            >
            <mat-card-content>
              <dl class="kv">
                <dt>{{ 'machine.id' | t }}</dt>
                <dd class="mono">{{ m.id }}</dd>
                <dt>{{ 'machine.ip' | t }}</dt>
                <dd class="mono">{{ m.ip }}{{ m.ssh_port ? ':' + m.ssh_port : '' }}</dd>
                <dt>{{ 'machine.region' | t }}</dt>
                <dd>{{ m.region }}</dd>
                <dt>{{ 'machine.cpu' | t }}</dt>
                <dd>{{ m.cpu_info ?? '—' }}</dd>
                <dt>{{ 'machine.memory' | t }}</dt>
                <dd>{{ m.memory_total | bytes: 'GB' }}</dd>
                <dt>{{ 'machine.disk' | t }}</dt>
                <dd>{{ m.disk_total | bytes: 'GB' }}</dd>
                <dt>{{ 'machine.health' | t }}</dt>
                <dd>
                  {{ m.health_status ?? '—' }}
                </dd>
                <dt>{{ 'machine.agentVersion' | t }}</dt>
                <dd>{{ m.agent_version ?? '—' }}</dd>
                <dt>{{ 'machine.lastHeartbeat' | t }}</dt>
                <dd data-testid="heartbeat">{{ m.last_heartbeat_at | localDate }}</dd>
                @if (m.public_domain) {
                  <dt>{{ 'machine.publicEndpoint' | t }}</dt>
                  <dd class="mono">{{ m.public_domain }}:{{ m.public_port }}</dd>
                }
              </dl>
            </mat-card-content>
          </mat-card>
          <mat-card appearance="outlined">
            <mat-card-header
              ><mat-card-title>{{ 'machine.currentAllocation' | t }}</mat-card-title></mat-card-header
            >
            <mat-card-content>
              @if (m.current_allocation; as a) {
                <dl class="kv">
                  <dt>{{ 'allocation.id' | t }}</dt>
                  <dd class="mono">{{ a.id }}</dd>
                  <dt>{{ 'allocation.tenant' | t }}</dt>
                  <dd>{{ a.tenant_name ?? a.tenant_id }}</dd>
                  <dt>{{ 'common.status' | t }}</dt>
                  <dd><rg-status-chip [value]="a.status" prefix="state." /></dd>
                  <dt>{{ 'allocation.startsAt' | t }}</dt>
                  <dd>{{ a.starts_at | localDate }}</dd>
                  <dt>{{ 'allocation.expiresAt' | t }}</dt>
                  <dd>{{ a.expires_at | localDate }} ({{ a.expires_at | countdown: now() }})</dd>
                  @if (a.remark) {
                    <dt>{{ 'allocation.remark' | t }}</dt>
                    <dd>{{ a.remark }}</dd>
                  }
                </dl>
              } @else {
                <p class="muted">{{ 'machine.noAllocation' | t }}</p>
              }
            </mat-card-content>
          </mat-card>
        </div>
        <h2>{{ 'machine.gpus' | t }}</h2>
        <div class="table-wrap">
          <table class="simple">
            <thead>
              <tr>
                <th>{{ 'machine.gpuIndex' | t }}</th>
                <th>{{ 'machine.gpuModel' | t }}</th>
                <th>{{ 'machine.gpuMemory' | t }}</th>
                <th>{{ 'machine.utilization' | t }}</th>
                <th>{{ 'machine.temperature' | t }}</th>
                <th>{{ 'machine.power' | t }}</th>
              </tr>
            </thead>
            <tbody>
              @for (g of m.gpus; track g.index) {
                <tr>
                  <td>{{ g.index }}</td>
                  <td>{{ g.model ?? m.gpu_info.model }}</td>
                  <td>
                    @if (g.memory_used_mb !== null && g.memory_used_mb !== undefined) {
                      {{ g.memory_used_mb | bytes: 'MB' }} /
                    }
                    {{ g.memory_mb | bytes: 'MB' }}
                  </td>
                  <td>
                    {{ g.utilization ?? '—' }}{{ g.utilization !== null && g.utilization !== undefined ? '%' : '' }}
                  </td>
                  <td>
                    {{ g.temperature ?? '—' }}{{ g.temperature !== null && g.temperature !== undefined ? ' °C' : '' }}
                  </td>
                  <td>{{ g.power_w ?? '—' }}{{ g.power_w !== null && g.power_w !== undefined ? ' W' : '' }}</td>
                </tr>
              } @empty {
                <tr>
                  <td colspan="6" class="muted">
                    {{ m.gpu_info.count }} × {{ m.gpu_info.model ?? '—' }} {{ m.gpu_info.memory ?? '' }}
                    @if (liveUtil() !== null) {
                      · {{ liveUtil() }}%
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        <h2>{{ 'machine.operations' | t }}</h2>
        <mat-accordion>
          @for (op of m.recent_operations; track op.id) {
            <mat-expansion-panel>
              <mat-expansion-panel-header>
                <mat-panel-title>{{ op.kind }}</mat-panel-title>
                <mat-panel-description>
                  <rg-status-chip [value]="op.status" prefix="state." />&nbsp;{{ op.created_at | localDate }}
                </mat-panel-description>
              </mat-expansion-panel-header>
              <p>
                {{ 'operation.workflow' | t }}: <span class="mono">{{ op.workflow_id }}</span>
                <a mat-button [href]="op.temporal_url ?? temporalUrl(op.workflow_id)" target="_blank" rel="noopener">
                  <mat-icon>open_in_new</mat-icon>{{ 'operation.openTemporal' | t }}
                </a>
              </p>
              @if (op.error) {
                <p class="error-text">{{ 'operation.error' | t }}: {{ op.error }}</p>
              }
              <ol class="steps">
                @for (step of op.steps; track $index) {
                  <li>
                    <rg-status-chip [value]="step.status" prefix="state." />
                    <span>{{ step.name }}</span>
                    <span class="muted">{{ stepTime(step) | localDate }}</span>
                    @if (step.error) {
                      <span class="error-text">{{ step.error }}</span>
                    }
                  </li>
                }
              </ol>
            </mat-expansion-panel>
          } @empty {
            <p class="muted">{{ 'common.empty' | t }}</p>
          }
        </mat-accordion>
      }
    </section>
  `,
  styles: `
    h2 {
      font: var(--mat-sys-title-large);
      margin: 24px 0 8px;
    }
    table.simple {
      width: 100%;
      border-collapse: collapse;
    }
    table.simple th,
    table.simple td {
      text-align: left;
      padding: 8px;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .quarantine {
      margin-bottom: 16px;
      border-color: var(--mat-sys-error);
    }
    h2.quarantine-title {
      font: var(--mat-sys-title-medium);
      margin: 0;
    }
    .quarantine mat-card-actions {
      gap: 8px;
      flex-wrap: wrap;
    }
    .steps li {
      display: flex;
      gap: 8px;
      align-items: center;
      flex-wrap: wrap;
      margin: 4px 0;
    }
  `,
})
export class MachineDetailPage implements OnInit, OnDestroy {
  readonly id = input.required<string>();
  private readonly api = inject(ApiClient);
  private readonly dialog = inject(MatDialog);
  private readonly live = inject(LiveService);
  private readonly i18n = inject(I18nService);
  private readonly notifier = inject(Notifier);
  readonly machine = signal<MachineDetail | null>(null);
  /** The reclaim quarantined on this machine and the step it is stuck on; follows the pushed updates. */
  readonly quarantined = computed(() => {
    const m = this.machine();
    const operation = m ? awaitingDecision(m) : null;
    return operation ? { operation, step: failedStepOf(operation) ?? '—' } : null;
  });
  readonly deciding = signal(false);
  readonly now = signal(Date.now());
  readonly liveUtil = computed(() => {
    const update = this.live.latest()[this.id()];
    return update && update.gpu_util !== null ? Math.round(update.gpu_util) : null;
  });
  private subscription?: Subscription;
  private timer?: ReturnType<typeof setInterval>;
  /** Operation updates that arrived while the machine was being read, applied on top of what it returns. */
  private pendingUpdates: OperationUpdate[] | null = null;
  private reloadRequested = false;

  ngOnInit(): void {
    void this.load();
    // Operation progress is pushed over the socket: applied in place, the machine is re-read only when an
    // operation ends (its allocation state changed) or one not shown yet appears.
    this.subscription = this.live.messages.subscribe((message) => {
      if (message.type === 'operation_update' && message.data.machine_id === this.id()) this.follow(message.data);
    });
    this.timer = setInterval(() => this.now.set(Date.now()), 60_000);
  }

  ngOnDestroy(): void {
    this.subscription?.unsubscribe();
    clearInterval(this.timer);
  }

  async load(): Promise<void> {
    if (this.pendingUpdates) {
      // A read is in flight but may predate what asked for this one: read once more after it.
      this.reloadRequested = true;
      return;
    }
    this.pendingUpdates = [];
    let again = false;
    try {
      let machine = await this.api.get<MachineDetail>(`/admin/machines/${encodeURIComponent(this.id())}`);
      // Updates are delivered in order; those received during the read are at least as new as it.
      for (const update of this.pendingUpdates) {
        const applied = applyOperationUpdate(machine, update);
        machine = applied.machine;
        again ||= applied.finished;
      }
      this.machine.set(machine);
    } finally {
      this.pendingUpdates = null;
    }
    if (again || this.reloadRequested) {
      this.reloadRequested = false;
      await this.load();
    }
  }

  private follow(update: OperationUpdate): void {
    if (this.pendingUpdates) {
      this.pendingUpdates.push(update);
      return;
    }
    const machine = this.machine();
    if (!machine) return;
    const applied = applyOperationUpdate(machine, update);
    this.machine.set(applied.machine);
    if (!applied.known || applied.finished) void this.load();
  }

  temporalUrl(workflowId: string): string {
    return temporalWorkflowUrl(workflowId);
  }

  stepTime(step: OperationStep): string | null {
    return step.ended_at ?? step.started_at ?? null;
  }

  /** Signals the admin's decision to the quarantined reclaim; its progress then arrives as operation_update. */
  async decide(operation: Operation, decision: ReclaimDecision): Promise<void> {
    const m = this.machine();
    if (!m || this.deciding()) return;
    const label = this.i18n.t(DECISION_LABELS[decision]);
    if (decisionNeedsConfirm(decision)) {
      const params = { step: failedStepOf(operation) ?? '—', machine: m.name };
      const message =
        decision === 'skip-step'
          ? this.i18n.t('decision.skipStepConfirm', params)
          : this.i18n.t('decision.markBrokenConfirm', params);
      if (!(await confirm(this.dialog, { title: label, message, confirmLabel: label, danger: true }))) return;
    }
    this.deciding.set(true);
    try {
      await this.api.post(`/admin/operations/${encodeURIComponent(operation.id)}/decision`, { decision });
      this.notifier.success('decision.sent', { decision: label });
    } catch {
      // The API client's interceptor already showed the error (e.g. the reclaim is no longer running):
      // re-read so the buttons reflect what the machine is now.
      void this.load();
    } finally {
      this.deciding.set(false);
    }
  }

  allocate(): void {
    const m = this.machine();
    if (!m) return;
    this.afterDialog(
      this.dialog.open(AllocateDialog, { data: { machines: [{ id: m.id, name: m.name }] } }).beforeClosed(),
    );
  }

  extend(): void {
    const m = this.machine();
    if (!m?.current_allocation) return;
    this.afterDialog(
      this.dialog
        .open(ExtendDialog, { data: { allocationId: m.current_allocation.id, machineName: m.name } })
        .beforeClosed(),
    );
  }

  reclaim(): void {
    const m = this.machine();
    if (!m) return;
    this.afterDialog(
      this.dialog.open(ReclaimDialog, { data: { machineId: m.id, machineName: m.name } }).beforeClosed(),
    );
  }

  /** Reads the machine as soon as the dialog's action succeeded (not after the close animation), so the
   * operation's first pushed updates land on top of that read instead of asking for another one. */
  private afterDialog(closed: { subscribe(fn: (value: unknown) => void): unknown }): void {
    closed.subscribe((value) => {
      if (value) void this.load();
    });
  }
}
