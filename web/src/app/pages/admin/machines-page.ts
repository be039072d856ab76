import { SelectionModel } from '@angular/cdk/collections';
import { Component, DestroyRef, OnInit, inject, signal } from '@angular/core';
import { FormsModule, NonNullableFormBuilder } from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatIcon } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSort, MatSortHeader } from '@angular/material/sort';
import { RouterLink } from '@angular/router';
import { ApiClient } from '../../shared/api/api-client';
import { MACHINE_ALLOCATION_STATUSES, MACHINE_ONLINE_STATUSES, MachineSummary } from '../../shared/api/api-types';
import { bindFilterForm, createPagedList } from '../../shared/api/paged-list';
import { BytesPipe } from '../../shared/i18n/i18n-pipes';
import { LiveService } from '../../shared/live/live.service';
import { PAGED_TABLE_PAGE_IMPORTS } from '../../shared/ui/list-page-imports';
import { TABLE_ROWS, listPaginator } from '../../shared/ui/page-templates';
import { StatusChip } from '../../shared/ui/status-chip';
import { AllocateDialog, ReclaimDialog } from './allocation-dialogs';

@Component({
  selector: 'rg-machines-page',
  imports: [
    ...PAGED_TABLE_PAGE_IMPORTS,
    FormsModule,
    MatSort,
    MatSortHeader,
    MatCheckbox,
    MatSelectModule,
    MatButton,
    MatIconButton,
    MatIcon,
    MatMenuModule,
    MatProgressBar,
    RouterLink,
    BytesPipe,
    StatusChip,
  ],
  template: `
    <section class="page">
      <header class="page-header">
        <h1>{{ 'machine.list' | t }}</h1>
        @if (selection.hasValue()) {
          <span class="muted">{{ 'machine.selected' | t: { count: selection.selected.length } }}</span>
        }
        <button mat-flat-button type="button" (click)="allocate()">
          <mat-icon>assignment_ind</mat-icon>{{ 'machine.allocate' | t }}
        </button>
        <a mat-stroked-button routerLink="/admin/import"><mat-icon>upload_file</mat-icon>{{ 'nav.import' | t }}</a>
      </header>
      <form class="filters" [formGroup]="filters">
        <mat-form-field>
          <mat-label>{{ 'machine.keyword' | t }}</mat-label>
          <input matInput formControlName="keyword" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'machine.gpuModel' | t }}</mat-label>
          <input matInput formControlName="gpu_model" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'machine.region' | t }}</mat-label>
          <input matInput formControlName="region" />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'machine.status' | t }}</mat-label>
          <mat-select formControlName="status">
            <mat-option value="">{{ 'common.all' | t }}</mat-option>
            @for (s of onlineStatuses; track s) {
              <mat-option [value]="s">{{ 'status.' + s | t }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'machine.allocationStatus' | t }}</mat-label>
          <mat-select formControlName="allocation_status">
            <mat-option value="">{{ 'common.all' | t }}</mat-option>
            @for (s of allocationStatuses; track s) {
              <mat-option [value]="s">{{ 'status.' + s | t }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <button mat-button type="button" (click)="filters.reset()">{{ 'common.reset' | t }}</button>
      </form>
      @if (list.loading()) {
        <mat-progress-bar mode="indeterminate" />
      }
      <div class="table-wrap">
        <table mat-table [dataSource]="list.rows()" matSort (matSortChange)="list.onSort($event)">
          <ng-container matColumnDef="select">
            <th mat-header-cell *matHeaderCellDef>
              <mat-checkbox
                [checked]="allSelected()"
                [indeterminate]="selection.hasValue() && !allSelected()"
                (change)="toggleAll()"
                [aria-label]="'machine.selectAll' | t"
              />
            </th>
            <td mat-cell *matCellDef="let m">
              <mat-checkbox
                [checked]="selection.isSelected(m.id)"
                [disabled]="m.allocation_status !== 'idle'"
                (change)="selection.toggle(m.id)"
                [aria-label]="m.name"
              />
            </td>
          </ng-container>
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>{{ 'machine.name' | t }}</th>
            <td mat-cell *matCellDef="let m">
              <a [routerLink]="['/admin/machines', m.id]">{{ m.name }}</a>
              <div class="muted mono">{{ m.ip }}</div>
            </td>
          </ng-container>
          <ng-container matColumnDef="region">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>{{ 'machine.region' | t }}</th>
            <td mat-cell *matCellDef="let m">{{ m.region }}</td>
          </ng-container>
          <ng-container matColumnDef="gpu">
            <th mat-header-cell *matHeaderCellDef mat-sort-header="gpu_model">{{ 'machine.gpuModel' | t }}</th>
            <td mat-cell *matCellDef="let m">
              {{ m.gpu_info?.count ?? 0 }} × {{ m.gpu_info?.model ?? '—' }}
              <span class="muted">{{ m.gpu_info?.memory ?? '' }}</span>
            </td>
          </ng-container>
          <ng-container matColumnDef="util">
            <th mat-header-cell *matHeaderCellDef>{{ 'machine.utilization' | t }}</th>
            <td mat-cell *matCellDef="let m">{{ utilOf(m.id) }}</td>
          </ng-container>
          <ng-container matColumnDef="memory">
            <th mat-header-cell *matHeaderCellDef>{{ 'machine.memory' | t }}</th>
            <td mat-cell *matCellDef="let m">{{ m.memory_total | bytes: 'GB' }}</td>
          </ng-container>
          <ng-container matColumnDef="status">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>{{ 'machine.status' | t }}</th>
            <td mat-cell *matCellDef="let m"><rg-status-chip [value]="m.status" prefix="status." /></td>
          </ng-container>
          <ng-container matColumnDef="allocation_status">
            <th mat-header-cell *matHeaderCellDef mat-sort-header>{{ 'machine.allocationStatus' | t }}</th>
            <td mat-cell *matCellDef="let m"><rg-status-chip [value]="m.allocation_status" prefix="status." /></td>
          </ng-container>
          <ng-container matColumnDef="tenant">
            <th mat-header-cell *matHeaderCellDef>{{ 'machine.tenant' | t }}</th>
            <td mat-cell *matCellDef="let m">{{ m.tenant_name ?? '—' }}</td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef></th>
            <td mat-cell *matCellDef="let m">
              <button
                mat-icon-button
                type="button"
                [matMenuTriggerFor]="rowMenu"
                [attr.aria-label]="'common.actions' | t"
              >
                <mat-icon>more_vert</mat-icon>
              </button>
              <mat-menu #rowMenu="matMenu">
                <a mat-menu-item [routerLink]="['/admin/machines', m.id]">{{ 'common.details' | t }}</a>
                <button mat-menu-item type="button" [disabled]="m.allocation_status !== 'idle'" (click)="allocate([m])">
                  {{ 'machine.allocate' | t }}
                </button>
                <button
                  mat-menu-item
                  type="button"
                  [disabled]="m.allocation_status !== 'allocated'"
                  (click)="reclaim(m)"
                >
                  {{ 'machine.reclaim' | t }}
                </button>
              </mat-menu>
            </td>
          </ng-container>
          ${TABLE_ROWS}
        </table>
      </div>
      ${listPaginator('[pageSizeOptions]="[10, 20, 50, 100]" showFirstLastButtons')}
    </section>
  `,
})
export class MachinesPage implements OnInit {
  private readonly api = inject(ApiClient);
  private readonly dialog = inject(MatDialog);
  private readonly live = inject(LiveService);
  readonly onlineStatuses = MACHINE_ONLINE_STATUSES;
  readonly allocationStatuses = MACHINE_ALLOCATION_STATUSES;
  readonly columns = [
    'select',
    'name',
    'region',
    'gpu',
    'util',
    'memory',
    'status',
    'allocation_status',
    'tenant',
    'actions',
  ];
  readonly selection = new SelectionModel<string>(true, []);
  readonly filters = inject(NonNullableFormBuilder).group({
    keyword: [''],
    gpu_model: [''],
    region: [''],
    status: [''],
    allocation_status: [''],
  });
  readonly list = createPagedList(signal, (query) =>
    this.api.page<MachineSummary>('/admin/machines', { ...this.filters.getRawValue(), ...query }),
  );

