// operation_update events: after every control activity that changes an operation row, the row as it
// now is (status, steps, tenant) goes to an injected publisher; the API relays it to the tenant's and the
// admins' WebSockets. A decorator over the lifecycle activities, so none of them has to remember it.
import type { MikroORM } from '@mikro-orm/core';
import { Operation, type OperationStep } from '@remotegpu/core';
import type { ControlActivities, OperationEvent } from '@remotegpu/core/contracts';

/** Where operation events go (Redis pub/sub in the control worker). */
export interface OperationEventPublisher {
  publish(event: OperationEvent): Promise<void>;
}

/** The control activities that write an operations row; each input carries its operationId. */
export const OPERATION_WRITING_ACTIVITIES = [
  'ensureOperation',
  'recordOperationStep',
  'finishOperation',
  'recordExtension',
] as const satisfies readonly (keyof ControlActivities)[];

type OperationWriters = Pick<ControlActivities, (typeof OPERATION_WRITING_ACTIVITIES)[number]>;

export interface OperationEventDeps {
  orm: MikroORM;
  publisher: OperationEventPublisher;
  clock: { now(): Date };
  log?: { warn(obj: object, msg: string): void };
}

/** What a tenant may see of an operation: no workflow ids, no requester, no result (it may hold a password). */
export interface OperationUpdate extends OperationEvent {
  operation_id: string;
  kind: string;
  status: string;
  machine_id: string | null;
  allocation_id: string | null;
  tenant_id: number | null;
  current_step: string | null;
  steps: { name: string; status: string; started_at: string | null; ended_at: string | null; error: string | null }[];
  error: string | null;
  finished_at: string | null;
  at: string;
}

/** The step being worked on: the running one, else the last failed one (same rule as the API's view). */
function currentStep(steps: readonly OperationStep[], status: string): string | null {
  const running = steps.find((s) => s.status === 'running');
  if (running) return running.name;
  if (status === 'failed') return [...steps].reverse().find((s) => s.status === 'failed')?.name ?? null;
  if (status === 'pending' || status === 'running') return steps.at(-1)?.name ?? null;
  return null;
}

export function operationUpdateOf(
  op: {
    id: string;
    kind: string;
    status: string;
    machine?: { id: string } | null;
    allocation?: { id: string } | null;
    tenant?: { id: number } | null;
    steps: readonly OperationStep[];
    error?: string | null;
    finishedAt?: Date | null;
  },
  at: Date,
): OperationUpdate {
  return {
    operation_id: op.id,
    kind: op.kind,
    status: op.status,
    machine_id: op.machine?.id ?? null,
    allocation_id: op.allocation?.id ?? null,
    tenant_id: op.tenant?.id ?? null,
    current_step: currentStep(op.steps, op.status),
    steps: op.steps.map((s) => ({
      name: s.name,
      status: s.status,
      started_at: s.startedAt ?? null,
      ended_at: s.endedAt ?? null,
      error: s.error ?? null,
    })),
    error: op.error ?? null,
    finished_at: op.finishedAt ? op.finishedAt.toISOString() : null,
    at: at.toISOString(),
  };
}

/** `activities` with every operation-writing activity followed by an operation_update of the stored row. */
export function withOperationEvents<T extends OperationWriters>(activities: T, deps: OperationEventDeps): T {
  async function announce(operationId: string): Promise<void> {
    try {
      const op = await deps.orm.em.fork().findOne(Operation, operationId);
      if (!op) return;
      await deps.publisher.publish(operationUpdateOf(op, deps.clock.now()));
    } catch (err) {
      // The row is committed and the API serves it; a lost live event must not fail (and retry) the step.
      deps.log?.warn({ err: (err as Error).message, operationId }, 'operation event not published');
    }
  }

  const wrapped: T = { ...activities };
  for (const name of OPERATION_WRITING_ACTIVITIES) {
    const original = activities[name] as (input: { operationId: string }) => Promise<void>;
    (wrapped as Record<string, unknown>)[name] = async (input: { operationId: string }): Promise<void> => {
      await original.call(activities, input);
      await announce(input.operationId);
    };
  }
  return wrapped;
}
