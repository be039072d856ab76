import { Directive, OnInit, inject, signal, viewChild } from '@angular/core';
import { FormGroupDirective } from '@angular/forms';
import { MatDialog } from '@angular/material/dialog';
import { ApiClient } from '../api/api-client';
import { Page, listOf } from '../api/api-envelope';
import { createFormSubmission } from '../api/form-submission';
import { TranslationKey } from '../i18n/dictionary';
import { I18nService } from '../i18n/i18n.service';
import { confirmDelete } from './confirm-dialog';
import { Notifier } from './notifier.service';

/**
 * A page listing what lives under one API path (GET path), with a form above the table that adds to it
 * (POST path) and a delete button per row (DELETE path/:id). Subclasses give the path, the form and what
 * adding posts.
 */
@Directive()
export abstract class EditableListPage<T extends { id: string | number }> implements OnInit {
  protected readonly api = inject(ApiClient);
  protected readonly notifier = inject(Notifier);
  protected readonly i18n = inject(I18nService);
  private readonly dialog = inject(MatDialog);
  private readonly formDirective = viewChild(FormGroupDirective);
  protected abstract readonly path: string;
  readonly rows = signal<T[]>([]);
  readonly submission = createFormSubmission(signal);

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    this.rows.set(listOf(await this.api.get<T[] | Page<T>>(this.path)));
  }

  /** After a successful add: say so, empty the form and show the new row. */
  protected async added(message: TranslationKey): Promise<void> {
    this.notifier.success(message);
    // resetForm also clears the submitted state, so the emptied required fields do not show as errors.
    this.formDirective()?.resetForm();
    await this.load();
  }

  /** Deletes `item` once the user confirms `question`. */
  protected async removeAfterConfirm(item: T, question: string, message: TranslationKey): Promise<void> {
    if (!(await confirmDelete(this.dialog, this.i18n, question))) return;
    await this.api.delete(`${this.path}/${item.id}`);
    this.notifier.success(message);
    await this.load();
  }
}
