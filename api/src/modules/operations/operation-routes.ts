// Admin operation endpoints, mounted on /api/v1/admin: /operations, /operations/:id,
// /operations/:id/decision and /machines/:id/operations.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import { OPERATION_STATUSES } from '@remotegpu/core';
import {
  RECLAIM_DECISIONS,
  RECLAIM_HANDLERS,
  type ReclaimDecision,
  type ReclaimDecisionInput,
} from '@remotegpu/core/contracts';
import { audit } from '../../audit/audit-context';
import { authUser } from '../../auth/guards';
import { sendOk } from '../../http/envelope';
import { AppError } from '../../http/errors';
import { pagingQuery } from '../../http/paging';
import { isRunning } from '../allocations/temporal-starts';
import { findMachine } from '../machines/machine-repository';
import { machineIdParam } from '../machines/machine-routes';
import {
  findOperation,
  listOperations,
  type ListOperationsFilter,
  type OperationView,
  type TemporalUiLocation,
} from './operation-repository';

const listQuery = pagingQuery.extend({
  machine_id: z.string().trim().min(1).max(63).optional(),
  /** Alias used by issue #4 (`?machineId=`). */
  machineId: z.string().trim().min(1).max(63).optional(),
  allocation_id: z.string().trim().min(1).max(100).optional(),
  kind: z.string().trim().min(1).max(64).optional(),
  status: z.enum(OPERATION_STATUSES).optional(),
});

const decisionBody = z.strictObject({
  decision: z.enum(RECLAIM_DECISIONS as [ReclaimDecision, ...ReclaimDecision[]]),
});

export const operationIdParam = (raw: unknown): string => {
  const parsed = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/)
    .safeParse(raw);
  if (!parsed.success) throw AppError.notFound('operation');
  return parsed.data;
};

export class OperationService {
  constructor(private readonly opts: { temporal: Client; temporalUi: TemporalUiLocation }) {}

  get ui(): TemporalUiLocation {
    return this.opts.temporalUi;
  }

  async get(em: EntityManager, id: string, tenantId?: number): Promise<OperationView> {
    const found = await findOperation(em, id, this.opts.temporalUi, tenantId);
    if (!found) throw AppError.notFound('operation');
    return found;
  }

  list(em: EntityManager, filter: ListOperationsFilter) {
    return listOperations(em, filter, this.opts.temporalUi);
  }

  /** An admin's decision for a quarantined reclaim: signalled to its waiting workflow. */
  async decide(em: EntityManager, id: string, decision: ReclaimDecision, requestedBy: number | null) {
    const operation = await this.get(em, id);
    if (operation.kind !== 'reclaim') {
      throw new AppError('CONFLICT', 'only a reclaim operation takes a decision', { kind: operation.kind });
    }
    const handle = this.opts.temporal.workflow.getHandle(operation.workflow_id);
    if (!(await isRunning(handle))) throw new AppError('CONFLICT', 'the reclaim of this operation is not running');
    await handle.signal<[ReclaimDecisionInput]>(RECLAIM_HANDLERS.decisionSignal, { decision, requestedBy });
    return { operation_id: id, decision, workflow_id: operation.workflow_id };
  }
}

export function operationRoutes(service: OperationService): Router {
  const router = Router();

  router.get('/operations', async (req, res) => {
    const { machineId, machine_id, ...rest } = listQuery.parse(req.query);
    sendOk(res, await service.list(req.em, { ...rest, machine_id: machine_id ?? machineId }));
  });

  router.get('/operations/:id', async (req, res) => {
    sendOk(res, await service.get(req.em, operationIdParam(req.params.id)));
  });

  router.post('/operations/:id/decision', async (req, res) => {
    const id = operationIdParam(req.params.id);
    audit(res, { action: 'operation.decision', resourceType: 'operation', resourceId: id });
    const { decision } = decisionBody.parse(req.body);
    sendOk(res, await service.decide(req.em, id, decision, authUser(req).id));
  });

  router.get('/machines/:id/operations', async (req, res) => {
    const machineId = machineIdParam(req.params.id);
    if (!(await findMachine(req.em, machineId))) throw AppError.notFound('machine');
    const { page, page_size } = pagingQuery.parse(req.query);
    sendOk(res, await service.list(req.em, { machine_id: machineId, page, page_size }));
  });

  return router;
}
