import { Subject } from 'rxjs';
import { Page } from './api-envelope';
import { fakeSignal } from './fake-state';
import { PageQuery, bindFilterForm, createPagedList, sortParam } from './paged-list';

function pageOf(list: string[], total = list.length): Page<string> {
  return { list, total, page: 1, page_size: 20 };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('sortParam', () => {
  it('sends field, -field, or nothing', () => {
    expect(sortParam({ active: 'name', direction: 'asc' })).toBe('name');
    expect(sortParam({ active: 'name', direction: 'desc' })).toBe('-name');
    expect(sortParam({ active: 'name', direction: '' })).toBeUndefined();
    expect(sortParam({ active: '', direction: '' })).toBeUndefined();
  });
});

describe('createPagedList', () => {
  it('loads the first page with the default page size and no sort', async () => {
    const fetch = jest.fn(async (_query: PageQuery) => pageOf(['a', 'b'], 42));
    const list = createPagedList(fakeSignal, fetch);
    await list.load();
    expect(fetch).toHaveBeenCalledWith({ page: 1, page_size: 20 });
    expect(list.rows()).toEqual(['a', 'b']);
    expect(list.total()).toBe(42);
    expect(list.loading()).toBe(false);
  });

  it('maps paginator events (0-based) to API pages (1-based) and keeps the page size', async () => {
    const fetch = jest.fn(async (_query: PageQuery) => pageOf([]));
    const list = createPagedList(fakeSignal, fetch, { pageSize: 10 });
    await list.onPage({ pageIndex: 2, pageSize: 50 });
    expect(fetch).toHaveBeenLastCalledWith({ page: 3, page_size: 50 });
    expect(list.page()).toBe(3);
    expect(list.pageSize()).toBe(50);
  });

  it('sorting and filtering go back to page 1', async () => {
    const fetch = jest.fn(async (_query: PageQuery) => pageOf([]));
    const list = createPagedList(fakeSignal, fetch);
    await list.onPage({ pageIndex: 4, pageSize: 20 });
    await list.onSort({ active: 'region', direction: 'desc' });
    expect(fetch).toHaveBeenLastCalledWith({ page: 1, page_size: 20, sort: '-region' });
    await list.onPage({ pageIndex: 1, pageSize: 20 });
    await list.firstPage();
    expect(fetch).toHaveBeenLastCalledWith({ page: 1, page_size: 20, sort: '-region' });
  });

  it('is loading while a request runs and drops a response overtaken by a newer request', async () => {
    const slow = deferred<Page<string>>();
    const fast = deferred<Page<string>>();
    const fetch = jest.fn().mockReturnValueOnce(slow.promise).mockReturnValueOnce(fast.promise);
    const list = createPagedList<string>(fakeSignal, fetch);
    const first = list.load();
    const second = list.onPage({ pageIndex: 1, pageSize: 20 });
    expect(list.loading()).toBe(true);
    fast.resolve(pageOf(['page 2'], 30));
    await second;
    expect(list.loading()).toBe(false);
    slow.resolve(pageOf(['page 1'], 30));
    await first;
    expect(list.rows()).toEqual(['page 2']);
  });

  it('keeps the rows and stops loading when a request fails', async () => {
    const fetch = jest
      .fn()
      .mockResolvedValueOnce(pageOf(['kept'], 1))
      .mockRejectedValueOnce(new Error('down'));
    const list = createPagedList<string>(fakeSignal, fetch);
    await list.load();
    await expect(list.load()).rejects.toThrow('down');
    expect(list.rows()).toEqual(['kept']);
    expect(list.loading()).toBe(false);
  });
});

describe('bindFilterForm', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reloads page 1 once per burst of changes and stops on destroy', () => {
    const changes = new Subject<unknown>();
    const list = { firstPage: jest.fn(async () => undefined) };
    const destroyCallbacks: (() => void)[] = [];
    bindFilterForm({ valueChanges: changes }, list, { onDestroy: (cb) => destroyCallbacks.push(cb) });

    changes.next({ keyword: 'g' });
    changes.next({ keyword: 'gp' });
    jest.advanceTimersByTime(299);
    expect(list.firstPage).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(list.firstPage).toHaveBeenCalledTimes(1);

    destroyCallbacks.forEach((cb) => cb());
    changes.next({ keyword: 'gpu' });
    jest.advanceTimersByTime(300);
    expect(list.firstPage).toHaveBeenCalledTimes(1);
  });
});
