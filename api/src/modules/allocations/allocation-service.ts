// Allocation use-cases: reserve machines for a tenant and start allocationWorkflow (requirements §6.1),
// list allocations, extend a lease (Update on the lease), reclaim (Signal on the lease, or a reclaim
// workflow when the lease is over) and the admin's decisions on a quarantined machine.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import {
  MachineNotAvailableError,
  newOperationId,
  reserveMachines,
  type ReservedAllocation,
} from '@remotegpu/activities';
import { tenantUnixUser } from '@remotegpu/core';
import {
  LEASE_HANDLERS,
  LIFECYCLE_FAILURE_TYPES,
  RECLAIM_HANDLERS,
  addCalendarMonths,
  leaseWorkflowId,
  reclaimWorkflowId,
  type ExtendLeaseInput,
  type ExtendLeaseResult,
  type LeaseStatus,
  type ReclaimDecisionInput,
  type ReclaimNowInput,
  type ReclaimWorkflowInput,
} from '@remotegpu/core/contracts';
import type { Page } from '../../http/envelope';
import { AppError } from '../../http/errors';
import { findMachine } from '../machines/machine-repository';
import {
  abandonReservation,
  countRunningTasks,
  failOperation,
  findAllocation,
  findTenant,
  insertOperation,
  latestAllocationOfMachine,
  listAllocations,
  openOperation,
  releaseQuarantinedMachine,
  type AllocationView,
  type ListAllocationsFilter,
} from './allocation-repository';
import { isNotRunning, isRunning, startLifecycleWorkflow, updateFailure } from './temporal-starts';

export interface AllocateInput {
  tenant_id: number;
  machine_ids: string[];
  duration_months: number;
  start_time?: string;
  remark?: string | null;
}

export interface AllocateResult {
  allocation_ids: string[];
  operation_ids: string[];
}

export interface ReclaimResult {
  task_id: string;
  operation_id: string;
  allocation_id: string;
  workflow_id: string;
}

export interface AllocationServiceOptions {
  temporal: Client;
  controlTaskQueue: string;
  now: () => Date;
}

const machineNotAvailable = (err: MachineNotAvailableError): AppError =>
  err.reason === 'not_found'
    ? new AppError('NOT_FOUND', `machine ${err.machineId} not found`, { machine_id: err.machineId })
    : new AppError('MACHINE_NOT_AVAILABLE', err.message, {
        machine_id: err.machineId,
        reason: err.reason,
        allocation_status: err.allocationStatus ?? null,
      });

export class AllocationService {
  constructor(private readonly opts: AllocationServiceOptions) {}

  list(em: EntityManager, filter: ListAllocationsFilter): Promise<Page<AllocationView>> {
    return listAllocations(em, filter);
  }

  async recent(em: EntityManager, limit: number): Promise<AllocationView[]> {
    return (await listAllocations(em, { page: 1, page_size: limit })).list;
  }

  async get(em: EntityManager, id: string): Promise<AllocationView> {
    const found = await findAllocation(em, id);
    if (!found) throw AppError.notFound('allocation');
    return found;
  }

