// Template and style pieces repeated by the list and form pages. Plain string constants, composed into
// `template:` / `styles:` at compile time (the Angular compiler evaluates them statically).

/**
 * Header row, data rows and the "empty" row of a mat-table whose component names its columns `columns`.
 * Needs MatTableModule and TranslatePipe in the component's imports.
 */
export const TABLE_ROWS = `
          <tr mat-header-row *matHeaderRowDef="columns"></tr>
          <tr mat-row *matRowDef="let row; columns: columns"></tr>
          <tr class="mat-row" *matNoDataRow>
            <td class="mat-cell muted" [attr.colspan]="columns.length">{{ 'common.empty' | t }}</td>
          </tr>`;

/**
 * A mat-paginator bound to the component's PagedList named `list` (see shared/api/paged-list).
 * `attributes` adds the page-size options and any other paginator attributes.
 */
export function listPaginator(attributes: string): string {
  return `
      <mat-paginator
        [length]="list.total()"
        [pageIndex]="list.page() - 1"
        [pageSize]="list.pageSize()"
        (page)="list.onPage($event)"
        ${attributes}
      />`;
}

/** A plain `<table class="simple">` (summary tables that need no sorting or paging). */
export const SIMPLE_TABLE_STYLES = `
  table.simple {
    width: 100%;
    border-collapse: collapse;
  }
  table.simple th,
  table.simple td {
    text-align: left;
    padding: 8px;
    border-bottom: 1px solid var(--mat-sys-outline-variant);
  }
`;

/** A page that is one card centred in the window, with the language/theme menu in the corner (sign-in pages). */
export const CENTERED_CARD_STYLES = `
  .corner {
    position: fixed;
    top: 8px;
    right: 8px;
  }
  .center {
    min-height: 100%;
    display: flex;
    align-items: center;
    justify-content: center;
    padding: 16px;
    box-sizing: border-box;
  }
  h1 {
    font: var(--mat-sys-headline-small);
  }
  form {
    margin-top: 16px;
    min-width: 0;
  }
`;

/** A table below a card holding the form that adds to it. */
export const TABLE_BELOW_FORM_STYLES = `
  .table-wrap {
    margin-top: 16px;
  }
`;

/**
 * The form of a dialog: `fields`, the error line of the component's FormSubmission named `submission`, and
 * cancel/submit buttons. The component names its form group `form` and its submit handler `submit()`; needs
 * ReactiveFormsModule, MatDialogModule, MatButton and TranslatePipe.
 */
export function dialogForm(fields: string, submitLabel: string): string {
  return `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate>
      <mat-dialog-content class="dialog-form">
        ${fields}
        @if (submission.error()) {
          <p class="error-text" role="alert">{{ submission.error() }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'common.cancel' | t }}</button>
        <button mat-flat-button type="submit" [disabled]="submission.busy()">{{ '${submitLabel}' | t }}</button>
      </mat-dialog-actions>
    </form>
  `;
}
