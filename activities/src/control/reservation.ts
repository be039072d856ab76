// The synchronous half of an allocation (requirements §6.1), shared by the API and the tests: in one
// transaction the machine goes idle → allocating by a conditional UPDATE, the pending allocation is
// inserted (the partial unique index allows one live allocation per machine) and so is the `allocate`
// operation. Only then is allocationWorkflow started with the returned input.
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { Allocation, Machine, Operation } from '@remotegpu/core';
import { addCalendarMonths, allocationWorkflowId, type AllocationWorkflowInput } from '@remotegpu/core/contracts';

export interface ReserveAllocationInput {
  machineId: string;
  tenantId: number;
  /** The tenant's unix user on the host. */
  unixUser: string;
  durationMonths: number;
  startsAt: string | Date;
  remark?: string | null;
  requestedBy?: number | null;
  /** Ids may be chosen by the caller (idempotency); generated otherwise. */
  allocationId?: string;
  operationId?: string;
}

export interface ReservedAllocation {
  allocationId: string;
  operationId: string;
  workflowId: string;
  /** Start allocationWorkflow with exactly this (workflowIdConflictPolicy USE_EXISTING). */
  workflowInput: AllocationWorkflowInput;
}

/** The machine is absent, deleted or not idle, or already has a live allocation: the API answers 409. */
export class MachineNotAvailableError extends Error {
  override name = 'MachineNotAvailableError';
  readonly code = 'MACHINE_NOT_AVAILABLE';
  constructor(
    readonly machineId: string,
    readonly reason: 'not_found' | 'not_idle' | 'live_allocation',
    readonly allocationStatus?: string,
  ) {
    super(
      reason === 'not_found'
        ? `machine ${machineId} does not exist`
        : reason === 'not_idle'
          ? `machine ${machineId} is not idle (allocation status ${allocationStatus})`
          : `machine ${machineId} already has a live allocation`,
    );
  }
}

export const newAllocationId = (): string => `alloc-${randomUUID()}`;
export const newOperationId = (): string => `op-${randomUUID()}`;

function checkInput(input: ReserveAllocationInput): Date {
  if (!Number.isInteger(input.durationMonths) || input.durationMonths < 1) {
    throw new RangeError('durationMonths must be a positive integer');
  }
  const startsAt = new Date(input.startsAt);
  if (Number.isNaN(startsAt.getTime())) throw new RangeError('startsAt is not a valid date');
  return startsAt;
}

/** Reserves one machine; joins the caller's transaction when `em` is inside one. */
export async function reserveMachine(em: EntityManager, input: ReserveAllocationInput): Promise<ReservedAllocation> {
  const startsAt = checkInput(input);
  const allocationId = input.allocationId ?? newAllocationId();
  const operationId = input.operationId ?? newOperationId();
  const workflowId = allocationWorkflowId(allocationId);
  const startsAtIso = startsAt.toISOString();
  const expiresAtIso = addCalendarMonths(startsAtIso, input.durationMonths);
  const workflowInput: AllocationWorkflowInput = {
    allocationId,
    machineId: input.machineId,
    tenantId: input.tenantId,
    unixUser: input.unixUser,
    durationMonths: input.durationMonths,
    startsAt: startsAtIso,
    operationId,
    requestedBy: input.requestedBy ?? null,
  };

  try {
    await em.transactional(async (tem) => {
      const changed = await tem.nativeUpdate(
        Machine,
        { id: input.machineId, allocationStatus: 'idle', deletedAt: null },
        { allocationStatus: 'allocating' },
      );
      if (changed !== 1) {
        const machine = await tem.findOne(Machine, { id: input.machineId, deletedAt: null });
        throw new MachineNotAvailableError(
          input.machineId,
          machine ? 'not_idle' : 'not_found',
          machine?.allocationStatus,
        );
      }
      await tem.insert(Allocation, {
        id: allocationId,
        tenant: input.tenantId,
        machine: input.machineId,
        status: 'pending',
        startsAt,
        expiresAt: new Date(expiresAtIso),
        durationMonths: input.durationMonths,
        remark: input.remark ?? null,
        unixUser: input.unixUser,
        createdBy: input.requestedBy ?? null,
      });
      await tem.insert(Operation, {
        id: operationId,
        kind: 'allocate',
        machine: input.machineId,
        allocation: allocationId,
        tenant: input.tenantId,
        workflowId,
        status: 'pending',
        steps: [],
        input: { ...workflowInput },
        requestedBy: input.requestedBy ?? null,
      });
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException && /allocations_one_live_per_machine/.test(err.message)) {
      throw new MachineNotAvailableError(input.machineId, 'live_allocation');
    }
    throw err;
  }
  return { allocationId, operationId, workflowId, workflowInput };
}

/** Reserves several machines for one tenant, all or none (POST /admin/allocations with machine_ids). */
export async function reserveMachines(
  em: EntityManager,
  input: Omit<ReserveAllocationInput, 'machineId' | 'allocationId' | 'operationId'> & { machineIds: string[] },
): Promise<ReservedAllocation[]> {
  const { machineIds, ...rest } = input;
  if (new Set(machineIds).size !== machineIds.length) throw new RangeError('machineIds contains duplicates');
  return em.transactional(async (tem) => {
    const reserved: ReservedAllocation[] = [];
    for (const machineId of machineIds) reserved.push(await reserveMachine(tem, { ...rest, machineId }));
    return reserved;
  });
}