  /**
   * One transaction reserves every machine (all or none), inserting pending allocations and their
   * `allocate` operations; then one allocationWorkflow per allocation is started. A workflow that cannot
   * be started undoes its reservation.
   */
  async allocate(em: EntityManager, input: AllocateInput, requestedBy: number | null): Promise<AllocateResult> {
    const tenant = await findTenant(em, input.tenant_id);
    if (!tenant) throw new AppError('NOT_FOUND', 'customer not found', { tenant_id: input.tenant_id });
    if (tenant.status !== 'active') {
      throw new AppError('CONFLICT', `customer ${tenant.name} is disabled`, { reason: 'tenant_disabled' });
    }
    const startsAt = input.start_time ? new Date(input.start_time) : this.opts.now();
    if (Date.parse(addCalendarMonths(startsAt.toISOString(), input.duration_months)) <= this.opts.now().getTime()) {
      throw new AppError('VALIDATION_ERROR', 'the lease would already be over: start_time is too far in the past', {
        fields: [{ field: 'start_time', message: 'start_time + duration_months must be in the future' }],
      });
    }

    let reserved: ReservedAllocation[];
    try {
      reserved = await reserveMachines(em, {
        machineIds: input.machine_ids,
        tenantId: tenant.id,
        unixUser: tenantUnixUser(tenant.company_code),
        durationMonths: input.duration_months,
        startsAt,
        remark: input.remark ?? null,
        requestedBy,
      });
    } catch (err) {
      if (err instanceof MachineNotAvailableError) throw machineNotAvailable(err);
      throw err;
    }

    const failures: string[] = [];
    await Promise.all(
      reserved.map(async (r) => {
        try {
          await startLifecycleWorkflow(this.opts.temporal, this.opts.controlTaskQueue, {
            workflowType: 'allocationWorkflow',
            workflowId: r.workflowId,
            input: r.workflowInput,
            attributes: {
              kind: 'allocate',
              machineId: r.workflowInput.machineId,
              tenantId: tenant.id,
              allocationId: r.allocationId,
            },
          });
        } catch (err) {
          const reason = `allocation workflow could not be started: ${err instanceof Error ? err.message : String(err)}`;
          await abandonReservation(
            em,
            { allocationId: r.allocationId, machineId: r.workflowInput.machineId, operationId: r.operationId },
            reason,
            this.opts.now(),
          );
          failures.push(r.workflowInput.machineId);
        }
      }),
    );
    if (failures.length > 0) {
      throw new AppError('SERVICE_UNAVAILABLE', `could not start the allocation of ${failures.join(', ')}`, {
        machine_ids: failures,
        allocation_ids: reserved
          .filter((r) => !failures.includes(r.workflowInput.machineId))
          .map((r) => r.allocationId),
      });
    }
    return { allocation_ids: reserved.map((r) => r.allocationId), operation_ids: reserved.map((r) => r.operationId) };
  }

  /** Runs the lease's `extend` Update; validator rejections are 422, an ended lease 409. */
  async extend(
    em: EntityManager,
    allocationId: string,
    months: number,
    requestedBy: number | null,
  ): Promise<{ allocation_id: string; previous_expires_at: string; expires_at: string; operation_id: string }> {
    const allocation = await this.get(em, allocationId);
    if (allocation.status !== 'active') {
      throw new AppError(
        'CONFLICT',
        `allocation ${allocationId} is ${allocation.status}; only an active lease can be extended`,
        {
          status: allocation.status,
        },
      );
    }
    const operationId = newOperationId();
    const request: ExtendLeaseInput = { months, operationId, requestedBy };
    const handle = this.opts.temporal.workflow.getHandle(leaseWorkflowId(allocationId));
    try {
      const result = await handle.executeUpdate<ExtendLeaseResult, [ExtendLeaseInput]>(LEASE_HANDLERS.extendUpdate, {
        args: [request],
      });
      return {
        allocation_id: allocationId,
        previous_expires_at: result.previousExpiresAt,
        expires_at: result.expiresAt,
        operation_id: operationId,
      };
    } catch (err) {
      const failure = updateFailure(err);
      if (failure?.type === LIFECYCLE_FAILURE_TYPES.stateConflict) throw new AppError('CONFLICT', failure.message);
      if (failure) throw new AppError('UNPROCESSABLE', failure.message, { field: 'months' });
      if (isNotRunning(err)) throw new AppError('CONFLICT', `the lease of ${allocationId} is not running`);
      throw err;
    }
  }

