import { Component, OnInit, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatPaginator, PageEvent } from '@angular/material/paginator';
import { MatTableModule } from '@angular/material/table';
import { debounceTime } from 'rxjs';
import { ApiClient } from '../../shared/api/api-client';
import { ApiError } from '../../shared/api/api-envelope';
import { CreateCustomerRequest, CreateCustomerResponse, Customer } from '../../shared/api/api-types';
import { I18nService } from '../../shared/i18n/i18n.service';
import { LocalDatePipe, TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { confirm } from '../../shared/ui/confirm-dialog';
import { CopyButton } from '../../shared/ui/copy-button';
import { Notifier } from '../../shared/ui/notifier.service';
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
      <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
        <mat-dialog-content class="dialog-form">
          <mat-form-field>
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
          </mat-form-field>
          @if (error()) {
            <p class="error-text" role="alert">{{ error() }}</p>
          }
        </mat-dialog-content>
        <mat-dialog-actions align="end">
          <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | t }}</button>
          <button mat-flat-button type="submit" [disabled]="busy()">{{ 'common.create' | t }}</button>
        </mat-dialog-actions>
      </form>
    }
  `,
})
export class CreateCustomerDialog {
  private readonly api = inject(ApiClient);
  private readonly ref = inject(MatDialogRef<CreateCustomerDialog, boolean>);
  readonly busy = signal(false);
  readonly error = signal('');
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

  async submit(): Promise<void> {
    // The submit button stays enabled: submitting shows what is missing instead of a silently dead button.
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const raw = this.form.getRawValue();
    const body: CreateCustomerRequest = Object.fromEntries(
      Object.entries(raw).filter(([, value]) => value !== ''),
    ) as unknown as CreateCustomerRequest;
    this.busy.set(true);
    this.error.set('');
    try {
      const result = await this.api.post<CreateCustomerResponse>('/admin/customers', body, { silent: true });
      if (result?.initial_password) this.created.set(result);
      else this.ref.close(true);
    } catch (error) {
      this.error.set(error instanceof ApiError ? error.message : String(error));
    } finally {
      this.busy.set(false);
    }
  }
}

@Component({
  selector: 'rg-customers-page',
  imports: [
    ReactiveFormsModule,
    MatTableModule,
    MatPaginator,
    MatFormFieldModule,
    MatInput,
    MatButton,
    MatIcon,
    TranslatePipe,
    LocalDatePipe,
    StatusChip,
  ],
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
        <table mat-table [dataSource]="rows()">
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
        [pageSizeOptions]="[10, 20, 50]"
        (page)="onPage($event)"
      />
    </section>
  `,
})
export class CustomersPage implements OnInit {
  private readonly api = inject(ApiClient);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18nService);
  readonly columns = ['name', 'code', 'contact', 'owner', 'members', 'status', 'created', 'actions'];
  readonly rows = signal<Customer[]>([]);
  readonly total = signal(0);
  readonly page = signal(1);
  readonly pageSize = signal(20);
  readonly keyword = new FormControl('', { nonNullable: true });

  constructor() {
    this.keyword.valueChanges.pipe(debounceTime(300), takeUntilDestroyed()).subscribe(() => {
      this.page.set(1);
      void this.load();
    });
  }

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    const result = await this.api.page<Customer>('/admin/customers', {
      page: this.page(),
      page_size: this.pageSize(),
      keyword: this.keyword.value,
    });
    this.rows.set(result.list);
    this.total.set(result.total);
  }

  onPage(event: PageEvent): void {
    this.page.set(event.pageIndex + 1);
    this.pageSize.set(event.pageSize);
    void this.load();
  }

  create(): void {
    this.dialog
      .open(CreateCustomerDialog)
      .afterClosed()
      .subscribe((created) => {
        if (created) {
          this.notifier.success('customer.created');
          void this.load();
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
    await this.load();
  }
}
