// ping, port probes and the heartbeat's host metrics.
import type { HostPingInput, HostPingResult, ProbePortInput, ProbePortResult } from '@remotegpu/core/contracts';
import type { HostActivityDeps } from './deps';
import { invalidInput } from './errors';
import {
  cpuUtilPct,
  parseLoadavg,
  parseMeminfo,
  parseProcStat,
  parseUptime,
  round1,
  type CpuTimes,
} from './proc-metrics';
import { assertLoopbackHost, assertObject, optionalInteger } from './validation';

const DEFAULT_PROBE_TIMEOUT_MS = 2_000;
/** With no earlier sample, CPU use is measured over this window. */
const CPU_SAMPLE_MS = 250;

export interface DiskMetrics {
  path: string;
  totalBytes: number;
  usedBytes: number;
  availableBytes: number;
  usedPct: number;
}

export interface HostMetrics {
  collectedAt: string;
  uptimeSeconds: number;
  cpuCores: number;
  cpuUtilPct: number;
  load: [number, number, number];
  memTotalBytes: number;
  memUsedBytes: number;
  memUsedPct: number;
  /** Usage of the first configured disk path (the heartbeat's disk_used_pct). */
  diskUsedPct: number;
  disks: DiskMetrics[];
}

export function createSystemActivities(deps: HostActivityDeps) {
  const { fs, clock, config } = deps;
  let lastCpu: CpuTimes | undefined;

  const cpuSample = async () => parseProcStat(await fs.readFile('/proc/stat'));

  return {
    async ping(input?: HostPingInput): Promise<HostPingResult> {
      if (input !== undefined) assertObject(input, 'input');
      const hostname = (await fs.readFile('/proc/sys/kernel/hostname')).trim();
      return {
        machineId: config.machineId,
        hostname,
        agentVersion: config.agentVersion,
        uptimeSeconds: parseUptime(await fs.readFile('/proc/uptime')),
        receivedAt: clock.now().toISOString(),
      };
    },

    /** TCP connect to a loopback address only (e.g. is the tenant's Jupyter/VNC port listening). */
    async probePort(input: ProbePortInput): Promise<ProbePortResult> {
      const host = assertLoopbackHost(assertObject(input, 'input').host);
      const port = optionalInteger(input.port, 'port', 1, 65_535);
      if (port === undefined) throw invalidInput('port is required');
      const timeoutMs = optionalInteger(input.timeoutMs, 'timeoutMs', 10, 30_000) ?? DEFAULT_PROBE_TIMEOUT_MS;
      return deps.tcp.probe(host, port, timeoutMs);
    },

    /** CPU (since the previous call), memory, load and disk usage, for the heartbeat. */
    async collectHostMetrics(): Promise<HostMetrics> {
      let before = lastCpu;
      if (!before) {
        before = await cpuSample();
        await clock.sleep(CPU_SAMPLE_MS);
      }
      const now = await cpuSample();
      lastCpu = now;
      const memory = parseMeminfo(await fs.readFile('/proc/meminfo'));
      const disks: DiskMetrics[] = [];
      for (const diskPath of config.diskPaths ?? ['/']) {
        const usage = await fs.statfs(diskPath);
        const usedBytes = usage.totalBytes - usage.freeBytes;
        // Like df: used / (used + available to unprivileged users).
        const usable = usedBytes + usage.availableBytes;
        disks.push({
          path: diskPath,
          totalBytes: usage.totalBytes,
          usedBytes,
          availableBytes: usage.availableBytes,
          usedPct: usable > 0 ? round1((100 * usedBytes) / usable) : 0,
        });
      }
      return {
        collectedAt: clock.now().toISOString(),
        uptimeSeconds: parseUptime(await fs.readFile('/proc/uptime')),
        cpuCores: now.cores,
        cpuUtilPct: cpuUtilPct(before, now),
        load: parseLoadavg(await fs.readFile('/proc/loadavg')),
        memTotalBytes: memory.totalBytes,
        memUsedBytes: memory.usedBytes,
        memUsedPct: memory.usedPct,
        diskUsedPct: disks[0]?.usedPct ?? 0,
        disks,
      };
    },
  };
}
