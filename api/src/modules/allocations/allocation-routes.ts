// Admin allocation endpoints, mounted on /api/v1/admin: /allocations…, /machines/:id/allocate,
// /machines/:id/reclaim and the quarantine decisions /machines/:id/quarantine/{retry,release}.
import { Router } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ALLOCATION_STATUSES } from '@remotegpu/core';
import { audit } from '../../audit/audit-context';
import { authUser } from '../../auth/guards';
import { sendOk } from '../../http/envelope';
import { AppError } from '../../http/errors';
import { pagingQuery } from '../../http/paging';
import { machineIdParam } from '../machines/machine-routes';
import { machineIdSchema } from '../machines/machine-schemas';
import type { AllocationService } from './allocation-service';
import { idempotent } from './idempotency';

const leaseFields = {
  tenant_id: z.coerce.number().int().positive(),
  duration_months: z.number().int().min(1).max(36),
  start_time: z.iso.datetime({ offset: true }).optional(),
  remark: z.string().trim().max(2000).nullable().optional(),
};

export const createAllocationsBody = z.strictObject({
  ...leaseFields,
  machine_ids: z
    .array(machineIdSchema)
    .min(1)
    .max(100)
    .refine((ids) => new Set(ids).size === ids.length, { error: 'must not contain duplicates' }),
});

export const allocateMachineBody = z.strictObject(leaseFields);

/** `months` is checked again by the lease's Update validator; a value it rejects is 422. */
export const extendBody = z.strictObject({ months: z.number() });

export const reclaimBody = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  force: z.boolean().default(false),
});

export const listAllocationsQuery = pagingQuery.extend({
  tenant_id: z.coerce.number().int().positive().optional(),
  machine_id: z.string().trim().min(1).max(63).optional(),
  status: z.enum(ALLOCATION_STATUSES).optional(),
  live: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  keyword: z.string().trim().min(1).max(100).optional(),
});

const recentQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) });

const allocationIdParam = (raw: unknown): string => {
  const parsed = z
    .string()
    .regex(/^alloc-[A-Za-z0-9-]{1,80}$/)
    .safeParse(raw);
  if (!parsed.success) throw AppError.notFound('allocation');
  return parsed.data;
};

/** `deps.redis` keeps Idempotency-Key results (see idempotency.ts). */
export function allocationRoutes(service: AllocationService, deps: { redis: Redis }): Router {
  const router = Router();

  router.get('/allocations', async (req, res) => {
    sendOk(res, await service.list(req.em, listAllocationsQuery.parse(req.query)));
  });

  router.get('/allocations/recent', async (req, res) => {
    sendOk(res, await service.recent(req.em, recentQuery.parse(req.query).limit));
  });

  router.get('/allocations/:id', async (req, res) => {
    sendOk(res, await service.get(req.em, allocationIdParam(req.params.id)));
  });

  router.post('/allocations', async (req, res) => {
    audit(res, { action: 'allocation.create', resourceType: 'allocation' });
    const body = createAllocationsBody.parse(req.body);
    const caller = authUser(req).id;
    const result = await idempotent(deps.redis, req, caller, () => service.allocate(req.em, body, caller));
    audit(res, { resourceId: result.allocation_ids.join(',') });
    sendOk(res, result);
  });

  router.post('/machines/:id/allocate', async (req, res) => {
    const machineId = machineIdParam(req.params.id);
    audit(res, { action: 'allocation.create', resourceType: 'machine', resourceId: machineId });
    const body = allocateMachineBody.parse(req.body);
    const caller = authUser(req).id;
    const result = await idempotent(deps.redis, req, caller, () =>
      service.allocate(req.em, { ...body, machine_ids: [machineId] }, caller),
    );
    sendOk(res, { allocation_id: result.allocation_ids[0], operation_id: result.operation_ids[0], ...result });
  });

  router.post('/allocations/:id/extend', async (req, res) => {
    const allocationId = allocationIdParam(req.params.id);
    audit(res, { action: 'allocation.extend', resourceType: 'allocation', resourceId: allocationId });
    const { months } = extendBody.parse(req.body);
    const caller = authUser(req).id;
    sendOk(res, await idempotent(deps.redis, req, caller, () => service.extend(req.em, allocationId, months, caller)));
  });

  router.post('/machines/:id/reclaim', async (req, res) => {
    const machineId = machineIdParam(req.params.id);
    audit(res, { action: 'allocation.reclaim', resourceType: 'machine', resourceId: machineId });
    const body = reclaimBody.parse(req.body);
    const caller = authUser(req).id;
    const result = await idempotent(deps.redis, req, caller, () => service.reclaim(req.em, machineId, body, caller));
    res
      .status(200)
      .json({ code: 0, msg: 'Reclaim process started', data: result, traceId: res.locals.traceId as string });
  });

  router.post('/machines/:id/quarantine/retry', async (req, res) => {
    const machineId = machineIdParam(req.params.id);
    audit(res, { action: 'machine.quarantine_retry', resourceType: 'machine', resourceId: machineId });
    sendOk(res, await service.retryQuarantine(req.em, machineId, authUser(req).id));
  });

  router.post('/machines/:id/quarantine/release', async (req, res) => {
    const machineId = machineIdParam(req.params.id);
    audit(res, { action: 'machine.quarantine_release', resourceType: 'machine', resourceId: machineId });
    sendOk(res, await service.releaseQuarantine(req.em, machineId));
  });

  return router;
}
