import { Component, OnInit, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCheckbox } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { ApiClient } from '../../shared/api/api-client';
import { listOf } from '../../shared/api/api-envelope';
import { CreateAllocationRequest, Customer, MachineSummary } from '../../shared/api/api-types';
import { createFormSubmission } from '../../shared/api/form-submission';
import { TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { Notifier } from '../../shared/ui/notifier.service';
import { dialogForm } from '../../shared/ui/page-templates';
import { localInputToIso } from './date-input';

/** What every allocation dialog injects; the subclass gives the form and what submitting posts. */
abstract class AllocationDialogBase<Data, Result> {
  protected readonly api = inject(ApiClient);
  protected readonly ref = inject<MatDialogRef<unknown, Result>>(MatDialogRef);
  protected readonly notifier = inject(Notifier);
  readonly data = inject<Data>(MAT_DIALOG_DATA);
  readonly submission = createFormSubmission(signal);
}

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
  template:
    `<h2 mat-dialog-title>{{ 'allocation.title' | t }}</h2>` +
    dialogForm(
      `<mat-form-field>
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
        </mat-form-field>`,
      'machine.allocate',
    ),
})
export class AllocateDialog extends AllocationDialogBase<AllocateData, string[]> implements OnInit {
  readonly customers = signal<Customer[]>([]);
  readonly machines = signal<Pick<MachineSummary, 'id' | 'name'>[]>(this.data.machines);
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

  submit(): Promise<void> {
    return this.submission.run(this.form, async () => {
      const value = this.form.getRawValue();
      const body: CreateAllocationRequest = {
        tenant_id: value.tenant_id,
        machine_ids: value.machine_ids,
        duration_months: Number(value.duration_months),
        start_time: localInputToIso(value.start_time),
        remark: value.remark || undefined,
      };
      const result = await this.api.post<{ allocation_ids: string[] }>('/admin/allocations', body, { silent: true });
      this.notifier.success('allocation.created', { count: result.allocation_ids?.length ?? body.machine_ids.length });
      this.ref.close(result.allocation_ids ?? []);
    });
  }
}

export interface ExtendData {
  allocationId: string;
  machineName: string;
}

@Component({
  selector: 'rg-extend-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInput, MatButton, TranslatePipe],
  template:
    `<h2 mat-dialog-title>{{ 'extend.title' | t }} · {{ data.machineName }}</h2>` +
    dialogForm(
      `<mat-form-field>
          <mat-label>{{ 'extend.months' | t }}</mat-label>
          <input matInput type="number" min="1" max="36" formControlName="months" required />
        </mat-form-field>`,
      'machine.extend',
    ),
})
export class ExtendDialog extends AllocationDialogBase<ExtendData, boolean> {
  readonly form = inject(NonNullableFormBuilder).group({
    months: [1, [Validators.required, Validators.min(1), Validators.max(36)]],
  });

  submit(): Promise<void> {
    return this.submission.run(this.form, async () => {
      await this.api.post(
        `/admin/allocations/${encodeURIComponent(this.data.allocationId)}/extend`,
        { months: Number(this.form.getRawValue().months) },
        { silent: true },
      );
      this.notifier.success('extend.done');
      this.ref.close(true);
    });
  }
}

export interface ReclaimData {
  machineId: string;
  machineName: string;
}

@Component({
  selector: 'rg-reclaim-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInput, MatCheckbox, MatButton, TranslatePipe],
  template:
    `<h2 mat-dialog-title>{{ 'reclaim.title' | t }} · {{ data.machineName }}</h2>` +
    dialogForm(
      `<p>{{ 'reclaim.warning' | t }}</p>
        <mat-form-field>
          <mat-label>{{ 'reclaim.reason' | t }}</mat-label>
          <textarea matInput rows="2" formControlName="reason" required></textarea>
        </mat-form-field>
        <mat-checkbox formControlName="force">{{ 'reclaim.force' | t }}</mat-checkbox>`,
      'machine.reclaim',
    ),
})
export class ReclaimDialog extends AllocationDialogBase<ReclaimData, boolean> {
  readonly form = inject(NonNullableFormBuilder).group({
    reason: ['', Validators.required],
    force: [false],
  });

  submit(): Promise<void> {
    return this.submission.run(this.form, async () => {
      await this.api.post(
        `/admin/machines/${encodeURIComponent(this.data.machineId)}/reclaim`,
        this.form.getRawValue(),
        { silent: true },
      );
      this.notifier.success('reclaim.started');
      this.ref.close(true);
    });
  }
}
