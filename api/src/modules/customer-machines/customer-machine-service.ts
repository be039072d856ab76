// The customer's machines (requirements §3.3.1): those allocated to the caller's tenant, found through
// its TenantScope, so another tenant's machine is simply not found. Connection details, GPU utilisation
// from the last heartbeat, and the owner's SSH reset (sshResetWorkflow, password returned once).
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import type { Redis } from 'ioredis';
import { Allocation, type AllocationStatus, type MachineOnlineStatus } from '@remotegpu/core';
import {
  machineMetricsKey,
  sshResetWorkflowId,
  type MachineMetricsSnapshot,
  type SshResetWorkflowInput,
  type SshResetWorkflowResult,
} from '@remotegpu/core/contracts';
import { AppError } from '../../http/errors';
import type { TenantScope } from '../../tenancy/tenant-scope';
import { insertOperation } from '../allocations/allocation-repository';
import { startLifecycleWorkflow } from '../allocations/temporal-starts';
import { iso, run, sqlOf } from '../machines/sql';

/** Allocation states in which the tenant holds the machine (being provisioned or in use). */
export const CUSTOMER_VISIBLE_ALLOCATION_STATUSES = [
  'pending',
  'active',
] as const satisfies readonly AllocationStatus[];

export interface CustomerMachineView {
  id: string;
  name: string;
  region: string;
  status: MachineOnlineStatus;
  /** pending while the allocation is being provisioned, active once usable. */
  allocation_status: AllocationStatus;
  allocation_id: string;
  gpu_util: number | null;
  gpu_info: { model: string | null; count: number; memory: string | null };
  ssh_host: string;
  ssh_port: number;
  ssh_user: string;
  jupyter_url: string | null;
  starts_at: string | null;
  expires_at: string | null;
}

export interface ConnectionView {
  machine_id: string;
  ssh_host: string;
  ssh_port: number;
  ssh_user: string;
  ssh_command: string;
  jupyter_url: string | null;
  expires_at: string | null;
}

export interface SshResetResult {
  machine_id: string;
  ssh_user: string;
  /** Shown once; not stored by the API. */
  password: string | null;
  keys_synced: number;
  operation_id: string;
}

interface MachineRow {
  id: string;
  name: string;
  region: string;
  status: MachineOnlineStatus;
  ip: string;
  ssh_port: number;
  gpu_model: string | null;
  gpu_count: number;
  gpu_memory_gb: number | null;
  public_domain: string | null;
  public_port: number | null;
  access_domain: string | null;
  access_port: number | null;
  avg_gpu_util: number | string | null;
}

interface HeldAllocation {
  id: string;
  machineId: string;
  status: AllocationStatus;
  unixUser: string;
  startsAt: Date | null;
  expiresAt: Date | null;
}

export interface CustomerMachineServiceOptions {
  temporal: Client;
  controlTaskQueue: string;
  redis: Redis;
  now: () => Date;
  /** How long ssh-reset waits for its workflow before answering 503 (the reset still completes). */
  sshResetTimeoutMs?: number;
}

/** The public SSH entry: the machine's nginx mapping, else an enabled remote-access entry, else direct. */
function sshEndpoint(row: MachineRow): { host: string; port: number } {
  if (row.public_domain && row.public_port) return { host: row.public_domain, port: row.public_port };
  if (row.access_domain && row.access_port) return { host: row.access_domain, port: row.access_port };
  return { host: row.ip, port: row.ssh_port };
}

const mean = (values: number[]): number | null =>
  values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10 : null;

export class CustomerMachineService {
  constructor(private readonly opts: CustomerMachineServiceOptions) {}

  /** The tenant's allocations that hold a machine; the TenantScope adds the tenant condition. */
  private async heldAllocations(scope: TenantScope, machineId?: string): Promise<HeldAllocation[]> {
    const where: Record<string, unknown> = { status: { $in: [...CUSTOMER_VISIBLE_ALLOCATION_STATUSES] } };
    if (machineId) where.machine = machineId;
    const rows = await scope.find(Allocation, where, { orderBy: { createdAt: 'desc' } });
    return rows.map((a) => ({
      id: a.id,
      machineId: a.machine.id,
      status: a.status,
      unixUser: a.unixUser,
      startsAt: a.startsAt ?? null,
      expiresAt: a.expiresAt ?? null,
    }));
  }

