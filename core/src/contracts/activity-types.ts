// The host activity interface (DESIGN §3): what the agent worker registers on host-<machineId> and
// what workflows call through proxyActivities<HostActivities>. Implemented by
// createHostActivities(deps) in @remotegpu/activities. Every action is idempotent.
import type { HostPingResult } from './host-ping';

export interface HostPingInput {
  /** The machine the caller believes it is talking to; the agent answers with its own id. */
  machineId: string;
}

export interface TenantUserInput {
  /** Validated unix user name of the tenant on this host. */
  username: string;
}

export interface EnsureTenantUserInput extends TenantUserInput {
  /** Extra groups (e.g. docker, video); must already exist on the host. */
  groups?: string[];
  shell?: string;
}

export interface EnsureTenantUserResult {
  username: string;
  uid: number;
  homeDir: string;
  /** false when the user already existed (and was re-enabled if locked). */
  created: boolean;
}

export interface DisableTenantUserResult {
  username: string;
  /** false when the user was already locked or absent. */
  changed: boolean;
}

export interface InjectSshKeysInput extends TenantUserInput {
  /** OpenSSH public key lines (e.g. "ssh-ed25519 AAAA… comment"). */
  publicKeys: string[];
}

export interface InjectSshKeysResult {
  added: number;
  alreadyPresent: number;
}

export interface RevokeSshKeysInput extends TenantUserInput {
  /** Keys to remove; omitted = remove every key of the user. */
  publicKeys?: string[];
}

export interface RevokeSshKeysResult {
  removed: number;
}

export interface SetUserPasswordInput extends TenantUserInput {
  /** Plain password (goes to chpasswd over stdin, never argv); lands in workflow history, so the
   * caller should prefer a one-time value the customer must change. */
  password: string;
}

export interface UserProcess {
  pid: number;
  user: string;
  command: string;
}

export interface ListUserProcessesResult {
  processes: UserProcess[];
}

export interface KillUserProcessesInput extends TenantUserInput {
  /** Time between SIGTERM and SIGKILL; default chosen by the activity. */
  graceMs?: number;
}

export interface KillUserProcessesResult {
  killed: number;
  /** Processes still alive after SIGKILL (should be 0). */
  remaining: number;
}

export interface WipeUserDataInput extends TenantUserInput {
  /** Directories to empty; each must normalise to a path under the allowed data roots. Omitted = the
   * user's home and data directories. */
  paths?: string[];
}

export interface WipeUserDataResult {
  wipedPaths: string[];
}

export interface StopVncInput extends TenantUserInput {
  display?: number;
}

export interface StopVncResult {
  stopped: boolean;
}

/** One GPU as reported by nvidia-smi --query-gpu (null where nvidia-smi says [N/A]). */
export interface GpuStatus {
  index: number;
  uuid: string;
  name: string;
  pciBusId: string;
  driverVersion: string;
  memoryTotalMiB: number;
  memoryUsedMiB: number | null;
  memoryFreeMiB: number | null;
  utilizationGpuPct: number | null;
  utilizationMemoryPct: number | null;
  temperatureC: number | null;
  powerDrawW: number | null;
  powerLimitW: number | null;
  eccErrorsUncorrected: number | null;
}

/** One process using a GPU (nvidia-smi --query-compute-apps). */
export interface GpuComputeProcess {
  pid: number;
  processName: string;
  gpuUuid: string;
  usedMemoryMiB: number | null;
}

export interface NvidiaCheckResult {
  /** true when the driver answered and no GPU reported a fault. */
  healthy: boolean;
  gpus: GpuStatus[];
  processes: GpuComputeProcess[];
  /** Human-readable reasons when not healthy (driver not loaded, GPU lost, ECC errors ...). */
  problems: string[];
}

export interface ProbePortInput {
  host: string;
  port: number;
  timeoutMs?: number;
}

export interface ProbePortResult {
  open: boolean;
  latencyMs?: number;
  error?: string;
}

export interface HostActivities {
  ping(input: HostPingInput): Promise<HostPingResult>;
  ensureTenantUser(input: EnsureTenantUserInput): Promise<EnsureTenantUserResult>;
  disableTenantUser(input: TenantUserInput): Promise<DisableTenantUserResult>;
  injectSshKeys(input: InjectSshKeysInput): Promise<InjectSshKeysResult>;
  revokeSshKeys(input: RevokeSshKeysInput): Promise<RevokeSshKeysResult>;
  setUserPassword(input: SetUserPasswordInput): Promise<void>;
  listUserProcesses(input: TenantUserInput): Promise<ListUserProcessesResult>;
  killUserProcesses(input: KillUserProcessesInput): Promise<KillUserProcessesResult>;
  wipeUserData(input: WipeUserDataInput): Promise<WipeUserDataResult>;
  stopVnc(input: StopVncInput): Promise<StopVncResult>;
  nvidiaCheck(): Promise<NvidiaCheckResult>;
  probePort(input: ProbePortInput): Promise<ProbePortResult>;
}

export type HostActivityName = keyof HostActivities;
