// Messages of the /ws/connect socket (JSON frames with a `type`). The API sends `monitoring_update` as a
// snapshot `{ generated_at, machines: [...] }` (admins: the fleet, customers: their machines); a single
// update (the requirements' example) is accepted too.

export interface MonitoringUpdate {
  machine_id: string;
  gpu_util: number | null;
  gpu_mem?: number | null;
  cpu_util?: number | null;
  status?: 'online' | 'offline';
  allocation_status?: string;
  /** unix seconds of the sample; null when the machine has not reported */
  ts: number | null;
}

export interface MonitoringSnapshot {
  generated_at?: string;
  machines: MonitoringUpdate[];
}

export interface AlertPayload {
  id: number;
  severity: 'info' | 'warning' | 'critical' | string;
  status?: string;
  kind?: string;
  message: string;
  machine_id?: string | null;
}

export interface AlertEvent {
  action: string;
  alert: AlertPayload;
  at: string;
}

export interface OperationUpdate {
  operation_id: string | number;
  kind?: string;
  status: string;
  machine_id?: string | null;
  tenant_id?: number | null;
  [key: string]: unknown;
}

export interface MachineStatusEvent {
  machine_id: string;
  status?: 'online' | 'offline';
  allocation_status?: string;
  reason: string;
  at: string;
}

export type LiveMessage =
  | { type: 'monitoring_update'; data: MonitoringUpdate | MonitoringSnapshot }
  | { type: 'alert_event'; data: AlertEvent }
  | { type: 'alert'; data: AlertPayload }
  | { type: 'operation_update'; data: OperationUpdate }
  | { type: 'machine_status'; data: MachineStatusEvent }
  | { type: 'connected'; data?: unknown }
  | { type: 'pong'; data?: unknown }
  | { type: 'error'; data?: { message?: string } };

const KNOWN_TYPES = new Set([
  'monitoring_update',
  'alert_event',
  'alert',
  'operation_update',
  'machine_status',
  'connected',
  'pong',
  'error',
]);

/** Parses one frame; unknown or malformed frames give null (the server may add types later). */
export function parseLiveMessage(raw: unknown): LiveMessage | null {
  if (typeof raw !== 'string') return null;
  try {
    const parsed = JSON.parse(raw) as { type?: unknown };
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.type !== 'string') return null;
    return KNOWN_TYPES.has(parsed.type) ? (parsed as LiveMessage) : null;
  } catch {
    return null;
  }
}

/** Flattens a monitoring message (single update or snapshot) into per-machine updates. */
export function monitoringUpdates(message: LiveMessage): MonitoringUpdate[] {
  if (message.type !== 'monitoring_update' || !message.data) return [];
  const data = message.data;
  if ('machines' in data && Array.isArray(data.machines)) return data.machines;
  return 'machine_id' in data ? [data] : [];
}

/** The alert carried by an alert message, in either shape. */
export function alertOf(message: LiveMessage): AlertPayload | null {
  if (message.type === 'alert_event') return message.data.alert;
  if (message.type === 'alert') return message.data;
  return null;
}

/** ws(s)://host/ws/connect?token=… for the page's origin. */
export function liveSocketUrl(location: { protocol: string; host: string }, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/connect?token=${encodeURIComponent(token)}`;
}
