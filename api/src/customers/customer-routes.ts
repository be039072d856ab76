// /api/v1/admin/customers (admin only): tenants and their owners.
import { Router } from 'express';
import { z } from 'zod';
import { COMPANY_CODE_PATTERN, TENANT_STATUSES } from '@remotegpu/core';
import { audit } from '../audit/audit-context';
import { sendOk } from '../http/envelope';
import { pagingQuery } from '../http/paging';
import { idParam } from '../http/params';
import type { CustomerService } from './customer-service';

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const companyCodeSchema = z.string().trim().regex(COMPANY_CODE_PATTERN, {
  error: 'must be 2-30 characters: lowercase letters, digits and dashes, starting with a letter or digit',
});
export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/, {
    error: 'must be 3-64 characters: letters, digits, dot, dash, underscore',
  });

export const createCustomerBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  company_code: companyCodeSchema,
  contact_name: optionalText(100),
  contact_email: z.email().nullable().optional(),
  contact_phone: optionalText(50),
  remark: optionalText(2000),
  owner_username: usernameSchema,
  /** Omitted: a random initial password is generated and returned once. */
  owner_password: z.string().min(1).max(256).optional(),
  owner_display_name: optionalText(100),
  owner_email: z.email().nullable().optional(),
});

export const updateCustomerBody = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    contact_name: optionalText(100),
    contact_email: z.email().nullable().optional(),
    contact_phone: optionalText(50),
    remark: optionalText(2000),
  })
  .strict();

export const listCustomersQuery = pagingQuery.extend({
  keyword: z.string().trim().max(100).optional(),
  status: z.enum(TENANT_STATUSES).optional(),
});

export function customerRoutes(service: CustomerService): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    sendOk(res, await service.list(req.em, listCustomersQuery.parse(req.query)));
  });

  router.get('/:id', async (req, res) => {
    sendOk(res, await service.get(req.em, idParam(req, 'customer')));
  });

  router.post('/', async (req, res) => {
    audit(res, { action: 'customer.create', resourceType: 'tenant' });
    const created = await service.create(req.em, createCustomerBody.parse(req.body));
    audit(res, { resourceId: created.customer.id });
    sendOk(res, created, 201);
  });

  router.put('/:id', async (req, res) => {
    audit(res, { action: 'customer.update', resourceType: 'tenant' });
    sendOk(res, await service.update(req.em, idParam(req, 'customer'), updateCustomerBody.parse(req.body)));
  });

  router.post('/:id/disable', async (req, res) => {
    audit(res, { action: 'customer.disable', resourceType: 'tenant' });
    sendOk(res, await service.setStatus(req.em, idParam(req, 'customer'), 'disabled'));
  });

  router.post('/:id/enable', async (req, res) => {
    audit(res, { action: 'customer.enable', resourceType: 'tenant' });
    sendOk(res, await service.setStatus(req.em, idParam(req, 'customer'), 'active'));
  });

  return router;
}
