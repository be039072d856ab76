// Control activities of the machine lifecycle (allocation, lease, reclaim, ssh reset): short database
// updates, each in its own em.fork() and transaction, idempotent so a retried or replayed call changes
// nothing twice. Workflows call them as local activities.
import { LockMode, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { Alert, Allocation, Machine, Operation, SshKey, Task, type OperationStep } from '@remotegpu/core';
import {
  addCalendarMonths,
  type ActivateAllocationInput,
  type ActivateAllocationResult,
  type CompleteReclaimInput,
  type ControlActivities,
  type EnsureOperationInput,
  type FailAllocationInput,
  type FinishOperationInput,
  type LeaseReminderInput,
  type MarkReclaimingInput,
  type QuarantineMachineInput,
  type RaiseAlertInput,
  type RecordExtensionInput,
  type RecordOperationStepInput,
  type RunningTasksInput,
  type TenantSshKeysResult,
} from '@remotegpu/core/contracts';
import type { ControlActivityDeps } from './deps';

/** Task statuses that make a reclaim refuse without `force`. */
const RUNNING_TASK_STATUSES = ['pending', 'running', 'stopping'] as const;

export function createControlActivities(deps: ControlActivityDeps): ControlActivities {
  const { orm, clock, log } = deps;
  const inTransaction = <T>(work: (em: EntityManager) => Promise<T>): Promise<T> => orm.em.fork().transactional(work);

  async function upsertAlert(em: EntityManager, input: RaiseAlertInput): Promise<void> {
    const now = clock.now();
    // One open alert per (machine, kind): a repeat raises count and last_seen_at.
    const open = await em.findOne(
      Alert,
      { machine: input.machineId, kind: input.kind, status: { $ne: 'resolved' } },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (open) {
      open.count += 1;
      open.lastSeenAt = now;
      open.message = input.message;
      open.severity = input.severity;
      open.details = { ...(input.details ?? {}) };
    } else {
      em.create(Alert, {
        machine: input.machineId,
        kind: input.kind,
        severity: input.severity,
        status: 'active',
        message: input.message,
        details: { ...(input.details ?? {}) },
        firstSeenAt: now,
        lastSeenAt: now,
        count: 1,
      });
    }
    await em.flush();
    log?.warn({ machineId: input.machineId, kind: input.kind, details: input.details }, input.message);
  }

  async function setStep(
    em: EntityManager,
    operationId: string,
    step: string,
    status: OperationStep['status'],
    error?: string | null,
  ) {
    const op = await em.findOneOrFail(Operation, operationId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const now = clock.now().toISOString();
    const steps = op.steps.map((s) => ({ ...s }));
    let entry = steps.find((s) => s.name === step);
    if (!entry) {
      entry = { name: step, status: 'pending', startedAt: null, endedAt: null, error: null };
      steps.push(entry);
    }
    entry.status = status;
    if (status === 'running') {
      entry.startedAt = entry.startedAt ?? now;
      entry.endedAt = null;
      entry.error = null;
    } else if (status !== 'pending') {
      entry.endedAt = now;
      entry.error = error ?? null;
    }
    op.steps = steps;
    if (op.status === 'pending') op.status = 'running';
  }

  return {
    async ensureOperation(input: EnsureOperationInput): Promise<void> {
      await inTransaction(async (em) => {
        const op = await em.findOne(Operation, input.operationId, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (op) {
          if (op.status === 'pending') op.status = 'running';
          op.runId = input.runId;
          return;
        }
        try {
          await em.insert(Operation, {
            id: input.operationId,
            kind: input.kind,
            machine: input.machineId ?? null,
            allocation: input.allocationId ?? null,
            tenant: input.tenantId ?? null,
            workflowId: input.workflowId,
            runId: input.runId,
            status: 'running',
            steps: [],
            input: input.input ?? null,
            requestedBy: input.requestedBy ?? null,
          });
        } catch (err) {
          // Created concurrently by the API between our read and insert: that row is the one.
          if (!(err instanceof UniqueConstraintViolationException)) throw err;
        }
      });
    },

    async recordOperationStep(input: RecordOperationStepInput): Promise<void> {
      await inTransaction((em) => setStep(em, input.operationId, input.step, input.status, input.error));
    },

    async finishOperation(input: FinishOperationInput): Promise<void> {
      await inTransaction(async (em) => {
        const op = await em.findOneOrFail(Operation, input.operationId, { lockMode: LockMode.PESSIMISTIC_WRITE });
        op.status = input.status;
        op.result = input.result ?? op.result ?? null;
        op.error = input.error ?? null;
        op.finishedAt = op.finishedAt ?? clock.now();
      });
    },

    async loadTenantSshKeys({ tenantId }: { tenantId: number }): Promise<TenantSshKeysResult> {
      const em = orm.em.fork();
      const keys = await em.find(
        SshKey,
        { tenant: tenantId, user: { status: 'active' } },
        { orderBy: { id: 'asc' }, fields: ['publicKey'] },
      );
      return { publicKeys: [...new Set(keys.map((k) => k.publicKey.trim()))] };
    },

    async activateAllocation(input: ActivateAllocationInput): Promise<ActivateAllocationResult> {
      const startsAt = new Date(input.startsAt).toISOString();
      const expiresAt = addCalendarMonths(startsAt, input.durationMonths);
      return inTransaction(async (em) => {
        const allocation = await em.findOneOrFail(Allocation, input.allocationId, {
          lockMode: LockMode.PESSIMISTIC_WRITE,
        });
        if (allocation.status === 'active') {
          // A retry after the commit: report what was stored.
          return { startsAt: allocation.startsAt.toISOString(), expiresAt: allocation.expiresAt.toISOString() };
        }
        if (allocation.status !== 'pending') {
          throw new Error(`allocation ${input.allocationId} is ${allocation.status}, expected pending`);
        }
        allocation.status = 'active';
        allocation.startsAt = new Date(startsAt);
        allocation.expiresAt = new Date(expiresAt);
        allocation.activatedAt = clock.now();
        allocation.error = null;
        const changed = await em.nativeUpdate(
          Machine,
          { id: input.machineId, allocationStatus: 'allocating' },
          { allocationStatus: 'allocated' },
        );
        if (changed !== 1) {
          const machine = await em.findOneOrFail(Machine, input.machineId);
          if (machine.allocationStatus !== 'allocated') {
            throw new Error(`machine ${input.machineId} is ${machine.allocationStatus}, expected allocating`);
          }
        }
        return { startsAt, expiresAt };
      });
    },

    async failAllocation(input: FailAllocationInput): Promise<void> {
      await inTransaction(async (em) => {
        const allocation = await em.findOneOrFail(Allocation, input.allocationId, {
          lockMode: LockMode.PESSIMISTIC_WRITE,
        });
        if (allocation.status === 'pending' || allocation.status === 'active') {
          allocation.status = 'failed';
          allocation.error = input.error.slice(0, 2000);
        }
        // Only a machine this allocation still holds is released.
        await em.nativeUpdate(
          Machine,
          { id: input.machineId, allocationStatus: { $in: ['allocating', 'allocated'] } },
          {
            allocationStatus: input.machineStatus,
            ...(input.machineStatus === 'maintenance' ? { healthNotes: input.error.slice(0, 2000) } : {}),
          },
        );
      });
    },

    async raiseAlert(input: RaiseAlertInput): Promise<void> {
      await inTransaction((em) => upsertAlert(em, input));
    },

    async raiseLeaseReminder(input: LeaseReminderInput): Promise<void> {
      // There is no notifications table: the reminder is the `lease_expiring` alert plus a log line.
      await inTransaction((em) =>
        upsertAlert(em, {
          machineId: input.machineId,
          kind: 'lease_expiring',
          severity: input.daysBefore <= 1 ? 'warning' : 'info',
          message: `allocation ${input.allocationId} of tenant ${input.tenantId} expires in ${input.daysBefore} day(s) at ${input.expiresAt}`,
          details: {
            allocation_id: input.allocationId,
            tenant_id: input.tenantId,
            expires_at: input.expiresAt,
            days_before: input.daysBefore,
          },
        }),
      );
      log?.info({ ...input }, 'lease reminder');
    },

    async recordExtension(input: RecordExtensionInput): Promise<void> {
      await inTransaction(async (em) => {
        const allocation = await em.findOneOrFail(Allocation, input.allocationId, {
          lockMode: LockMode.PESSIMISTIC_WRITE,
        });
        const op = await em.findOne(Operation, input.operationId, { lockMode: LockMode.PESSIMISTIC_WRITE });
        // Applied already (a retried activity): extending twice would add the months twice.
        if (op?.status === 'succeeded') return;
        if (allocation.status !== 'active') {
          throw new Error(`allocation ${input.allocationId} is ${allocation.status}, only an active lease is extended`);
        }
        allocation.expiresAt = new Date(input.expiresAt);
        allocation.durationMonths += input.months;
        const result = {
          allocation_id: input.allocationId,
          months: input.months,
          previous_expires_at: input.previousExpiresAt,
          expires_at: input.expiresAt,
        };
        const now = clock.now();
        const steps = [
          { name: 'extend', status: 'succeeded' as const, startedAt: now.toISOString(), endedAt: now.toISOString() },
        ];
        if (op) {
          op.status = 'succeeded';
          op.result = result;
          op.runId = input.runId;
          op.finishedAt = now;
          op.steps = steps;
        } else {
          em.create(Operation, {
            id: input.operationId,
            kind: 'extend',
            machine: input.machineId,
            allocation: input.allocationId,
            tenant: input.tenantId,
            workflowId: input.workflowId,
            runId: input.runId,
            status: 'succeeded',
            steps,
            input: { months: input.months },
            result,
            requestedBy: input.requestedBy ?? null,
            finishedAt: now,
          });
        }
      });
    },

    async countRunningTasks(input: RunningTasksInput): Promise<number> {
      return orm.em
        .fork()
        .count(Task, { machine: input.machineId, tenant: input.tenantId, status: { $in: [...RUNNING_TASK_STATUSES] } });
    },

    async markReclaiming(input: MarkReclaimingInput): Promise<void> {
      await inTransaction(async (em) => {
        const allocation = await em.findOneOrFail(Allocation, input.allocationId, {
          lockMode: LockMode.PESSIMISTIC_WRITE,
        });
        if (allocation.status === 'reclaimed') return;
        if (allocation.status !== 'reclaiming') {
          allocation.status = 'reclaiming';
          allocation.reclaimReason = input.reason;
        }
        // allocated → reclaiming; a quarantined machine (maintenance) stays there until the reclaim ends.
        await em.nativeUpdate(
          Machine,
          { id: input.machineId, allocationStatus: { $in: ['allocated', 'allocating'] } },
          { allocationStatus: 'reclaiming' },
        );
      });
    },

    async quarantineMachine(input: QuarantineMachineInput): Promise<void> {
      await inTransaction(async (em) => {
        await em.nativeUpdate(
          Machine,
          { id: input.machineId },
          {
            allocationStatus: 'maintenance',
            healthNotes: `reclaim step ${input.step} failed: ${input.error}`.slice(0, 2000),
          },
        );
        await upsertAlert(em, {
          machineId: input.machineId,
          kind: 'reclaim_failed',
          severity: 'critical',
          message: `reclaim of allocation ${input.allocationId} failed at step ${input.step}: ${input.error}`.slice(
            0,
            2000,
          ),
          details: { allocation_id: input.allocationId, step: input.step, error: input.error.slice(0, 2000) },
        });
      });
    },

    async completeReclaim(input: CompleteReclaimInput): Promise<void> {
      await inTransaction(async (em) => {
        const allocation = await em.findOneOrFail(Allocation, input.allocationId, {
          lockMode: LockMode.PESSIMISTIC_WRITE,
        });
        if (allocation.status !== 'reclaimed') {
          allocation.status = 'reclaimed';
          allocation.reclaimedAt = clock.now();
        }
        await em.nativeUpdate(
          Machine,
          { id: input.machineId, allocationStatus: { $in: ['reclaiming', 'maintenance', 'allocated'] } },
          input.machineStatus === 'idle'
            ? { allocationStatus: 'idle', healthNotes: null }
            : { allocationStatus: 'maintenance', healthStatus: 'unhealthy' },
        );
        // The reclaim killed every process of the tenant: tasks still marked live on this machine are over.
        await em.nativeUpdate(
          Task,
          { machine: input.machineId, tenant: allocation.tenant, status: { $in: [...RUNNING_TASK_STATUSES] } },
          { status: 'stopped', finishedAt: clock.now() },
        );
        if (input.machineStatus === 'idle') {
          // The machine is clean again: a reclaim_failed alert of it is over.
          await em.nativeUpdate(
            Alert,
            { machine: input.machineId, kind: 'reclaim_failed', status: { $ne: 'resolved' } },
            { status: 'resolved', resolvedAt: clock.now() },
          );
        }
      });
    },
  };
}
