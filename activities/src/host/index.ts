// Host activities (DESIGN §3): registered by the agent worker on host-<machineId>. Every side effect
// goes through the injected deps; every activity validates its input first and is idempotent.
import type { HostActivities } from '@remotegpu/core/contracts';
import { createDataActivities } from './data';
import type { HostActivityDeps } from './deps';
import { heartbeating } from './heartbeats';
import { createNvidiaActivities } from './nvidia/nvidia-check';
import { createProcessActivities } from './processes';
import { createSshKeyActivities } from './ssh-keys';
import { createSystemActivities } from './system';
import { createUserActivities } from './users';

export function createHostActivities(deps: HostActivityDeps) {
  // Every activity heartbeats while it runs (external commands, deleting a data tree), so a workflow
  // notices a killed agent after its heartbeatTimeout; an activity done in under 2 s sends one heartbeat.
  const activities = heartbeating(
    {
      ...createSystemActivities(deps),
      ...createUserActivities(deps),
      ...createSshKeyActivities(deps),
      ...createProcessActivities(deps),
      ...createDataActivities(deps),
      ...createNvidiaActivities(deps),
    },
    () => deps.heartbeat(),
  );
  // Compile-time check that the contract workflows call through proxyActivities<HostActivities> holds
  // (setUserPassword returns a result here while the contract says void: compatible at run time).
  const contract: Omit<HostActivities, 'setUserPassword'> = activities;
  void contract;
  return activities;
}

export type HostActivityImplementations = ReturnType<typeof createHostActivities>;
export type {
  HostActivityDeps,
  HostActivityConfig,
  CommandRunner,
  CommandResult,
  CommandOptions,
  Clock,
  HostFileSystem,
  TcpProber,
} from './deps';
export { createCommandRunner } from './command-runner';
export { createNodeHostDeps, activityHeartbeat, nodeFileSystem, systemClock, tcpProber } from './node-deps';
export { withHeartbeats, heartbeating, HEARTBEAT_INTERVAL_MS } from './heartbeats';
export type { HostMetrics, DiskMetrics } from './system';
export type { NvidiaCheckReport } from './nvidia/nvidia-check';
export type { SetUserPasswordRequest, SetUserPasswordResult, ResetUserPasswordResult } from './users';
export {
  parseGpuQuery,
  parseComputeApps,
  classifyFailure,
  GPU_QUERY_FIELDS,
  COMPUTE_APPS_QUERY_FIELDS,
  type NvidiaFailure,
} from './nvidia/nvidia-smi-parser';
