import { ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatPaginator } from '@angular/material/paginator';
import { MatTableModule } from '@angular/material/table';
import { TranslatePipe } from '../i18n/i18n-pipes';

/** What every page with a form (filters or "add") above a mat-table uses; spread into `imports`. */
export const TABLE_PAGE_IMPORTS = [ReactiveFormsModule, MatTableModule, MatFormFieldModule, MatInput, TranslatePipe];

/** TABLE_PAGE_IMPORTS plus the paginator of a server-side paged list (see listPaginator). */
export const PAGED_TABLE_PAGE_IMPORTS = [...TABLE_PAGE_IMPORTS, MatPaginator];
