import { Component, DestroyRef, OnInit, inject, signal } from '@angular/core';
import { FormControl, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { ApiClient } from '../../shared/api/api-client';
import { CreateCustomerRequest, CreateCustomerResponse, Customer } from '../../shared/api/api-types';
import { createFormSubmission } from '../../shared/api/form-submission';
import { bindFilterForm, createPagedList } from '../../shared/api/paged-list';
import { LocalDatePipe, TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { I18nService } from '../../shared/i18n/i18n.service';
import { confirm } from '../../shared/ui/confirm-dialog';
import { CopyButton } from '../../shared/ui/copy-button';
import { PAGED_TABLE_PAGE_IMPORTS } from '../../shared/ui/list-page-imports';
import { Notifier } from '../../shared/ui/notifier.service';
import { TABLE_ROWS, dialogForm, listPaginator } from '../../shared/ui/page-templates';
import { StatusChip } from '../../shared/ui/status-chip';

@Component({
  selector: 'rg-create-customer-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatFormFieldModule, MatInput, MatButton, TranslatePipe, CopyButton],
  template: `
    <h2 mat-dialog-title>{{ 'customer.create' | t }}</h2>
    @if (created(); as c) {
      <mat-dialog-content>
        <p>{{ 'customer.created' | t }}</p>
        @if (c.initial_password) {
          <p class="row">
            <span class="mono">{{
              'customer.initialPassword'
                | t: { username: c.customer.owner?.username ?? '', password: c.initial_password }
            }}</span>
            <rg-copy-button [value]="c.initial_password" />
          </p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-flat-button type="button" [mat-dialog-close]="true">{{ 'common.close' | t }}</button>
      </mat-dialog-actions>
    } @else {
      ${dialogForm(
        `<mat-form-field>
            <mat-label>{{ 'customer.name' | t }}</mat-label>
            <input matInput formControlName="name" required />
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'customer.companyCode' | t }}</mat-label>
            <input matInput formControlName="company_code" required />
            <mat-hint>{{ 'customer.companyCodeRule' | t }}</mat-hint>
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'customer.contactName' | t }}</mat-label>
            <input matInput formControlName="contact_name" />
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'customer.contactEmail' | t }}</mat-label>
            <input matInput type="email" formControlName="contact_email" />
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'customer.contactPhone' | t }}</mat-label>
            <input matInput formControlName="contact_phone" />
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'customer.ownerUsername' | t }}</mat-label>
            <input matInput formControlName="owner_username" required autocomplete="off" />
          </mat-form-field>
          <mat-form-field>
            <mat-label>{{ 'customer.ownerPassword' | t }}</mat-label>
            <input matInput type="password" formControlName="owner_password" autocomplete="new-password" />
          </mat-form-field>`,
        'common.create',
      )}
    }
  `,
})
export class CreateCustomerDialog {
  private readonly api = inject(ApiClient);
  private readonly ref = inject(MatDialogRef<CreateCustomerDialog, boolean>);
  readonly submission = createFormSubmission(signal);
  readonly created = signal<CreateCustomerResponse | null>(null);
  readonly form = inject(NonNullableFormBuilder).group({
    name: ['', Validators.required],
    company_code: ['', [Validators.required, Validators.pattern(/^[a-z0-9][a-z0-9-]{1,29}$/)]],
    contact_name: [''],
    contact_email: ['', Validators.email],
    contact_phone: [''],
    owner_username: ['', Validators.required],
    owner_password: [''],
  });

  submit(): Promise<void> {
    return this.submission.run(this.form, async () => {
      const body = Object.fromEntries(
        Object.entries(this.form.getRawValue()).filter(([, value]) => value !== ''),
      ) as unknown as CreateCustomerRequest;
      const result = await this.api.post<CreateCustomerResponse>('/admin/customers', body, { silent: true });
      if (result?.initial_password) this.created.set(result);
      else this.ref.close(true);
    });
  }
}

