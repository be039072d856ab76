// POST /api/v1/admin/hosts/:id/ping: runs hostPingWorkflow on the control plane and waits for the
// agent's answer; a host whose agent does not pick the ping up answers 503 HOST_UNREACHABLE.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { ApplicationFailure, WorkflowFailedError, type Client } from '@temporalio/client';
import {
  FAILURE_TYPES,
  hostPingWorkflowId,
  type HostPingResult,
  type HostPingWorkflowInput,
} from '@remotegpu/core/contracts';
import { isValidMachineId, Machine } from '@remotegpu/core';
import { audit } from '../audit/audit-context';
import { sendOk } from '../http/envelope';
import { AppError } from '../http/errors';

/** Referenced by name: the API does not import workflow code. */
export const HOST_PING_WORKFLOW = 'hostPingWorkflow';

export interface HostPingOptions {
  temporal: Client;
  taskQueue: string;
  scheduleToStartTimeoutMs: number;
}

function failureOf(err: WorkflowFailedError): ApplicationFailure | undefined {
  for (let cause: unknown = err.cause; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof ApplicationFailure) return cause;
  }
  return undefined;
}

export async function pingHost(opts: HostPingOptions, machineId: string): Promise<HostPingResult> {
  const input: HostPingWorkflowInput = { machineId, scheduleToStartTimeoutMs: opts.scheduleToStartTimeoutMs };
  try {
    return await opts.temporal.workflow.execute<(i: HostPingWorkflowInput) => Promise<HostPingResult>>(
      HOST_PING_WORKFLOW,
      {
        taskQueue: opts.taskQueue,
        workflowId: hostPingWorkflowId(machineId, randomUUID().slice(0, 8)),
        args: [input],
        // Bounded even if no control-plane worker runs at all.
        workflowExecutionTimeout: opts.scheduleToStartTimeoutMs + 30_000,
      },
    );
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const failure = failureOf(err);
    if (failure?.type === FAILURE_TYPES.hostUnreachable) {
      throw new AppError('HOST_UNREACHABLE', failure.message, { machine_id: machineId });
    }
    throw new AppError('HOST_ERROR', failure?.message ?? err.message, {
      machine_id: machineId,
      failure_type: failure?.type ?? null,
    });
  }
}

export function hostRoutes(opts: HostPingOptions): Router {
  const router = Router();
  router.post('/:id/ping', async (req, res) => {
    const machineId = String(req.params.id);
    audit(res, { action: 'host.ping', resourceType: 'machine', resourceId: machineId });
    if (!isValidMachineId(machineId)) throw AppError.notFound('machine');
    const machine = await req.em.findOne(Machine, { id: machineId, deletedAt: null }, { fields: ['id'] });
    if (!machine) throw AppError.notFound('machine');
    sendOk(res, await pingHost(opts, machineId));
  });
  return router;
}
