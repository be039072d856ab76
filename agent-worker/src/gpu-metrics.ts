// GPU figures for the heartbeat: the host activities' nvidia-smi query and parser, reduced to the
// heartbeat's snake_case shape. A missing or failing nvidia-smi yields no GPUs, never an exception.
import { GPU_QUERY_FIELDS, parseGpuQuery, type CommandRunner } from '@remotegpu/activities/host';
import type { AgentHeartbeatGpu } from '@remotegpu/core/contracts';

const GPU_QUERY_ARGS = [`--query-gpu=${GPU_QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];

/** The heartbeat's view of nvidia-smi --query-gpu output. */
export function heartbeatGpusFromQuery(csv: string): AgentHeartbeatGpu[] {
  return parseGpuQuery(csv).map((gpu) => ({
    index: gpu.index,
    uuid: gpu.uuid,
    name: gpu.name,
    util_pct: gpu.utilizationGpuPct,
    mem_used_mib: gpu.memoryUsedMiB,
    mem_total_mib: gpu.memoryTotalMiB,
    temperature_c: gpu.temperatureC,
    power_w: gpu.powerDrawW,
    ecc_uncorrected: gpu.eccErrorsUncorrected,
  }));
}

export async function readHeartbeatGpus(
  commands: CommandRunner,
  nvidiaSmiPath: string,
  timeoutMs = 5000,
): Promise<AgentHeartbeatGpu[]> {
  try {
    const result = await commands.run(nvidiaSmiPath, GPU_QUERY_ARGS, { timeoutMs });
    return result.exitCode === 0 ? heartbeatGpusFromQuery(result.stdout) : [];
  } catch {
    return [];
  }
}
