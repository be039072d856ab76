export interface HostPingWorkflowInput {
  machineId: string;
  /** How long the ping may wait for the host's agent to pick it up; default 10 000 ms. */
  scheduleToStartTimeoutMs?: number;
}

export const HOST_PING_DEFAULT_SCHEDULE_TO_START_MS = 10_000;

/** What the agent on a host answers to a ping. */
export interface HostPingResult {
  /** The machine id the agent is configured with (must equal the one asked for). */
  machineId: string;
  hostname: string;
  agentVersion: string;
  uptimeSeconds: number;
  /** ISO-8601 time on the host when the ping was handled. */
  receivedAt: string;
}
