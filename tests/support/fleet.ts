// Fleet-health test kit: machines inserted straight into a test's scratch database, agent keys issued
// through the admin API, and heartbeats signed by the real agent code (agent-worker buildSignedHeartbeat).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AgentHeartbeatGpu, AgentHeartbeatMetrics } from '@remotegpu/core/contracts';
import { buildSignedHeartbeat, type SignedRequest } from '../../agent-worker/src/heartbeat';
import { bearer, type TestApi } from './api-server';

export interface FleetMachineInput {
  id: string;
  gpuCount?: number;
  status?: 'online' | 'offline';
  allocationStatus?: string;
  /** Create gpu_devices rows 0..gpuCount-1 (the inventory the GPU gate compares against). */
  inventory?: boolean;
  ip?: string;
}

let ipCounter = 0;

export async function insertMachine(em: EntityManager, input: FleetMachineInput): Promise<void> {
  const gpuCount = input.gpuCount ?? 2;
  ipCounter += 1;
  await em.getConnection().execute(
    `insert into machines (id, name, ip, ssh_port, gpu_model, gpu_count, status, allocation_status)
     values (?, ?, ?, ?, 'NVIDIA H100 80GB HBM3', ?, ?, ?)`,
    [
      input.id,
      `node ${input.id}`,
      input.ip ?? `10.${(ipCounter >> 8) & 255}.${ipCounter & 255}.${Math.floor(Math.random() * 250) + 1}`,
      20_000 + Math.floor(Math.random() * 40_000),
      gpuCount,
      input.status ?? 'offline',
      input.allocationStatus ?? 'idle',
    ],
  );
  if (input.inventory) {
    for (let i = 0; i < gpuCount; i++) {
      await em
        .getConnection()
        .execute(`insert into gpu_devices (machine_id, gpu_index, uuid, model, memory_mb) values (?, ?, ?, ?, ?)`, [
          input.id,
          i,
          `GPU-${input.id}-${i}`,
          'NVIDIA H100 80GB HBM3',
          81_559,
        ]);
    }
  }
}

export interface AgentKey {
  machineId: string;
  keyId: string;
  secret: string;
}

export async function issueAgentKey(api: TestApi, adminToken: string, machineId: string): Promise<AgentKey> {
  const res = await api.request.post(`/api/v1/admin/machines/${machineId}/agent-credentials`).set(bearer(adminToken));
  if (res.status !== 201) throw new Error(`issue agent key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { machineId, keyId: res.body.data.key_id as string, secret: res.body.data.secret as string };
}

export function gpus(count: number, overrides: Partial<AgentHeartbeatGpu> = {}): AgentHeartbeatGpu[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    uuid: `GPU-${index}`,
    name: 'NVIDIA H100 80GB HBM3',
    util_pct: 50,
    mem_used_mib: 1000,
    mem_total_mib: 81_559,
    temperature_c: 40,
    power_w: 300,
    ecc_uncorrected: 0,
    ...overrides,
  }));
}

export function metrics(
  gpuList: AgentHeartbeatGpu[],
  host: Partial<AgentHeartbeatMetrics> = {},
): AgentHeartbeatMetrics {
  return { cpu_util: 10, mem_used_pct: 20, disk_used_pct: 30, gpus: gpuList, ...host };
}

export function signHeartbeat(key: AgentKey, m: AgentHeartbeatMetrics, nowMs = Date.now()): SignedRequest {
  return buildSignedHeartbeat(
    {
      machineId: key.machineId,
      agentVersion: 'test-1.0.0',
      apiUrl: 'http://127.0.0.1',
      keyId: key.keyId,
      secret: key.secret,
    },
    m,
    nowMs,
  );
}

/** Posts a signed request through supertest exactly as built (same bytes, same headers). */
export function postSigned(api: TestApi, req: SignedRequest) {
  const url = new URL(req.url);
  return api.request
    .post(url.pathname + url.search)
    .set(req.headers)
    .send(req.body);
}

/** A live allocation row (status active) of a machine to a tenant, inserted directly. */
export async function insertAllocation(em: EntityManager, machineId: string, tenantId: number): Promise<string> {
  const id = `alloc-${machineId}`;
  await em.getConnection().execute(
    `insert into allocations (id, tenant_id, machine_id, status, starts_at, expires_at, duration_months, unix_user)
     values (?, ?, ?, 'active', now(), now() + interval '30 days', 1, ?)`,
    [id, tenantId, machineId, `t${tenantId}`],
  );
  await em.getConnection().execute(`update machines set allocation_status = 'allocated' where id = ?`, [machineId]);
  return id;
}