  /**
   * Ends the machine's live allocation early. The running lease gets `reclaimNow` (its reclaim child
   * does the work); when the lease is not running any more the reclaim workflow is started directly.
   * A reclaim already under way is returned as is.
   */
  async reclaim(
    em: EntityManager,
    machineId: string,
    request: { reason: string; force: boolean },
    requestedBy: number | null,
  ): Promise<ReclaimResult> {
    const machine = await findMachine(em, machineId);
    if (!machine) throw AppError.notFound('machine');
    const allocation = machine.currentAllocation;
    if (!allocation)
      throw new AppError('CONFLICT', `machine ${machineId} has no live allocation`, { reason: 'not_allocated' });
    if (allocation.status === 'pending') {
      throw new AppError('CONFLICT', `machine ${machineId} is still being allocated; reclaim it once it is allocated`, {
        reason: 'allocation_in_progress',
        allocation_id: allocation.id,
      });
    }
    const workflowId = reclaimWorkflowId(allocation.id);
    const existing = await openOperation(em, allocation.id, 'reclaim');
    if (existing)
      return { task_id: existing.id, operation_id: existing.id, allocation_id: allocation.id, workflow_id: workflowId };

    if (!request.force && (await countRunningTasks(em, machineId, allocation.tenant_id)) > 0) {
      throw new AppError(
        'CONFLICT',
        `tasks of the tenant are still running on ${machineId}; reclaim with force to stop them`,
        {
          reason: 'tasks_running',
        },
      );
    }

    // Where the reclaim has to go: the running lease (Signal) or, once the lease is over, a reclaim
    // workflow of its own. A reclaim already running without an operation row yet is reported as busy.
    const lease = this.opts.temporal.workflow.getHandle(leaseWorkflowId(allocation.id));
    let leaseState: LeaseStatus['state'] | 'not_running';
    try {
      leaseState = (await lease.query<LeaseStatus>(LEASE_HANDLERS.statusQuery)).state;
    } catch (err) {
      if (!isNotRunning(err)) throw err;
      leaseState = 'not_running';
    }
    const reclaimRunning =
      leaseState === 'reclaiming' ||
      (leaseState !== 'active' && (await isRunning(this.opts.temporal.workflow.getHandle(workflowId))));
    if (reclaimRunning) {
      throw new AppError('CONFLICT', `a reclaim of ${machineId} is already under way`, {
        reason: 'reclaim_in_progress',
        workflow_id: workflowId,
      });
    }

    const operationId = newOperationId();
    await insertOperation(
      em,
      {
        id: operationId,
        kind: 'reclaim',
        machineId,
        allocationId: allocation.id,
        tenantId: allocation.tenant_id,
        workflowId,
        input: { reason: request.reason, force: request.force },
        requestedBy,
      },
      this.opts.now(),
    );
    if (leaseState === 'active') {
      const signal: ReclaimNowInput = { reason: request.reason, force: request.force, operationId, requestedBy };
      try {
        await lease.signal<[ReclaimNowInput]>(LEASE_HANDLERS.reclaimNowSignal, signal);
      } catch (err) {
        await failOperation(em, operationId, 'could not signal the lease workflow', this.opts.now());
        throw err;
      }
    } else {
      await this.startReclaim(em, {
        allocationId: allocation.id,
        machineId,
        tenantId: allocation.tenant_id,
        unixUser: allocation.unix_user,
        reason: request.reason,
        force: request.force,
        operationId,
        requestedBy,
      });
    }
    return { task_id: operationId, operation_id: operationId, allocation_id: allocation.id, workflow_id: workflowId };
  }

  private async startReclaim(em: EntityManager, input: ReclaimWorkflowInput): Promise<void> {
    try {
      await startLifecycleWorkflow(this.opts.temporal, this.opts.controlTaskQueue, {
        workflowType: 'reclaimWorkflow',
        workflowId: reclaimWorkflowId(input.allocationId),
        input,
        attributes: {
          kind: 'reclaim',
          machineId: input.machineId,
          tenantId: input.tenantId,
          allocationId: input.allocationId,
        },
      });
    } catch (err) {
      await failOperation(em, input.operationId, 'reclaim workflow could not be started', this.opts.now());
      throw err;
    }
  }

