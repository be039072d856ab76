// Pure parsers for the /proc files the heartbeat's host metrics come from.

export interface CpuTimes {
  /** Jiffies spent idle (idle + iowait). */
  idle: number;
  total: number;
  cores: number;
}

/** The aggregate `cpu` line of /proc/stat and the number of `cpuN` lines. */
export function parseProcStat(text: string): CpuTimes {
  let idle = -1;
  let total = 0;
  let cores = 0;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'cpu') {
      const values = fields.slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
      total = values.reduce((a, b) => a + b, 0);
      idle = values[3] + (values[4] ?? 0);
    } else if (/^cpu\d+$/.test(fields[0])) {
      cores += 1;
    }
  }
  if (idle < 0) throw new Error('no cpu line in /proc/stat');
  return { idle, total, cores };
}

/** CPU utilisation in percent between two samples (0 when no time passed). */
export function cpuUtilPct(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  return round1((100 * (total - (after.idle - before.idle))) / total);
}

export interface MemoryInfo {
  totalBytes: number;
  availableBytes: number;
  usedBytes: number;
  usedPct: number;
}

export function parseMeminfo(text: string): MemoryInfo {
  const kib = (key: string): number | undefined => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : undefined;
  };
  const totalBytes = kib('MemTotal');
  if (!totalBytes) throw new Error('no MemTotal in /proc/meminfo');
  const availableBytes = kib('MemAvailable') ?? (kib('MemFree') ?? 0) + (kib('Cached') ?? 0);
  const usedBytes = totalBytes - availableBytes;
  return { totalBytes, availableBytes, usedBytes, usedPct: round1((100 * usedBytes) / totalBytes) };
}

export function parseLoadavg(text: string): [number, number, number] {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  return [a, b, c];
}

/** Seconds since boot, from /proc/uptime. */
export function parseUptime(text: string): number {
  const seconds = Number(text.trim().split(/\s+/)[0]);
  if (!Number.isFinite(seconds)) throw new Error('unexpected /proc/uptime');
  return Math.floor(seconds);
}

export const round1 = (value: number): number => Math.round(value * 10) / 10;
