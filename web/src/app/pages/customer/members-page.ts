import { Component, OnInit, inject, signal, viewChild } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIcon } from '@angular/material/icon';
import { MatInput } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { ApiClient } from '../../shared/api/api-client';
import { ApiError, Page, listOf } from '../../shared/api/api-envelope';
import { Member } from '../../shared/api/api-types';
import { SessionService } from '../../shared/api/session.service';
import { I18nService } from '../../shared/i18n/i18n.service';
import { LocalDatePipe, TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { confirm } from '../../shared/ui/confirm-dialog';
import { CopyButton } from '../../shared/ui/copy-button';
import { Notifier } from '../../shared/ui/notifier.service';
import { StatusChip } from '../../shared/ui/status-chip';

@Component({
  selector: 'rg-members-page',
  imports: [
    ReactiveFormsModule,
    MatCardModule,
    MatTableModule,
    MatFormFieldModule,
    MatInput,
    MatButton,
    MatIconButton,
    MatIcon,
    TranslatePipe,
    LocalDatePipe,
    CopyButton,
    StatusChip,
  ],
  template: `
    <section class="page">
      <header class="page-header">
        <h1>{{ 'members.title' | t }}</h1>
      </header>
      <mat-card appearance="outlined">
        <mat-card-content>
          <form [formGroup]="form" (ngSubmit)="add()" class="filters" novalidate>
            <mat-form-field>
              <mat-label>{{ 'members.username' | t }}</mat-label>
              <input matInput formControlName="username" required autocomplete="off" />
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ 'members.email' | t }}</mat-label>
              <input matInput type="email" formControlName="email" />
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ 'members.password' | t }}</mat-label>
              <input matInput type="password" formControlName="password" autocomplete="new-password" required />
            </mat-form-field>
            <button mat-flat-button type="submit" [disabled]="busy()">
              <mat-icon>person_add</mat-icon>{{ 'members.add' | t }}
            </button>
          </form>
          @if (initialPassword(); as pw) {
            <p class="row">
              <span class="mono">{{
                'customer.initialPassword' | t: { username: pw.username, password: pw.password }
              }}</span>
              <rg-copy-button [value]="pw.password" />
            </p>
          }
          @if (error()) {
            <p class="error-text" role="alert">{{ error() }}</p>
          }
        </mat-card-content>
      </mat-card>
      <div class="table-wrap">
        <table mat-table [dataSource]="members()">
          <ng-container matColumnDef="username">
            <th mat-header-cell *matHeaderCellDef>{{ 'members.username' | t }}</th>
            <td mat-cell *matCellDef="let m">{{ m.username }}</td>
          </ng-container>
          <ng-container matColumnDef="role">
            <th mat-header-cell *matHeaderCellDef>{{ 'members.role' | t }}</th>
            <td mat-cell *matCellDef="let m">{{ 'tenantRole.' + m.tenant_role | t }}</td>
          </ng-container>
          <ng-container matColumnDef="email">
            <th mat-header-cell *matHeaderCellDef>{{ 'members.email' | t }}</th>
            <td mat-cell *matCellDef="let m">{{ m.email ?? '' }}</td>
          </ng-container>
          <ng-container matColumnDef="status">
            <th mat-header-cell *matHeaderCellDef>{{ 'common.status' | t }}</th>
            <td mat-cell *matCellDef="let m"><rg-status-chip [value]="m.status" prefix="customer.status." /></td>
          </ng-container>
          <ng-container matColumnDef="created">
            <th mat-header-cell *matHeaderCellDef>{{ 'common.createdAt' | t }}</th>
            <td mat-cell *matCellDef="let m">{{ m.created_at | localDate }}</td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef></th>
            <td mat-cell *matCellDef="let m">
              @if (m.id !== session.profile()?.id && m.tenant_role !== 'owner') {
                <button mat-icon-button type="button" (click)="remove(m)" [attr.aria-label]="'common.delete' | t">
                  <mat-icon>person_remove</mat-icon>
                </button>
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
    </section>
  `,
  styles: `
    .table-wrap {
      margin-top: 16px;
    }
  `,
})
export class MembersPage implements OnInit {
  private readonly api = inject(ApiClient);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18nService);
  readonly session = inject(SessionService);
  readonly columns = ['username', 'role', 'email', 'status', 'created', 'actions'];
  readonly members = signal<Member[]>([]);
  readonly busy = signal(false);
  readonly error = signal('');
  readonly initialPassword = signal<{ username: string; password: string } | null>(null);
  private readonly formDirective = viewChild(FormGroupDirective);
  readonly form = inject(NonNullableFormBuilder).group({
    username: ['', Validators.required],
    email: ['', Validators.email],
    password: ['', Validators.required],
  });

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    this.members.set(listOf(await this.api.get<Member[] | Page<Member>>('/customer/members')));
  }

  async add(): Promise<void> {
    // The submit button stays enabled: submitting shows what is missing instead of a silently dead button.
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { username, email, password } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set('');
    this.initialPassword.set(null);
    try {
      await this.api.post(
        '/customer/members',
        { username: username.trim(), email: email || undefined, password },
        { silent: true },
      );
      // Shown once so the owner can hand it over; the member must change it at first sign-in.
      this.initialPassword.set({ username: username.trim(), password });
      this.notifier.success('members.added');
      // resetForm also clears the submitted state, so the emptied required fields do not show as errors.
      this.formDirective()?.resetForm();
      await this.load();
    } catch (error) {
      this.error.set(error instanceof ApiError ? error.message : String(error));
    } finally {
      this.busy.set(false);
    }
  }

  async remove(member: Member): Promise<void> {
    const ok = await confirm(this.dialog, {
      title: this.i18n.t('common.delete'),
      message: this.i18n.t('members.removeConfirm', { name: member.username }),
      danger: true,
    });
    if (!ok) return;
    await this.api.delete(`/customer/members/${member.id}`);
    this.notifier.success('members.removed');
    await this.load();
  }
}
