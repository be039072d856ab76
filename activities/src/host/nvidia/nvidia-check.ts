import type { NvidiaCheckResult } from '@remotegpu/core/contracts';
import type { HostActivityDeps } from '../deps';
import {
  classifyFailure,
  computeAppsQueryArgs,
  firstLine,
  gpuProblems,
  gpuQueryArgs,
  parseComputeApps,
  parseGpuQuery,
  type NvidiaFailure,
} from './nvidia-smi-parser';

const NVIDIA_SMI_TIMEOUT_MS = 30_000;

export interface NvidiaCheckReport extends NvidiaCheckResult {
  /** false when nvidia-smi is missing or cannot talk to the driver. */
  driverLoaded: boolean;
  failure?: NvidiaFailure;
}

export function createNvidiaActivities(deps: HostActivityDeps) {
  const run = (args: string[]) =>
    deps.commands.run(deps.config.nvidiaSmiPath, args, { timeoutMs: NVIDIA_SMI_TIMEOUT_MS });

  function failed(failure: NvidiaFailure, output: string, exitCode: number): NvidiaCheckReport {
    const text = firstLine(output) || `nvidia-smi exited with ${exitCode}`;
    return {
      healthy: false,
      driverLoaded: failure !== 'driver_missing',
      gpus: [],
      processes: [],
      problems: [text],
      failure,
    };
  }

  return {
    /** GPUs and compute processes; a broken driver or lost GPU is a result (healthy=false), not an error. */
    async nvidiaCheck(): Promise<NvidiaCheckReport> {
      const gpuRun = await run(gpuQueryArgs());
      const gpuOutput = `${gpuRun.stdout}\n${gpuRun.stderr}`;
      const gpuFailure = classifyFailure(gpuRun.exitCode, gpuOutput);
      if (gpuFailure) return failed(gpuFailure, gpuOutput, gpuRun.exitCode);
      let parsed;
      try {
        parsed = parseGpuQuery(gpuRun.stdout);
      } catch (error) {
        return failed('command_failed', (error as Error).message, 0);
      }
      const appsRun = await run(computeAppsQueryArgs());
      const appsOutput = `${appsRun.stdout}\n${appsRun.stderr}`;
      const appsFailure = classifyFailure(appsRun.exitCode, appsOutput);
      if (appsFailure) return failed(appsFailure, appsOutput, appsRun.exitCode);
      let processes;
      try {
        processes = parseComputeApps(appsRun.stdout);
      } catch (error) {
        return failed('command_failed', (error as Error).message, 0);
      }
      const problems = gpuProblems(parsed);
      const gpus = parsed.map(({ faults: _faults, ...gpu }) => gpu);
      return { healthy: problems.length === 0, driverLoaded: true, gpus, processes, problems };
    },
  };
}
