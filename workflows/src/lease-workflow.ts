import {
  ApplicationFailure,
  ChildWorkflowFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  executeChild,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  LEASE_HANDLERS,
  LEASE_REMINDER_DAYS,
  LIFECYCLE_FAILURE_TYPES,
  addCalendarMonths,
  extendMonthsProblem,
  reclaimWorkflowId,
  type ExtendLeaseInput,
  type ExtendLeaseResult,
  type LeaseReminderRecord,
  type LeaseState,
  type LeaseStatus,
  type LeaseWorkflowInput,
  type LeaseWorkflowResult,
  type ReclaimNowInput,
} from '@remotegpu/core/contracts';
import { control } from './lifecycle-steps';
import { reclaimWorkflow } from './reclaim-workflow';
import { tagOperation } from './search-attributes';

export const extendLeaseUpdate = defineUpdate<ExtendLeaseResult, [ExtendLeaseInput]>(LEASE_HANDLERS.extendUpdate);
export const reclaimNowSignal = defineSignal<[ReclaimNowInput]>(LEASE_HANDLERS.reclaimNowSignal);
export const leaseStatusQuery = defineQuery<LeaseStatus>(LEASE_HANDLERS.statusQuery);

const DAY_MS = 24 * 60 * 60 * 1000;

/** The reminder whose window [expiry - days, expiry - next smaller days) contains `now`, if any. */
function dueReminder(nowMs: number, expiresMs: number): number | undefined {
  const days = [...LEASE_REMINDER_DAYS].sort((a, b) => b - a);
  for (let i = 0; i < days.length; i += 1) {
    const from = expiresMs - days[i] * DAY_MS;
    const until = i + 1 < days.length ? expiresMs - days[i + 1] * DAY_MS : expiresMs;
    if (nowMs >= from && nowMs < until) return days[i];
  }
  return undefined;
}

/** The next instant after `nowMs` at which a reminder becomes due. */
function nextReminderAt(nowMs: number, expiresMs: number): number | undefined {
  const times = LEASE_REMINDER_DAYS.map((d) => expiresMs - d * DAY_MS).filter((t) => t > nowMs);
  return times.length ? Math.min(...times) : undefined;
}

/**
 * The lease of an active allocation: a durable timer to expires_at with reminders 7 and 1 days before,
 * Update `extend`, Signal `reclaimNow`, Query `status`. At expiry (or on reclaimNow) it runs the reclaim as
 * a child and waits for it; a reclaim refused because tasks run leaves the lease active.
 */
export async function leaseWorkflow(input: LeaseWorkflowInput): Promise<LeaseWorkflowResult> {
  const { allocationId, machineId, tenantId, unixUser } = input;
  tagOperation({ operationKind: 'lease', machineId, tenantId: String(tenantId), allocationId });

  let expiresAt = new Date(input.expiresAt).toISOString();
  let state: LeaseState = 'active';
  const remindersSent: LeaseReminderRecord[] = [...(input.remindersSent ?? [])];
  let reclaimRequest: ReclaimNowInput | undefined;
  let expiryMoved = false;

  setHandler(leaseStatusQuery, () => ({ allocationId, expiresAt, state, remindersSent: [...remindersSent] }));

  setHandler(reclaimNowSignal, (request) => {
    if (state === 'active' && !reclaimRequest) reclaimRequest = request;
  });

  // Extensions run one after the other: each starts from the expiry the previous one set.
  let extensions: Promise<unknown> = Promise.resolve();
  setHandler(
    extendLeaseUpdate,
    (request) => {
      const run = extensions.then(async (): Promise<ExtendLeaseResult> => {
        if (state !== 'active' || reclaimRequest) {
          throw ApplicationFailure.create({
            type: LIFECYCLE_FAILURE_TYPES.stateConflict,
            nonRetryable: true,
            message: `the lease of ${allocationId} has ended`,
          });
        }
        const previousExpiresAt = expiresAt;
        const next = addCalendarMonths(previousExpiresAt, request.months);
        const info = workflowInfo();
        await control.recordExtension({
          allocationId,
          machineId,
          tenantId,
          operationId: request.operationId,
          workflowId: info.workflowId,
          runId: info.runId,
          months: request.months,
          previousExpiresAt,
          expiresAt: next,
          requestedBy: request.requestedBy ?? null,
        });
        expiresAt = next;
        expiryMoved = true;
        return { allocationId, previousExpiresAt, expiresAt: next };
      });
      extensions = run.catch(() => undefined);
      return run;
    },
    {
      // Rejected before anything is written to history.
      validator: (request) => {
        const problem = extendMonthsProblem(request?.months);
        if (problem) throw new Error(problem);
        if (!request.operationId) throw new Error('operationId is required');
        if (state !== 'active' || reclaimRequest) throw new Error(`the lease of ${allocationId} has ended`);
      },
    },
  );

  for (;;) {
    // Wait for expiry or reclaimNow, raising reminders on the way.
    while (!reclaimRequest) {
      const now = Date.now();
      const expiresMs = Date.parse(expiresAt);
      if (now >= expiresMs) break;
      const due = dueReminder(now, expiresMs);
      if (due !== undefined && !remindersSent.some((r) => r.daysBefore === due && r.expiresAt === expiresAt)) {
        await control.raiseLeaseReminder({ allocationId, machineId, tenantId, expiresAt, daysBefore: due });
        remindersSent.push({ daysBefore: due, expiresAt, sentAt: new Date(now).toISOString() });
      }
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        return continueAsNew<typeof leaseWorkflow>({ ...input, expiresAt, remindersSent });
      }
      const wakeAt = Math.min(expiresMs, nextReminderAt(now, expiresMs) ?? Infinity);
      expiryMoved = false;
      await condition(() => reclaimRequest !== undefined || expiryMoved, Math.max(1, wakeAt - Date.now()));
    }

    const endedBy = reclaimRequest ? 'reclaim_now' : 'expiry';
    const request: ReclaimNowInput = reclaimRequest ?? {
      reason: 'lease expired',
      // The lease is over: the tenant's remaining tasks are stopped with its processes.
      force: true,
      operationId: `op-${uuid4()}`,
    };
    state = 'reclaiming';
    try {
      await executeChild(reclaimWorkflow, {
        workflowId: reclaimWorkflowId(allocationId),
        args: [
          {
            allocationId,
            machineId,
            tenantId,
            unixUser,
            reason: request.reason,
            force: request.force,
            operationId: request.operationId,
            requestedBy: request.requestedBy ?? null,
            hostWaitTimeoutMs: input.hostWaitTimeoutMs,
          },
        ],
      });
    } catch (err) {
      const refused =
        err instanceof ChildWorkflowFailure &&
        err.cause instanceof ApplicationFailure &&
        err.cause.type === LIFECYCLE_FAILURE_TYPES.tasksRunning;
      if (!refused) throw err;
      // Tasks still run and force was not set: the lease goes on; the admin may ask again.
      state = 'active';
      reclaimRequest = undefined;
      continue;
    }
    state = 'ended';
    await condition(allHandlersFinished);
    return { allocationId, endedBy, reclaimOperationId: request.operationId, expiresAt, remindersSent };
  }
}
