// How the API talks to the lifecycle workflows: starts by name (the API does not import workflow code)
// with readable ids and search attributes, and classifies the client's errors.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { SEARCH_ATTRIBUTE_NAMES, type OperationKind } from '@remotegpu/core/contracts';

const KEYS = {
  machineId: defineSearchAttributeKey(SEARCH_ATTRIBUTE_NAMES.machineId, SearchAttributeType.KEYWORD),
  tenantId: defineSearchAttributeKey(SEARCH_ATTRIBUTE_NAMES.tenantId, SearchAttributeType.KEYWORD),
  allocationId: defineSearchAttributeKey(SEARCH_ATTRIBUTE_NAMES.allocationId, SearchAttributeType.KEYWORD),
  operationKind: defineSearchAttributeKey(SEARCH_ATTRIBUTE_NAMES.operationKind, SearchAttributeType.KEYWORD),
};

export function searchAttributes(attrs: {
  kind: OperationKind;
  machineId?: string;
  tenantId?: number;
  allocationId?: string;
}): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [{ key: KEYS.operationKind, value: attrs.kind }];
  if (attrs.machineId) pairs.push({ key: KEYS.machineId, value: attrs.machineId });
  if (attrs.tenantId !== undefined) pairs.push({ key: KEYS.tenantId, value: String(attrs.tenantId) });
  if (attrs.allocationId) pairs.push({ key: KEYS.allocationId, value: attrs.allocationId });
  return pairs;
}

export interface StartLifecycleWorkflow {
  workflowType: 'allocationWorkflow' | 'reclaimWorkflow' | 'sshResetWorkflow';
  workflowId: string;
  input: object;
  attributes: Parameters<typeof searchAttributes>[0];
}

/** Starts (or joins, when the id is already running) a lifecycle workflow on the control queue. */
export async function startLifecycleWorkflow(
  client: Client,
  taskQueue: string,
  start: StartLifecycleWorkflow,
): Promise<WorkflowHandle> {
  return client.workflow.start(start.workflowType, {
    taskQueue,
    workflowId: start.workflowId,
    args: [start.input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: searchAttributes(start.attributes),
  });
}

/** The workflow is not running (never started, or already closed). */
export function isNotRunning(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  const e = err as { code?: number; message?: string; cause?: { code?: number; message?: string } };
  const message = `${e?.message ?? ''} ${e?.cause?.message ?? ''}`;
  // gRPC NOT_FOUND (5), or an update/signal sent to a completed execution.
  return e?.code === 5 || e?.cause?.code === 5 || /already completed|not found/i.test(message);
}

export async function isRunning(handle: WorkflowHandle): Promise<boolean> {
  try {
    return (await handle.describe()).status.name === 'RUNNING';
  } catch (err) {
    if (isNotRunning(err)) return false;
    throw err;
  }
}

/** An update rejected by its validator or failed in its handler: the message and failure type. */
export function updateFailure(err: unknown): { message: string; type: string | undefined } | null {
  if (!(err instanceof WorkflowUpdateFailedError)) return null;
  const cause = err.cause as { message?: string; type?: string } | undefined;
  return { message: cause?.message ?? err.message, type: cause?.type };
}