  constructor() {
    bindFilterForm(this.filters, this.list, inject(DestroyRef));
  }

  ngOnInit(): void {
    void this.list.load();
  }

  utilOf(id: string): string {
    const update = this.live.latest()[id];
    return update && update.gpu_util !== null ? `${Math.round(update.gpu_util)}%` : '—';
  }

  allSelected(): boolean {
    const idle = this.list.rows().filter((m) => m.allocation_status === 'idle');
    return idle.length > 0 && idle.every((m) => this.selection.isSelected(m.id));
  }

  toggleAll(): void {
    const idle = this.list.rows().filter((m) => m.allocation_status === 'idle');
    if (this.allSelected()) idle.forEach((m) => this.selection.deselect(m.id));
    else idle.forEach((m) => this.selection.select(m.id));
  }

  allocate(machines?: MachineSummary[]): void {
    const chosen = machines ?? this.list.rows().filter((m) => this.selection.isSelected(m.id));
    this.dialog
      .open(AllocateDialog, { data: { machines: chosen.map((m) => ({ id: m.id, name: m.name })) } })
      .afterClosed()
      .subscribe((ids) => {
        if (ids) {
          this.selection.clear();
          void this.list.load();
        }
      });
  }

  reclaim(machine: MachineSummary): void {
    this.dialog
      .open(ReclaimDialog, { data: { machineId: machine.id, machineName: machine.name } })
      .afterClosed()
      .subscribe((done) => {
        if (done) void this.list.load();
      });
  }
}