  /**
   * Quarantine → retry: a reclaim waiting for a decision gets `retry`; a machine whose reclaim ended
   * (e.g. marked broken) is reclaimed again from the start.
   */
  async retryQuarantine(em: EntityManager, machineId: string, requestedBy: number | null): Promise<ReclaimResult> {
    const allocation = await this.quarantinedAllocation(em, machineId);
    const workflowId = reclaimWorkflowId(allocation.id);
    const handle = this.opts.temporal.workflow.getHandle(workflowId);
    if (await isRunning(handle)) {
      const open = await openOperation(em, allocation.id, 'reclaim');
      await handle.signal<[ReclaimDecisionInput]>(RECLAIM_HANDLERS.decisionSignal, { decision: 'retry', requestedBy });
      const taskId = open?.id ?? workflowId;
      return { task_id: taskId, operation_id: taskId, allocation_id: allocation.id, workflow_id: workflowId };
    }
    if (allocation.status !== 'reclaiming' && allocation.status !== 'reclaimed') {
      throw new AppError(
        'CONFLICT',
        `machine ${machineId} has no reclaim to retry (allocation ${allocation.status}); release it once checked`,
        {
          reason: 'nothing_to_retry',
        },
      );
    }
    const operationId = newOperationId();
    const reason = 'retry after quarantine';
    await insertOperation(
      em,
      {
        id: operationId,
        kind: 'reclaim',
        machineId,
        allocationId: allocation.id,
        tenantId: allocation.tenant_id,
        workflowId,
        input: { reason, force: true, retry: true },
        requestedBy,
      },
      this.opts.now(),
    );
    await this.startReclaim(em, {
      allocationId: allocation.id,
      machineId,
      tenantId: allocation.tenant_id,
      unixUser: allocation.unix_user,
      reason,
      force: true,
      operationId,
      requestedBy,
    });
    return { task_id: operationId, operation_id: operationId, allocation_id: allocation.id, workflow_id: workflowId };
  }

  /** Quarantine → release: the admin checked the machine is clean; maintenance → idle. */
  async releaseQuarantine(
    em: EntityManager,
    machineId: string,
  ): Promise<{ machine_id: string; allocation_status: 'idle' }> {
    const allocation = await this.quarantinedAllocation(em, machineId, true);
    if (allocation && (await isRunning(this.opts.temporal.workflow.getHandle(reclaimWorkflowId(allocation.id))))) {
      throw new AppError(
        'CONFLICT',
        `a reclaim of ${machineId} is waiting for a decision: retry it or decide on its operation`,
        {
          reason: 'reclaim_waiting',
          allocation_id: allocation.id,
        },
      );
    }
    if (!(await releaseQuarantinedMachine(em, machineId, this.opts.now()))) {
      throw new AppError('CONFLICT', `machine ${machineId} is not in maintenance`, { reason: 'not_quarantined' });
    }
    return { machine_id: machineId, allocation_status: 'idle' };
  }

  private async quarantinedAllocation(em: EntityManager, machineId: string): Promise<AllocationView>;
  private async quarantinedAllocation(
    em: EntityManager,
    machineId: string,
    optional: true,
  ): Promise<AllocationView | null>;
  private async quarantinedAllocation(
    em: EntityManager,
    machineId: string,
    optional = false,
  ): Promise<AllocationView | null> {
    const machine = await findMachine(em, machineId);
    if (!machine) throw AppError.notFound('machine');
    if (machine.machine.allocation_status !== 'maintenance') {
      throw new AppError(
        'CONFLICT',
        `machine ${machineId} is ${machine.machine.allocation_status}, not in maintenance`,
        {
          reason: 'not_quarantined',
        },
      );
    }
    const allocation = await latestAllocationOfMachine(em, machineId);
    if (!allocation && !optional) {
      throw new AppError('CONFLICT', `machine ${machineId} was never allocated: nothing to retry`, {
        reason: 'nothing_to_retry',
      });
    }
    return allocation;
  }
}
