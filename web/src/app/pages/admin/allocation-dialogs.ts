import { Component, OnInit, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ApiClient } from '../../shared/api/api-client';
import { ApiError, listOf } from '../../shared/api/api-envelope';
import { CreateAllocationRequest, Customer, MachineSummary } from '../../shared/api/api-types';
import { TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { Notifier } from '../../shared/ui/notifier.service';
import { localInputToIso } from './date-input';

export interface AllocateData {
  machines: Pick<MachineSummary, 'id' | 'name'>[];
}

@Component({
  selector: 'rg-allocate-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInput,
    MatSelectModule,
    MatButton,
    TranslatePipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'allocation.title' | t }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="dialog-form">
        <mat-form-field>
          <mat-label>{{ 'allocation.tenant' | t }}</mat-label>
          <mat-select formControlName="tenant_id" required>
            @for (c of customers(); track c.id) {
              <mat-option [value]="c.id">{{ c.name }} ({{ c.company_code }})</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'allocation.machines' | t }}</mat-label>
          <mat-select formControlName="machine_ids" multiple required>
            @for (m of machines(); track m.id) {
              <mat-option [value]="m.id">{{ m.name }} ({{ m.id }})</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'allocation.durationMonths' | t }}</mat-label>
          <input matInput type="number" min="1" max="60" formControlName="duration_months" required />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'allocation.startTime' | t }}</mat-label>
          <input matInput type="datetime-local" formControlName="start_time" />
          <mat-hint>{{ 'allocation.startNowHint' | t }}</mat-hint>
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'allocation.remark' | t }}</mat-label>
          <textarea matInput rows="2" formControlName="remark"></textarea>
        </mat-form-field>
        @if (error()) {
          <p class="error-text" role="alert">{{ error() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | t }}</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ 'machine.allocate' | t }}</button>
      </mat-dialog-actions>
    </form>
  `,
})
export class AllocateDialog implements OnInit {
  private readonly api = inject(ApiClient);
  private readonly ref = inject(MatDialogRef<AllocateDialog, string[]>);
  private readonly notifier = inject(Notifier);
  readonly data = inject<AllocateData>(MAT_DIALOG_DATA);
  readonly customers = signal<Customer[]>([]);
  readonly machines = signal<Pick<MachineSummary, 'id' | 'name'>[]>(this.data.machines);
  readonly busy = signal(false);
  readonly error = signal('');
  readonly form = inject(NonNullableFormBuilder).group({
    tenant_id: [0, [Validators.required, Validators.min(1)]],
    machine_ids: [this.data.machines.map((m) => m.id), Validators.required],
    duration_months: [3, [Validators.required, Validators.min(1), Validators.max(60)]],
    start_time: [''],
    remark: [''],
  });

  ngOnInit(): void {
    void this.api
      .page<Customer>('/admin/customers', { page: 1, page_size: 100, status: 'active' })
      .then((p) => this.customers.set(listOf(p)));
    void this.api
      .page<MachineSummary>('/admin/machines', { page: 1, page_size: 100, allocation_status: 'idle' })
      .then((p) => {
        const known = new Set(this.data.machines.map((m) => m.id));
        this.machines.set([...this.data.machines, ...listOf(p).filter((m) => !known.has(m.id))]);
      });
  }

  async submit(): Promise<void> {
    // The submit button stays enabled: submitting shows what is missing instead of a silently dead button.
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const value = this.form.getRawValue();
    const body: CreateAllocationRequest = {
      tenant_id: value.tenant_id,
      machine_ids: value.machine_ids,
      duration_months: Number(value.duration_months),
      start_time: localInputToIso(value.start_time),
      remark: value.remark || undefined,
    };
    this.busy.set(true);
    this.error.set('');
    try {
      const result = await this.api.post<{ allocation_ids: string[] }>('/admin/allocations', body, { silent: true });
      this.notifier.success('allocation.created', { count: result.allocation_ids?.length ?? body.machine_ids.length });
      this.ref.close(result.allocation_ids ?? []);
    } catch (error) {
      this.error.set(error instanceof ApiError ? error.message : String(error));
    } finally {
      this.busy.set(false);
    }
  }
}

export interface ExtendData {
  allocationId: string;
  machineName: string;
}

@Component({
  selector: 'rg-extend-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInput, MatButton, TranslatePipe],
  template: `
    <h2 mat-dialog-title>{{ 'extend.title' | t }} · {{ data.machineName }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="dialog-form">
        <mat-form-field>
          <mat-label>{{ 'extend.months' | t }}</mat-label>
          <input matInput type="number" min="1" max="36" formControlName="months" required />
        </mat-form-field>
        @if (error()) {
          <p class="error-text" role="alert">{{ error() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | t }}</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ 'machine.extend' | t }}</button>
      </mat-dialog-actions>
    </form>
  `,
})
export class ExtendDialog {
  private readonly api = inject(ApiClient);
  private readonly ref = inject(MatDialogRef<ExtendDialog, boolean>);
  private readonly notifier = inject(Notifier);
  readonly data = inject<ExtendData>(MAT_DIALOG_DATA);
  readonly busy = signal(false);
  readonly error = signal('');
  readonly form = inject(NonNullableFormBuilder).group({
    months: [1, [Validators.required, Validators.min(1), Validators.max(36)]],
  });

  async submit(): Promise<void> {
    // The submit button stays enabled: submitting shows what is missing instead of a silently dead button.
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.busy.set(true);
    this.error.set('');
    try {
      await this.api.post(
        `/admin/allocations/${encodeURIComponent(this.data.allocationId)}/extend`,
        { months: Number(this.form.getRawValue().months) },
        { silent: true },
      );
      this.notifier.success('extend.done');
      this.ref.close(true);
    } catch (error) {
      this.error.set(error instanceof ApiError ? error.message : String(error));
    } finally {
      this.busy.set(false);
    }
  }
}

export interface ReclaimData {
  machineId: string;
  machineName: string;
}

@Component({
  selector: 'rg-reclaim-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInput, MatCheckbox, MatButton, TranslatePipe],
  template: `
    <h2 mat-dialog-title>{{ 'reclaim.title' | t }} · {{ data.machineName }}</h2>
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="dialog-form">
        <p>{{ 'reclaim.warning' | t }}</p>
        <mat-form-field>
          <mat-label>{{ 'reclaim.reason' | t }}</mat-label>
          <textarea matInput rows="2" formControlName="reason" required></textarea>
        </mat-form-field>
        <mat-checkbox formControlName="force">{{ 'reclaim.force' | t }}</mat-checkbox>
        @if (error()) {
          <p class="error-text" role="alert">{{ error() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | t }}</button>
        <button mat-flat-button type="submit" [disabled]="busy()">{{ 'machine.reclaim' | t }}</button>
      </mat-dialog-actions>
    </form>
  `,
})
export class ReclaimDialog {
  private readonly api = inject(ApiClient);
  private readonly ref = inject(MatDialogRef<ReclaimDialog, boolean>);
  private readonly notifier = inject(Notifier);
  readonly data = inject<ReclaimData>(MAT_DIALOG_DATA);
  readonly busy = signal(false);
  readonly error = signal('');
  readonly form = inject(NonNullableFormBuilder).group({
    reason: ['', Validators.required],
    force: [false],
  });

  async submit(): Promise<void> {
    // The submit button stays enabled: submitting shows what is missing instead of a silently dead button.
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    this.busy.set(true);
    this.error.set('');
    try {
      await this.api.post(
        `/admin/machines/${encodeURIComponent(this.data.machineId)}/reclaim`,
        this.form.getRawValue(),
        {
          silent: true,
        },
      );
      this.notifier.success('reclaim.started');
      this.ref.close(true);
    } catch (error) {
      this.error.set(error instanceof ApiError ? error.message : String(error));
    } finally {
      this.busy.set(false);
    }
  }
}
