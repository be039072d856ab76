import { allocateFreePorts, DEFAULT_PORT_RANGES, freePortCount, nextFreePort, portRangeSize } from './port-pool';

const range = { start: 22000, end: 22004 };

describe('nextFreePort', () => {
  it.each<[number[], number | undefined, number | null]>([
    [[], undefined, 22000],
    [[22000, 22001], undefined, 22002],
    [[22001], undefined, 22000],
    [[22000, 22001, 22002, 22003], undefined, 22004],
    [[22000, 22001, 22002, 22003, 22004], undefined, null],
    [[21999, 22005, 80], undefined, 22000],
    [[], 22003, 22003],
    [[22003], 22003, 22000],
    [[], 23000, 22000],
  ])('used %j preferred %s → %s', (used, preferred, expected) => {
    expect(nextFreePort(range, used, preferred)).toBe(expected);
  });

  it.each([
    { start: 0, end: 10 },
    { start: 10, end: 5 },
    { start: 65000, end: 65536 },
    { start: 1.5, end: 10 },
  ])('refuses the invalid range %j', (bad) => {
    expect(() => nextFreePort(bad, [])).toThrow(RangeError);
  });
});

describe('allocateFreePorts', () => {
  it('takes the lowest free ports', () => {
    expect(allocateFreePorts(range, [22001, 22003], 2)).toEqual([22000, 22002]);
    expect(allocateFreePorts(range, [22001, 22003], 3)).toEqual([22000, 22002, 22004]);
    expect(allocateFreePorts(range, [], 0)).toEqual([]);
  });

  it('returns null when the range has too few free ports', () => {
    expect(allocateFreePorts(range, [22001, 22003], 4)).toBeNull();
  });

  it('refuses a negative count', () => {
    expect(() => allocateFreePorts(range, [], -1)).toThrow(RangeError);
  });
});

describe('pool sizes', () => {
  it('counts free ports, ignoring used ports outside the range', () => {
    expect(portRangeSize(range)).toBe(5);
    expect(freePortCount(range, [22000, 22000, 22004, 80])).toBe(3);
  });

  it('has the documented default ranges', () => {
    expect(DEFAULT_PORT_RANGES.ssh).toEqual({ start: 22000, end: 22999 });
    expect(portRangeSize(DEFAULT_PORT_RANGES.custom)).toBe(10000);
    for (const r of Object.values(DEFAULT_PORT_RANGES)) expect(portRangeSize(r)).toBeGreaterThan(0);
  });
});
