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
import { SshKey } from '../../shared/api/api-types';
import { I18nService } from '../../shared/i18n/i18n.service';
import { LocalDatePipe, TranslatePipe } from '../../shared/i18n/i18n-pipes';
import { confirm } from '../../shared/ui/confirm-dialog';
import { Notifier } from '../../shared/ui/notifier.service';
import { looksLikePublicKey } from './ssh-key-format';

@Component({
  selector: 'rg-ssh-keys-page',
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
  ],
  template: `
    <section class="page">
      <header class="page-header">
        <h1>{{ 'keys.title' | t }}</h1>
      </header>
      <mat-card appearance="outlined">
        <mat-card-content>
          <form [formGroup]="form" (ngSubmit)="add()" class="dialog-form" novalidate>
            <mat-form-field>
              <mat-label>{{ 'keys.name' | t }}</mat-label>
              <input matInput formControlName="name" required />
            </mat-form-field>
            <mat-form-field>
              <mat-label>{{ 'keys.publicKey' | t }}</mat-label>
              <textarea matInput rows="3" class="mono" formControlName="public_key" required></textarea>
              <mat-hint>{{ 'keys.publicKeyHint' | t }}</mat-hint>
            </mat-form-field>
            @if (error()) {
              <p class="error-text" role="alert" data-testid="key-error">{{ error() }}</p>
            }
            <div class="row">
              <span class="spacer"></span>
              <button mat-flat-button type="submit" [disabled]="busy()">
                <mat-icon>add</mat-icon>{{ 'common.add' | t }}
              </button>
            </div>
          </form>
        </mat-card-content>
      </mat-card>
      <div class="table-wrap">
        <table mat-table [dataSource]="keys()">
          <ng-container matColumnDef="name">
            <th mat-header-cell *matHeaderCellDef>{{ 'keys.name' | t }}</th>
            <td mat-cell *matCellDef="let k">{{ k.name }}</td>
          </ng-container>
          <ng-container matColumnDef="type">
            <th mat-header-cell *matHeaderCellDef>{{ 'keys.type' | t }}</th>
            <td mat-cell *matCellDef="let k">{{ k.key_type ?? '' }}</td>
          </ng-container>
          <ng-container matColumnDef="fingerprint">
            <th mat-header-cell *matHeaderCellDef>{{ 'keys.fingerprint' | t }}</th>
            <td mat-cell *matCellDef="let k" class="mono">{{ k.fingerprint }}</td>
          </ng-container>
          <ng-container matColumnDef="created">
            <th mat-header-cell *matHeaderCellDef>{{ 'common.createdAt' | t }}</th>
            <td mat-cell *matCellDef="let k">{{ k.created_at | localDate }}</td>
          </ng-container>
          <ng-container matColumnDef="actions">
            <th mat-header-cell *matHeaderCellDef></th>
            <td mat-cell *matCellDef="let k">
              <button mat-icon-button type="button" (click)="remove(k)" [attr.aria-label]="'common.delete' | t">
                <mat-icon>delete</mat-icon>
              </button>
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
export class SshKeysPage implements OnInit {
  private readonly api = inject(ApiClient);
  private readonly dialog = inject(MatDialog);
  private readonly notifier = inject(Notifier);
  private readonly i18n = inject(I18nService);
  readonly columns = ['name', 'type', 'fingerprint', 'created', 'actions'];
  readonly keys = signal<SshKey[]>([]);
  readonly busy = signal(false);
  readonly error = signal('');
  private readonly formDirective = viewChild(FormGroupDirective);
  readonly form = inject(NonNullableFormBuilder).group({
    name: ['', Validators.required],
    public_key: ['', Validators.required],
  });

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    this.keys.set(listOf(await this.api.get<SshKey[] | Page<SshKey>>('/customer/keys')));
  }

  async add(): Promise<void> {
    // The submit button stays enabled: submitting shows what is missing instead of a silently dead button.
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const { name, public_key } = this.form.getRawValue();
    const key = public_key.trim();
    // A quick shape check for obvious paste mistakes; the API parses the key and its message is shown as is.
    if (!looksLikePublicKey(key)) {
      this.error.set(this.i18n.t('keys.publicKeyHint'));
      return;
    }
    this.busy.set(true);
    this.error.set('');
    try {
      await this.api.post('/customer/keys', { name: name.trim(), public_key: key }, { silent: true });
      this.notifier.success('keys.added');
      // resetForm also clears the submitted state, so the emptied required fields do not show as errors.
      this.formDirective()?.resetForm();
      await this.load();
    } catch (error) {
      this.error.set(error instanceof ApiError ? error.message : String(error));
    } finally {
      this.busy.set(false);
    }
  }

  async remove(key: SshKey): Promise<void> {
    const ok = await confirm(this.dialog, {
      title: this.i18n.t('common.delete'),
      message: this.i18n.t('keys.deleteConfirm', { name: key.name }),
      danger: true,
    });
    if (!ok) return;
    await this.api.delete(`/customer/keys/${key.id}`);
    this.notifier.success('keys.deleted');
    await this.load();
  }
}
