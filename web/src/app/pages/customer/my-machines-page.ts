import { Component, OnDestroy, OnInit, inject, signal } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatProgressBar } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { ApiClient } from '../../shared/api/api-client';
import { CustomerMachine } from '../../shared/api/api-types';
import { SessionService } from '../../shared/api/session.service';
import { expiryLevel } from '../../shared/i18n/format';
import { CountdownPipe, LocalDatePipe, TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { LiveService } from '../../shared/live/live.service';
import { CopyButton } from '../../shared/ui/copy-button';
import { StatusChip } from '../../shared/ui/status-chip';
import { sshCommand } from './connection';
import { SshResetDialog } from './ssh-reset-dialog';

@Component({
  selector: 'rg-my-machines-page',
  imports: [
    MatCardModule,
    MatButton,
    MatIcon,
    MatProgressBar,
    RouterLink,
    TranslatePipe,
    LocalDatePipe,
    CountdownPipe,
    CopyButton,
    StatusChip,
  ],
  template: `
    <section class="page">
      <header class="page-header">
        <h1>{{ 'my.title' | t }}</h1>
        <button mat-stroked-button type="button" (click)="load()">
          <mat-icon>refresh</mat-icon>{{ 'common.refresh' | t }}
        </button>
      </header>
      @if (loaded() && !machines().length) {
        <p class="muted">{{ 'my.noMachines' | t }}</p>
      }
      <div class="card-grid">
        @for (m of machines(); track m.id) {
          <mat-card appearance="outlined" [attr.data-machine]="m.id">
            <mat-card-header>
              <mat-card-title
                ><a [routerLink]="['/my/machines', m.id]">{{ m.name }}</a></mat-card-title
              >
              <mat-card-subtitle>
                <rg-status-chip [value]="m.status" prefix="status." />
                @if (m.gpu_info; as g) {
                  {{ g.count }} × {{ g.model ?? '—' }} {{ g.memory ?? '' }}
                }
                @if (m.allocation_status === 'pending') {
                  <span class="muted">{{ 'my.provisioning' | t }}</span>
                }
              </mat-card-subtitle>
            </mat-card-header>
            <mat-card-content>
              <div class="row">
                <span class="muted">{{ 'my.gpuUtil' | t }}</span>
                <span class="spacer"></span>
                <strong>{{ util(m) ?? '—' }}{{ util(m) !== null ? '%' : '' }}</strong>
              </div>
              <mat-progress-bar mode="determinate" [value]="util(m) ?? 0" />
              <p class="expiry" [class]="'expiry ' + level(m)" [title]="m.expires_at | localDate">
                <mat-icon inline>schedule</mat-icon>
                <span data-testid="expiry">{{ 'my.expiresIn' | t: { time: (m.expires_at | countdown: now()) } }}</span>
              </p>
              <dl class="kv">
                <dt>{{ 'my.sshCommand' | t }}</dt>
                <dd class="row">
                  <code class="mono">{{ ssh(m) }}</code><rg-copy-button [value]="ssh(m)" label="ssh" />
                </dd>
                <dt>{{ 'my.sshHost' | t }}</dt>
                <dd class="row">
                  <span class="mono">{{ m.ssh_host }}</span><rg-copy-button [value]="m.ssh_host" />
                </dd>
                <dt>{{ 'my.sshPort' | t }}</dt>
                <dd class="mono">{{ m.ssh_port }}</dd>
                <dt>{{ 'my.sshUser' | t }}</dt>
                <dd class="row">
                  <span class="mono">{{ m.ssh_user }}</span><rg-copy-button [value]="m.ssh_user" />
                </dd>
                @if (m.jupyter_url) {
                  <dt>{{ 'my.jupyter' | t }}</dt>
                  <dd>
                    <a [href]="m.jupyter_url" target="_blank" rel="noopener">{{ 'my.jupyter' | t }}</a>
                  </dd>
                }
              </dl>
            </mat-card-content>
            <mat-card-actions>
              <a mat-button [routerLink]="['/my/machines', m.id]">{{ 'common.details' | t }}</a>
              @if (session.isOwner()) {
                <button mat-button type="button" (click)="reset(m)">{{ 'my.resetPassword' | t }}</button>
              }
            </mat-card-actions>
          </mat-card>
        }
      </div>
    </section>
  `,
  styles: `
    .expiry {
      display: flex;
      align-items: center;
      gap: 4px;
      margin: 12px 0;
    }
    .expiry.warn {
      color: #b26a00;
    }
    .expiry.bad {
      color: var(--mat-sys-error);
    }
  `,
})
export class MyMachinesPage implements OnInit, OnDestroy {
  private readonly api = inject(ApiClient);
  private readonly dialog = inject(MatDialog);
  private readonly live = inject(LiveService);
  readonly session = inject(SessionService);
  readonly machines = signal<CustomerMachine[]>([]);
  readonly loaded = signal(false);
  readonly now = signal(Date.now());
  private timer?: ReturnType<typeof setInterval>;

  ngOnInit(): void {
    void this.load();
    this.timer = setInterval(() => this.now.set(Date.now()), 30_000);
  }

  ngOnDestroy(): void {
    clearInterval(this.timer);
  }

  async load(): Promise<void> {
    this.machines.set(await this.api.get<CustomerMachine[]>('/customer/machines'));
    this.loaded.set(true);
  }

  /** Live value from the socket when one arrived, else the value of the last list load. */
  util(machine: CustomerMachine): number | null {
    const update = this.live.latest()[machine.id];
    const value = update ? update.gpu_util : machine.gpu_util;
    return value === null || value === undefined ? null : Math.round(value);
  }

  level(machine: CustomerMachine): string {
    return machine.expires_at ? expiryLevel(machine.expires_at, this.now()) : 'ok';
  }

  ssh(machine: CustomerMachine): string {
    return sshCommand(machine);
  }

  reset(machine: CustomerMachine): void {
    this.dialog.open(SshResetDialog, { data: { machineId: machine.id, machineName: machine.name } });
  }
}
