import { Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, Validators } from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';
import { Member } from '../../shared/api/api-types';
import { SessionService } from '../../shared/api/session.service';
import { LocalDatePipe } from '../../shared/i18n/i18n-pipes';
import { CopyButton } from '../../shared/ui/copy-button';
import { EditableListPage } from '../../shared/ui/editable-list-page';
import { TABLE_PAGE_IMPORTS } from '../../shared/ui/list-page-imports';
import { TABLE_BELOW_FORM_STYLES, TABLE_ROWS } from '../../shared/ui/page-templates';
import { StatusChip } from '../../shared/ui/status-chip';

@Component({
  selector: 'rg-members-page',
  imports: [
    ...TABLE_PAGE_IMPORTS,
    MatCardModule,
    MatButton,
    MatIconButton,
    MatIcon,
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
            <button mat-flat-button type="submit" [disabled]="submission.busy()">
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
          @if (submission.error()) {
            <p class="error-text" role="alert">{{ submission.error() }}</p>
          }
        </mat-card-content>
      </mat-card>
      <div class="table-wrap">
        <table mat-table [dataSource]="rows()">
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
          ${TABLE_ROWS}
        </table>
      </div>
    </section>
  `,
  styles: TABLE_BELOW_FORM_STYLES,
})
export class MembersPage extends EditableListPage<Member> {
  protected readonly path = '/customer/members';
  readonly session = inject(SessionService);
  readonly columns = ['username', 'role', 'email', 'status', 'created', 'actions'];
  readonly initialPassword = signal<{ username: string; password: string } | null>(null);
  readonly form = inject(NonNullableFormBuilder).group({
    username: ['', Validators.required],
    email: ['', Validators.email],
    password: ['', Validators.required],
  });

  add(): Promise<void> {
    return this.submission.run(this.form, async () => {
      const { username, email, password } = this.form.getRawValue();
      this.initialPassword.set(null);
      await this.api.post(
        this.path,
        { username: username.trim(), email: email || undefined, password },
        { silent: true },
      );
      // Shown once so the owner can hand it over; the member must change it at first sign-in.
      this.initialPassword.set({ username: username.trim(), password });
      await this.added('members.added');
    });
  }

  remove(member: Member): Promise<void> {
    return this.removeAfterConfirm(
      member,
      this.i18n.t('members.removeConfirm', { name: member.username }),
      'members.removed',
    );
  }
}
