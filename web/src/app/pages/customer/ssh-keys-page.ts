import { Component, inject } from '@angular/core';
import { NonNullableFormBuilder, Validators } from '@angular/forms';
import { MatButton, MatIconButton } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIcon } from '@angular/material/icon';
import { SshKey } from '../../shared/api/api-types';
import { LocalDatePipe } from '../../shared/i18n/i18n-pipes';
import { EditableListPage } from '../../shared/ui/editable-list-page';
import { TABLE_PAGE_IMPORTS } from '../../shared/ui/list-page-imports';
import { TABLE_BELOW_FORM_STYLES, TABLE_ROWS } from '../../shared/ui/page-templates';
import { looksLikePublicKey } from './ssh-key-format';

@Component({
  selector: 'rg-ssh-keys-page',
  imports: [...TABLE_PAGE_IMPORTS, MatCardModule, MatButton, MatIconButton, MatIcon, LocalDatePipe],
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
            @if (submission.error()) {
              <p class="error-text" role="alert" data-testid="key-error">{{ submission.error() }}</p>
            }
            <div class="row">
              <span class="spacer"></span>
              <button mat-flat-button type="submit" [disabled]="submission.busy()">
                <mat-icon>add</mat-icon>{{ 'common.add' | t }}
              </button>
            </div>
          </form>
        </mat-card-content>
      </mat-card>
      <div class="table-wrap">
        <table mat-table [dataSource]="rows()">
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
          ${TABLE_ROWS}
        </table>
      </div>
    </section>
  `,
  styles: TABLE_BELOW_FORM_STYLES,
})
export class SshKeysPage extends EditableListPage<SshKey> {
  protected readonly path = '/customer/keys';
  readonly columns = ['name', 'type', 'fingerprint', 'created', 'actions'];
  readonly form = inject(NonNullableFormBuilder).group({
    name: ['', Validators.required],
    public_key: ['', Validators.required],
  });

  async add(): Promise<void> {
    const { name, public_key } = this.form.getRawValue();
    const key = public_key.trim();
    // A quick shape check for obvious paste mistakes; the API parses the key and its message is shown as is.
    if (this.form.valid && !looksLikePublicKey(key)) {
      this.submission.error.set(this.i18n.t('keys.publicKeyHint'));
      return;
    }
    await this.submission.run(this.form, async () => {
      await this.api.post(this.path, { name: name.trim(), public_key: key }, { silent: true });
      await this.added('keys.added');
    });
  }

  remove(key: SshKey): Promise<void> {
    return this.removeAfterConfirm(key, this.i18n.t('keys.deleteConfirm', { name: key.name }), 'keys.deleted');
  }
}