  private async machineRows(em: EntityManager, ids: string[]): Promise<Map<string, MachineRow>> {
    if (ids.length === 0) return new Map();
    const { knex, table } = sqlOf(em);
    const accessDomain = knex
      .from(table('machine_remote_access', 'r'))
      .select('r.public_domain')
      .whereRaw('r.machine_id = m.id')
      .where('r.enabled', true)
      .orderBy('r.id')
      .limit(1)
      .as('access_domain');
    const accessPort = knex
      .from(table('machine_remote_access', 'r'))
      .select('r.public_port')
      .whereRaw('r.machine_id = m.id')
      .where('r.enabled', true)
      .orderBy('r.id')
      .limit(1)
      .as('access_port');
    const gpuUtil = knex
      .from(table('gpu_devices', 'g'))
      .avg('g.last_util')
      .whereRaw('g.machine_id = m.id')
      .as('avg_gpu_util');
    const rows = await run<MachineRow>(
      em,
      knex
        .from(table('machines', 'm'))
        .select(
          'm.id',
          'm.name',
          'm.region',
          'm.status',
          'm.ip',
          'm.ssh_port',
          'm.gpu_model',
          'm.gpu_count',
          'm.gpu_memory_gb',
          'm.public_domain',
          'm.public_port',
          accessDomain,
          accessPort,
          gpuUtil,
        )
        .whereIn('m.id', ids)
        .whereNull('m.deleted_at'),
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** GPU utilisation (mean over GPUs) from each machine's last heartbeat in Redis. */
  private async heartbeatUtil(ids: string[]): Promise<Map<string, number | null>> {
    if (ids.length === 0) return new Map();
    const raw = await this.opts.redis.mget(ids.map(machineMetricsKey));
    const out = new Map<string, number | null>();
    raw.forEach((value, i) => {
      if (!value) return;
      try {
        const snapshot = JSON.parse(value) as MachineMetricsSnapshot;
        out.set(ids[i], mean(snapshot.gpus.flatMap((g) => (g.util_pct === null ? [] : [g.util_pct]))));
      } catch {
        // A malformed snapshot is ignored; the database value is used instead.
      }
    });
    return out;
  }

  private toView(allocation: HeldAllocation, row: MachineRow, util: number | null | undefined): CustomerMachineView {
    const endpoint = sshEndpoint(row);
    const dbUtil = row.avg_gpu_util === null ? null : Math.round(Number(row.avg_gpu_util) * 10) / 10;
    return {
      id: row.id,
      name: row.name,
      region: row.region,
      status: row.status,
      allocation_status: allocation.status,
      allocation_id: allocation.id,
      gpu_util: util ?? dbUtil,
      gpu_info: {
        model: row.gpu_model,
        count: row.gpu_count,
        memory: row.gpu_memory_gb === null ? null : `${row.gpu_memory_gb}GB`,
      },
      ssh_host: endpoint.host,
      ssh_port: endpoint.port,
      ssh_user: allocation.unixUser,
      jupyter_url: null,
      starts_at: iso(allocation.startsAt),
      expires_at: iso(allocation.expiresAt),
    };
  }

  async list(scope: TenantScope): Promise<CustomerMachineView[]> {
    const held = await this.heldAllocations(scope);
    const ids = held.map((a) => a.machineId);
    const [rows, utils] = await Promise.all([this.machineRows(scope.em, ids), this.heartbeatUtil(ids)]);
    return held.flatMap((a) => {
      const row = rows.get(a.machineId);
      return row ? [this.toView(a, row, utils.get(a.machineId))] : [];
    });
  }

  async get(scope: TenantScope, machineId: string): Promise<CustomerMachineView> {
    const [allocation] = await this.heldAllocations(scope, machineId);
    if (!allocation) throw AppError.notFound('machine');
    const [rows, utils] = await Promise.all([this.machineRows(scope.em, [machineId]), this.heartbeatUtil([machineId])]);
    const row = rows.get(machineId);
    if (!row) throw AppError.notFound('machine');
    return this.toView(allocation, row, utils.get(machineId));
  }

  async connection(scope: TenantScope, machineId: string): Promise<ConnectionView> {
    const view = await this.get(scope, machineId);
    return {
      machine_id: view.id,
      ssh_host: view.ssh_host,
      ssh_port: view.ssh_port,
      ssh_user: view.ssh_user,
      ssh_command: `ssh -p ${view.ssh_port} ${view.ssh_user}@${view.ssh_host}`,
      jupyter_url: view.jupyter_url,
      expires_at: view.expires_at,
    };
  }

  /** Resets the tenant user's password (and re-syncs keys) on an active machine; the password is shown once. */
  async sshReset(scope: TenantScope, machineId: string, requestedBy: number): Promise<SshResetResult> {
    const [allocation] = await this.heldAllocations(scope, machineId);
    if (!allocation) throw AppError.notFound('machine');
    if (allocation.status !== 'active') {
      throw new AppError('CONFLICT', `machine ${machineId} is still being provisioned`, {
        reason: 'allocation_pending',
      });
    }
    const requestId = randomUUID();
    const operationId = `op-${randomUUID()}`;
    const workflowId = sshResetWorkflowId(machineId, requestId);
    await insertOperation(
      scope.em,
      {
        id: operationId,
        kind: 'ssh_reset',
        machineId,
        allocationId: allocation.id,
        tenantId: scope.tenantId,
        workflowId,
        input: { request_id: requestId },
        requestedBy,
      },
      this.opts.now(),
    );
    const input: SshResetWorkflowInput = {
      machineId,
      tenantId: scope.tenantId,
      unixUser: allocation.unixUser,
      requestId,
      operationId,
      requestedBy,
      resetPassword: true,
    };
    const handle = await startLifecycleWorkflow(this.opts.temporal, this.opts.controlTaskQueue, {
      workflowType: 'sshResetWorkflow',
      workflowId,
      input,
      attributes: { kind: 'ssh_reset', machineId, tenantId: scope.tenantId, allocationId: allocation.id },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new AppError('SERVICE_UNAVAILABLE', 'the host did not answer in time; try again', {
              operation_id: operationId,
            }),
          ),
        this.opts.sshResetTimeoutMs ?? 60_000,
      );
    });
    try {
      const result = (await Promise.race([handle.result(), timeout])) as SshResetWorkflowResult;
      return {
        machine_id: machineId,
        ssh_user: result.unixUser,
        password: result.password,
        keys_synced: result.keysSynced,
        operation_id: operationId,
      };
    } catch (err) {
      if (err instanceof WorkflowFailedError) {
        throw new AppError('HOST_ERROR', `the SSH reset failed: ${err.cause?.message ?? err.message}`, {
          operation_id: operationId,
        });
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}
