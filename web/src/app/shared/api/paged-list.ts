import { Observable, debounceTime } from 'rxjs';
import { Page, QueryValue } from './api-envelope';
import { State, StateFactory } from './state';

/** Sort state as MatSort reports it; `direction: ''` means unsorted. */
export interface SortState {
  active: string;
  direction: 'asc' | 'desc' | '';
}

/** What MatPaginator's (page) event carries that a list needs. */
export interface PageChange {
  pageIndex: number;
  pageSize: number;
}

/** The paging part of a list request, in the order the API documents it. */
export interface PageQuery extends Record<string, QueryValue> {
  page: number;
  page_size: number;
  sort?: string;
}

export interface PagedList<T> {
  readonly rows: State<T[]>;
  readonly total: State<number>;
  /** 1-based, as the API counts pages */
  readonly page: State<number>;
  readonly pageSize: State<number>;
  readonly sort: State<SortState>;
  readonly loading: State<boolean>;
  /** Fetches the current page again. */
  load(): Promise<void>;
  /** Back to page 1 and fetch, as after a filter change. */
  firstPage(): Promise<void>;
  onPage(change: PageChange): Promise<void>;
  onSort(sort: SortState): Promise<void>;
}

/** The API takes `sort=field` or `sort=-field` (descending); unsorted sends no parameter. */
export function sortParam(sort: SortState): string | undefined {
  return sort.direction && sort.active ? `${sort.direction === 'desc' ? '-' : ''}${sort.active}` : undefined;
}

/**
 * State and loading of a server-side paged, sortable list. `fetch` gets the paging query to merge with the page's
 * own filters. A response that arrives after a newer request was sent is dropped, so a slow earlier page never
 * overwrites the rows of a later one.
 */
export function createPagedList<T>(
  signal: StateFactory,
  fetch: (query: PageQuery) => Promise<Page<T>>,
  options: { pageSize?: number } = {},
): PagedList<T> {
  const rows = signal<T[]>([]);
  const total = signal(0);
  const page = signal(1);
  const pageSize = signal(options.pageSize ?? 20);
  const sort = signal<SortState>({ active: '', direction: '' });
  const loading = signal(false);
  let requestSeq = 0;

  async function load(): Promise<void> {
    const seq = ++requestSeq;
    loading.set(true);
    const query: PageQuery = { page: page(), page_size: pageSize() };
    const sortBy = sortParam(sort());
    if (sortBy) query.sort = sortBy;
    try {
      const result = await fetch(query);
      if (seq !== requestSeq) return; // a newer request superseded this one
      rows.set(result.list);
      total.set(result.total);
    } finally {
      if (seq === requestSeq) loading.set(false);
    }
  }

  return {
    rows,
    total,
    page,
    pageSize,
    sort,
    loading,
    load,
    firstPage() {
      page.set(1);
      return load();
    },
    onPage(change) {
      page.set(change.pageIndex + 1);
      pageSize.set(change.pageSize);
      return load();
    },
    onSort(next) {
      sort.set(next);
      page.set(1);
      return load();
    },
  };
}

/** Angular's DestroyRef, reduced to what bindFilterForm needs. */
export interface DestroyHook {
  onDestroy(callback: () => void): unknown;
}

/**
 * Reloads `list` from page 1 whenever the filter form (or a single control) changes, debounced so typing in a
 * text filter sends one request; stops when `destroyRef` is destroyed.
 */
export function bindFilterForm(
  filters: { valueChanges: Observable<unknown> },
  list: Pick<PagedList<unknown>, 'firstPage'>,
  destroyRef: DestroyHook,
  debounceMs = 300,
): void {
  const subscription = filters.valueChanges.pipe(debounceTime(debounceMs)).subscribe(() => void list.firstPage());
  destroyRef.onDestroy(() => subscription.unsubscribe());
}
