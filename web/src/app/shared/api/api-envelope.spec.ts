import {
  ApiError,
  apiErrorFromBody,
  emptyPage,
  isEnvelope,
  listOf,
  toQueryParams,
  unwrapEnvelope,
} from './api-envelope';

describe('unwrapEnvelope', () => {
  it('returns data of a successful envelope', () => {
    expect(unwrapEnvelope({ code: 0, msg: 'ok', data: { id: 1 }, traceId: 't-1' })).toEqual({ id: 1 });
    expect(unwrapEnvelope({ code: 0, msg: 'ok', data: null })).toBeNull();
  });

  it('throws an ApiError with the API message, code and traceId for a non-zero code', () => {
    let thrown: unknown;
    try {
      unwrapEnvelope({ code: 'CONFLICT', msg: 'machine is not idle', data: null, traceId: 't-9' }, 409);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ message: 'machine is not idle', status: 409, code: 'CONFLICT', traceId: 't-9' });
  });

  it('rejects bodies that are not envelopes', () => {
    expect(() => unwrapEnvelope('<html>', 200)).toThrow('Unexpected response from the server');
    expect(() => unwrapEnvelope([1, 2], 200)).toThrow(ApiError);
  });
});

describe('apiErrorFromBody', () => {
  it('keeps the envelope fields, including data (e.g. an import report)', () => {
    const error = apiErrorFromBody(422, { code: 'VALIDATION', msg: 'bad rows', data: { rows: [] }, traceId: 'x' });
    expect(error).toMatchObject({ message: 'bad rows', status: 422, code: 'VALIDATION', data: { rows: [] } });
  });

  it('falls back to the HTTP status when the body is not an envelope', () => {
    expect(apiErrorFromBody(502, 'Bad Gateway').message).toBe('HTTP 502');
    expect(apiErrorFromBody(0, null).code).toBe('NETWORK_ERROR');
    expect(apiErrorFromBody(400, { message: 'nope', code: 'X' })).toMatchObject({ message: 'nope', code: 'X' });
    expect(apiErrorFromBody(500, { code: 1, msg: '', data: null }).message).toBe('HTTP 500');
  });
});

describe('helpers', () => {
  it('isEnvelope recognises the envelope shape only', () => {
    expect(isEnvelope({ code: 0, msg: 'ok', data: 1 })).toBe(true);
    expect(isEnvelope({ data: 1 })).toBe(false);
    expect(isEnvelope(null)).toBe(false);
  });

  it('toQueryParams drops empty filters and joins arrays', () => {
    expect(
      toQueryParams({
        page: 1,
        page_size: 20,
        status: '',
        region: undefined,
        gpu_model: null,
        ids: ['a', 'b'],
        x: [],
        f: false,
      }),
    ).toEqual({ page: '1', page_size: '20', ids: 'a,b', f: 'false' });
  });

  it('listOf accepts arrays and pages', () => {
    expect(listOf([1, 2])).toEqual([1, 2]);
    expect(listOf({ list: [3], total: 1, page: 1, page_size: 10 })).toEqual([3]);
    expect(listOf(null)).toEqual([]);
    expect(emptyPage()).toEqual({ list: [], total: 0, page: 1, page_size: 20 });
  });
});
