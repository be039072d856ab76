import { cpuUtilPct, parseLoadavg, parseMeminfo, parseProcStat, parseUptime } from './proc-metrics';

describe('/proc parsers', () => {
  it('computes CPU use between two /proc/stat samples', () => {
    const before = parseProcStat(
      'cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\ncpu1 50 0 50 350 50 0 0 0 0 0\nintr 1\n',
    );
    const after = parseProcStat(
      'cpu  250 0 150 800 100 0 0 0 0 0\ncpu0 1 0 0 0 0 0 0 0 0 0\ncpu1 1 0 0 0 0 0 0 0 0 0\n',
    );
    expect(before).toEqual({ idle: 800, total: 1000, cores: 2 });
    expect(cpuUtilPct(before, after)).toBe(66.7);
    expect(cpuUtilPct(after, after)).toBe(0);
    expect(() => parseProcStat('intr 1')).toThrow();
  });

  it('reads memory from MemAvailable', () => {
    const mem = parseMeminfo('MemTotal:       1000000 kB\nMemFree:         100000 kB\nMemAvailable:    250000 kB\n');
    expect(mem).toEqual({
      totalBytes: 1_024_000_000,
      availableBytes: 256_000_000,
      usedBytes: 768_000_000,
      usedPct: 75,
    });
  });

  it('reads load and uptime', () => {
    expect(parseLoadavg('0.52 0.58 0.59 2/345 12345\n')).toEqual([0.52, 0.58, 0.59]);
    expect(parseUptime('350735.47 234388.90\n')).toBe(350735);
  });
});