@Component({
  selector: 'rg-customers-page',
  imports: [...PAGED_TABLE_PAGE_IMPORTS, MatButton, MatIcon, LocalDatePipe, StatusChip],
  template: `
    <section class="page">
      <header class="page-header">
        <h1>{{ 'customer.title' | t }}</h1>
        <button mat-flat-button type="button" (click)="create()">
          <mat-icon>add</mat-icon>{{ 'customer.create' | t }}
        </button>
      </header>
      <div class="filters">
        <mat-form-field>
          <mat-label>{{ 'common.search' | t }}</mat-label>
          <input matInput [formControl]="keyword" />
        </mat-form-field>
      </div>
      <div class="table-wrap">
        <table mat-table [dataSource]="list.rows()">
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef>{{ 'customer.name' | t }}</th>
            <td mat-cell *matCellDef="let c">{{ c.name }}</td>
          </ng-container>
          <ng-container matColumnDef="code">
            <th mat-header-cell *matHeaderCellDef>{{ 'customer.companyCode' | t }}</th>
            <td mat-cell *matCellDef="let c" class="mono">{{ c.company_code }}</td>
          </ng-container>
          <ng-container matColumnDef="contact">
            <th mat-header-cell *matHeaderCellDef>{{ 'customer.contactName' | t }}</th>
            <td mat-cell *matCellDef="let c">
              {{ c.contact_name ?? '—' }} <span class="muted">{{ c.contact_email ?? '' }}</span>
            </td>
          </ng-container>
          <ng-container matColumnDef="owner">
            <th mat-header-cell *matHeaderCellDef>{{ 'customer.owner' | t }}</th>
            <td mat-cell *matCellDef="let c">{{ c.owner?.username ?? '—' }}</td>
          </ng-container>
          <ng-container matColumnDef="members">
            <th mat-header-cell *matHeaderCellDef>{{ 'customer.members' | t }}</th>
            <td mat-cell *matCellDef="let c">{{ c.member_count ?? '—' }}</td>
          </ng-container>
          <ng-container matColumnDef="status">
            <th mat-header-cell *matHeaderCellDef>{{ 'common.status' | t }}</th>
            <td mat-cell *matCellDef="let c"><rg-status-chip [value]="c.status" prefix="customer.status." /></td>
          </ng-container>
          <ng-container matColumnDef="created">
            <th mat-header-cell *matHeaderCellDef>{{ 'common.createdAt' | t }}</th>
            <td mat-cell *matCellDef="let c">{{ c.created_at | localDate }}</td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef></th>
            <td mat-cell *matCellDef="let c">
              @if (c.status === 'active') {
                <button mat-button type="button" (click)="setStatus(c, 'disable')">{{ 'common.disable' | t }}</button>
              } @else {
                <button mat-button type="button" (click)="setStatus(c, 'enable')">{{ 'common.enable' | t }}</button>
              }
            </td>
          </ng-container>
          ${TABLE_ROWS}
        </table>
      </div>
      ${listPaginator('[pageSizeOptions]="[10, 20, 50]"')}
    </section>
  `,
})
export class CustomersPage implements OnInit {
  private readonly api = inject(ApiClient);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18nService);
  readonly columns = ['name', 'code', 'contact', 'owner', 'members', 'status', 'created', 'actions'];
  readonly keyword = new FormControl('', { nonNullable: true });
  readonly list = createPagedList(signal, (query) =>
    this.api.page<Customer>('/admin/customers', { ...query, keyword: this.keyword.value }),
  );

  constructor() {
    bindFilterForm(this.keyword, this.list, inject(DestroyRef));
  }

  ngOnInit(): void {
    void this.list.load();
  }

  create(): void {
    this.dialog
      .open(CreateCustomerDialog)
      .afterClosed()
      .subscribe((created) => {
        if (created) {
          this.notifier.success('customer.created');
          void this.list.load();
        }
      });
  }

  async setStatus(customer: Customer, action: 'disable' | 'enable'): Promise<void> {
    if (
      action === 'disable' &&
      !(await confirm(this.dialog, { title: this.i18n.t('common.disable'), message: customer.name, danger: true }))
    ) {
      return;
    }
    await this.api.post(`/admin/customers/${customer.id}/${action}`);
    this.notifier.success(action === 'disable' ? 'customer.disabled' : 'customer.enabled');
    await this.list.load();
  }
}
