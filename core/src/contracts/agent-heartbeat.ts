// The signed heartbeat an agent posts to the API (DESIGN §4). JSON field names are snake_case like
// the rest of the HTTP API. Signing itself lives in @remotegpu/core (rules/agent-signature).

export const AGENT_HEARTBEAT_PATH = '/api/v1/agent/heartbeat';

export const AGENT_SIGNATURE_HEADERS = {
  keyId: 'X-Agent-Key-Id',
  timestamp: 'X-Agent-Timestamp',
  signature: 'X-Agent-Signature',
} as const;

/** A signed request older or newer than this (vs. the server clock) is rejected as a replay. */
export const AGENT_SIGNATURE_WINDOW_SECONDS = 300;

export interface AgentHeartbeatGpu {
  index: number;
  uuid: string;
  name: string;
  util_pct: number | null;
  mem_used_mib: number | null;
  mem_total_mib: number;
  temperature_c: number | null;
  power_w: number | null;
  /** Volatile uncorrected ECC errors (null = not supported / N/A); optional for older agents. */
  ecc_uncorrected?: number | null;
}

export interface AgentHeartbeatMetrics {
  cpu_util: number;
  mem_used_pct: number;
  disk_used_pct: number;
  gpus: AgentHeartbeatGpu[];
}

export interface AgentHeartbeatBody {
  machine_id: string;
  /** Unix milliseconds on the host when the heartbeat was built. */
  ts: number;
  agent_version: string;
  metrics: AgentHeartbeatMetrics;
}
