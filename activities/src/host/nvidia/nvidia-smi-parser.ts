// Pure parsers for nvidia-smi's CSV queries and its failure outputs (fixtures in __fixtures__ are
// captured from the real tool: `[N/A]`, `[Not Supported]`, driver-not-loaded and GPU-lost texts).
import type { GpuComputeProcess, GpuStatus } from '@remotegpu/core/contracts';

export const GPU_QUERY_FIELDS = [
  'index',
  'uuid',
  'name',
  'pci.bus_id',
  'driver_version',
  'memory.total',
  'memory.used',
  'memory.free',
  'utilization.gpu',
  'utilization.memory',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'ecc.errors.uncorrected.volatile.total',
] as const;

export const COMPUTE_APPS_QUERY_FIELDS = ['pid', 'process_name', 'gpu_uuid', 'used_memory'] as const;

export const gpuQueryArgs = (): string[] => [
  `--query-gpu=${GPU_QUERY_FIELDS.join(',')}`,
  '--format=csv,noheader,nounits',
];
export const computeAppsQueryArgs = (): string[] => [
  `--query-compute-apps=${COMPUTE_APPS_QUERY_FIELDS.join(',')}`,
  '--format=csv,noheader,nounits',
];

export type NvidiaFailure = 'driver_missing' | 'gpu_lost' | 'command_failed';

/** Values nvidia-smi prints instead of a number when a field has no reading. */
const NO_READING = new Set(['[N/A]', '[Not Supported]', 'N/A', '[Unknown]']);

export interface ParsedGpu extends GpuStatus {
  /** Bracketed error values nvidia-smi printed instead of a reading (e.g. `[GPU requires reset]`). */
  faults: string[];
}

/**
 * Splits one CSV line into exactly `count` cells. nvidia-smi separates with ", " and does not quote;
 * a free-text column (`textIndex`, e.g. a process name) may itself contain ", ", so extra cells are
 * joined back into it.
 */
function splitRow(line: string, count: number, textIndex: number): string[] | null {
  const cells = line.split(', ').map((c) => c.trim());
  if (cells.length < count) return null;
  const extra = cells.length - count;
  if (extra > 0) cells.splice(textIndex, extra + 1, cells.slice(textIndex, textIndex + extra + 1).join(', '));
  return cells;
}

/** A number from a cell, tolerating the units of `--format=csv` without nounits; null for no reading. */
function reading(cell: string, faults: string[], field: string): number | null {
  if (NO_READING.has(cell)) return null;
  const match = /^(-?\d+(?:\.\d+)?)(?:\s*(?:MiB|%|W|C))?$/.exec(cell);
  if (match) return Number(match[1]);
  faults.push(`${field}: ${cell}`);
  return null;
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** Output of `--query-gpu=<GPU_QUERY_FIELDS>` (a header line, as with `--format=csv`, is skipped). */
export function parseGpuQuery(text: string): ParsedGpu[] {
  const gpus: ParsedGpu[] = [];
  for (const line of lines(text)) {
    const cells = splitRow(line, GPU_QUERY_FIELDS.length, GPU_QUERY_FIELDS.indexOf('name'));
    if (!cells) throw new Error(`unexpected nvidia-smi --query-gpu line: ${line}`);
    if (cells[0] === 'index') continue;
    const faults: string[] = [];
    const value = (field: (typeof GPU_QUERY_FIELDS)[number]) =>
      reading(cells[GPU_QUERY_FIELDS.indexOf(field)], faults, field);
    const index = Number(cells[0]);
    const memoryTotal = value('memory.total');
    if (!Number.isInteger(index) || memoryTotal === null) {
      throw new Error(`unexpected nvidia-smi --query-gpu line: ${line}`);
    }
    gpus.push({
      index,
      uuid: cells[1],
      name: cells[2],
      pciBusId: cells[3],
      driverVersion: cells[4],
      memoryTotalMiB: memoryTotal,
      memoryUsedMiB: value('memory.used'),
      memoryFreeMiB: value('memory.free'),
      utilizationGpuPct: value('utilization.gpu'),
      utilizationMemoryPct: value('utilization.memory'),
      temperatureC: value('temperature.gpu'),
      powerDrawW: value('power.draw'),
      powerLimitW: value('power.limit'),
      eccErrorsUncorrected: value('ecc.errors.uncorrected.volatile.total'),
      faults,
    });
  }
  return gpus;
}

/** Output of `--query-compute-apps=<COMPUTE_APPS_QUERY_FIELDS>`; empty output = no process. */
export function parseComputeApps(text: string): GpuComputeProcess[] {
  const processes: GpuComputeProcess[] = [];
  for (const line of lines(text)) {
    const cells = splitRow(line, COMPUTE_APPS_QUERY_FIELDS.length, COMPUTE_APPS_QUERY_FIELDS.indexOf('process_name'));
    if (!cells || !/^\d+$/.test(cells[0])) {
      if (cells?.[0] === 'pid') continue;
      throw new Error(`unexpected nvidia-smi --query-compute-apps line: ${line}`);
    }
    processes.push({
      pid: Number(cells[0]),
      processName: cells[1],
      gpuUuid: cells[2],
      usedMemoryMiB: reading(cells[3], [], 'used_memory'),
    });
  }
  return processes;
}

/** Why an nvidia-smi run failed, from its exit code and texts (see __fixtures__/README.md). */
export function classifyFailure(exitCode: number, output: string): NvidiaFailure | null {
  if (/couldn't communicate with the NVIDIA driver|NVIDIA driver is not loaded/i.test(output)) return 'driver_missing';
  if (/GPU is lost|GPU has fallen off the bus/i.test(output)) return 'gpu_lost';
  if (exitCode === 0) return null;
  // nvidia-smi's documented return codes: 9 = driver not loaded, 15 = GPU lost; 127 = no nvidia-smi.
  if (exitCode === 9 || exitCode === 127) return 'driver_missing';
  if (exitCode === 15) return 'gpu_lost';
  return 'command_failed';
}

/** Health problems visible in a successful query: no GPU, fault values, uncorrected ECC errors. */
export function gpuProblems(gpus: readonly ParsedGpu[]): string[] {
  const problems: string[] = [];
  if (gpus.length === 0) problems.push('nvidia-smi reports no GPU');
  for (const gpu of gpus) {
    for (const fault of gpu.faults) problems.push(`GPU ${gpu.index} (${gpu.uuid}) ${fault}`);
    if (gpu.eccErrorsUncorrected !== null && gpu.eccErrorsUncorrected > 0) {
      problems.push(`GPU ${gpu.index} (${gpu.uuid}) has ${gpu.eccErrorsUncorrected} uncorrected ECC errors`);
    }
  }
  return problems;
}

/** The first line of a failure output, for the problems list. */
export const firstLine = (text: string): string => lines(text)[0] ?? '';
