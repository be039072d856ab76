// The OpenAPI 3 document, generated from the same zod schemas the routes validate with.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { auditQuery } from '../audit/audit-routes';
import { changePasswordBody, loginBody, logoutBody, refreshBody } from '../auth/auth-routes';
import { createCustomerBody, listCustomersQuery, updateCustomerBody } from '../customers/customer-routes';
import { ERROR_STATUS } from '../http/errors';
import { pagingQuery } from '../http/paging';
import { addKeyBody } from '../keys/key-routes';
import { createMemberBody, updateMemberBody } from '../members/member-routes';

// registry.register() needs the .openapi() method on zod schemas.
extendZodWithOpenApi(z);

type Method = 'get' | 'post' | 'put' | 'delete';

interface Operation {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  auth?: boolean;
  body?: z.ZodType;
  query?: z.ZodObject;
  params?: string[];
  ok?: number;
  errors?: number[];
}

const operations: Operation[] = [
  { method: 'get', path: '/healthz', summary: 'Process is alive', tag: 'ops', auth: false },
  {
    method: 'get',
    path: '/readyz',
    summary: 'PostgreSQL, Redis, Temporal and S3 are reachable',
    tag: 'ops',
    auth: false,
    errors: [503],
  },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics', tag: 'ops', auth: false },
  { method: 'get', path: '/api/v1/openapi.json', summary: 'This OpenAPI document', tag: 'ops', auth: false },
  {
    method: 'post',
    path: '/api/v1/auth/login',
    summary: 'Log in with username and password',
    tag: 'auth',
    auth: false,
    body: loginBody,
    errors: [400, 401, 429],
  },
  {
    method: 'post',
    path: '/api/v1/auth/refresh',
    summary: 'Rotate a refresh token for a new token pair',
    tag: 'auth',
    auth: false,
    body: refreshBody,
    errors: [400, 401],
  },
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'Revoke the session and blacklist the access token',
    tag: 'auth',
    body: logoutBody,
    errors: [401],
  },
  {
    method: 'get',
    path: '/api/v1/auth/profile',
    summary: 'The current user, role, tenant and permissions',
    tag: 'auth',
    errors: [401],
  },
  {
    method: 'post',
    path: '/api/v1/auth/change-password',
    summary: 'Change the password (policy enforced)',
    tag: 'auth',
    body: changePasswordBody,
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/admin/customers',
    summary: 'List tenants',
    tag: 'admin',
    query: listCustomersQuery,
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/admin/customers',
    summary: 'Create a tenant and its owner',
    tag: 'admin',
    body: createCustomerBody,
    ok: 201,
    errors: [400, 401, 403, 409],
  },
  {
    method: 'get',
    path: '/api/v1/admin/customers/{id}',
    summary: 'One tenant',
    tag: 'admin',
    params: ['id'],
    errors: [401, 403, 404],
  },
  {
    method: 'put',
    path: '/api/v1/admin/customers/{id}',
    summary: 'Update a tenant',
    tag: 'admin',
    params: ['id'],
    body: updateCustomerBody,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/admin/customers/{id}/disable',
    summary: 'Disable a tenant and end its sessions',
    tag: 'admin',
    params: ['id'],
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/admin/customers/{id}/enable',
    summary: 'Enable a tenant',
    tag: 'admin',
    params: ['id'],
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/admin/audit/logs',
    summary: 'Query the audit log',
    tag: 'admin',
    query: auditQuery as unknown as z.ZodObject,
    errors: [400, 401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/admin/machines/{id}/agent-credentials',
    summary: 'Issue (rotate) the agent key of a machine; the secret is shown once',
    tag: 'admin',
    params: ['id'],
    ok: 201,
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/admin/hosts/{id}/ping',
    summary: 'Ping the agent on a host through Temporal',
    tag: 'admin',
    params: ['id'],
    errors: [401, 403, 404, 503],
  },
  {
    method: 'get',
    path: '/api/v1/customer/members',
    summary: 'List the members of my tenant',
    tag: 'customer',
    query: pagingQuery,
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/customer/members',
    summary: 'Add a member (owner only)',
    tag: 'customer',
    body: createMemberBody,
    ok: 201,
    errors: [400, 401, 403, 409],
  },
  {
    method: 'put',
    path: '/api/v1/customer/members/{id}',
    summary: 'Update a member (owner only)',
    tag: 'customer',
    params: ['id'],
    body: updateMemberBody,
    errors: [400, 401, 403, 404, 422],
  },
  {
    method: 'delete',
    path: '/api/v1/customer/members/{id}',
    summary: 'Delete a member (owner only)',
    tag: 'customer',
    params: ['id'],
    errors: [401, 403, 404, 409, 422],
  },
  {
    method: 'get',
    path: '/api/v1/customer/keys',
    summary: 'My SSH keys (the owner sees the whole tenant)',
    tag: 'customer',
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/customer/keys',
    summary: "Add an SSH public key; starts its sync to the tenant's hosts (sync_operation_id)",
    tag: 'customer',
    body: addKeyBody,
    ok: 201,
    errors: [400, 401, 403, 409],
  },
  {
    method: 'delete',
    path: '/api/v1/customer/keys/{id}',
    summary: "Delete an SSH key; starts its revocation on the tenant's hosts (sync_operation_id)",
    tag: 'customer',
    params: ['id'],
    errors: [401, 403, 404],
  },
  // Inventory, allocation, fleet and customer-machine routes (other modules; request schemas live with them).
  { method: 'get', path: '/api/v1/admin/machines', summary: 'List machines', tag: 'machines', errors: [401, 403] },
  {
    method: 'post',
    path: '/api/v1/admin/machines',
    summary: 'Register a machine (returns its first agent key)',
    tag: 'machines',
    ok: 201,
    errors: [400, 401, 403, 409],
  },
  {
    method: 'post',
    path: '/api/v1/admin/machines/import',
    summary: 'Import machines from an Excel/CSV file',
    tag: 'machines',
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/admin/machines/{id}',
    summary: 'One machine',
    tag: 'machines',
    params: ['id'],
    errors: [401, 403, 404],
  },
  {
    method: 'put',
    path: '/api/v1/admin/machines/{id}',
    summary: 'Update a machine',
    tag: 'machines',
    params: ['id'],
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'delete',
    path: '/api/v1/admin/machines/{id}',
    summary: 'Delete a machine',
    tag: 'machines',
    params: ['id'],
    errors: [401, 403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/admin/machines/{id}/allocate',
    summary: 'Allocate a machine to a tenant (allocationWorkflow)',
    tag: 'allocations',
    params: ['id'],
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/admin/machines/{id}/reclaim',
    summary: 'Reclaim a machine (reclaimWorkflow)',
    tag: 'allocations',
    params: ['id'],
    errors: [401, 403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/admin/machines/{id}/quarantine/retry',
    summary: 'Retry the cleanup of a quarantined machine',
    tag: 'allocations',
    params: ['id'],
    errors: [401, 403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/admin/machines/{id}/quarantine/release',
    summary: 'Release a quarantined machine',
    tag: 'allocations',
    params: ['id'],
    errors: [401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/admin/machines/{id}/operations',
    summary: 'Operations of a machine',
    tag: 'operations',
    params: ['id'],
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/admin/allocations',
    summary: 'List allocations',
    tag: 'allocations',
    errors: [401, 403],
  },
  {
    method: 'post',
    path: '/api/v1/admin/allocations',
    summary: 'Create allocations',
    tag: 'allocations',
    errors: [400, 401, 403, 409],
  },
  {
    method: 'get',
    path: '/api/v1/admin/allocations/recent',
    summary: 'Recent allocations',
    tag: 'allocations',
    errors: [401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/admin/allocations/{id}',
    summary: 'One allocation',
    tag: 'allocations',
    params: ['id'],
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/admin/allocations/{id}/extend',
    summary: 'Extend a lease',
    tag: 'allocations',
    params: ['id'],
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/admin/operations',
    summary: 'List operations (workflow runs)',
    tag: 'operations',
    errors: [401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/admin/operations/{id}',
    summary: 'One operation',
    tag: 'operations',
    params: ['id'],
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/operations/{id}',
    summary: "One operation; a customer sees only its tenant's operations (others are 404)",
    tag: 'operations',
    params: ['id'],
    errors: [401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/admin/operations/{id}/decision',
    summary: 'Decide on an operation waiting for an operator',
    tag: 'operations',
    params: ['id'],
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/admin/dashboard/stats',
    summary: 'Dashboard statistics',
    tag: 'monitoring',
    errors: [401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/admin/dashboard/gpu-trend',
    summary: 'GPU utilisation trend',
    tag: 'monitoring',
    errors: [401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/admin/monitoring/realtime',
    summary: 'Fleet snapshot',
    tag: 'monitoring',
    errors: [401, 403],
  },
  { method: 'get', path: '/api/v1/admin/alerts', summary: 'List alerts', tag: 'monitoring', errors: [401, 403] },
  {
    method: 'post',
    path: '/api/v1/admin/alerts/{id}/acknowledge',
    summary: 'Acknowledge an alert',
    tag: 'monitoring',
    params: ['id'],
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/admin/alerts/{id}/resolve',
    summary: 'Resolve an alert',
    tag: 'monitoring',
    params: ['id'],
    errors: [401, 403, 404],
  },
  { method: 'get', path: '/api/v1/customer/machines', summary: 'My machines', tag: 'customer', errors: [401, 403] },
  {
    method: 'get',
    path: '/api/v1/customer/machines/{id}',
    summary: 'One of my machines',
    tag: 'customer',
    params: ['id'],
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/customer/machines/{id}/connection',
    summary: 'SSH connection information',
    tag: 'customer',
    params: ['id'],
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/customer/machines/{id}/ssh-reset',
    summary: 'Reset SSH access on a machine (owner only)',
    tag: 'customer',
    params: ['id'],
    errors: [401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/customer/machines/{id}/metrics',
    summary: 'Metrics of one of my machines',
    tag: 'customer',
    params: ['id'],
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/agent/heartbeat',
    summary: 'Agent heartbeat, HMAC-signed (X-Agent-Key-Id, X-Agent-Timestamp, X-Agent-Signature)',
    tag: 'agent',
    auth: false,
    errors: [400, 401],
  },
];

const STATUS_TEXT: Record<number, string> = {
  400: 'Validation error',
  401: 'Not authenticated (UNAUTHENTICATED, INVALID_CREDENTIALS, TOKEN_EXPIRED, TOKEN_INVALID)',
  403: 'Forbidden (FORBIDDEN, PASSWORD_CHANGE_REQUIRED)',
  404: 'Not found',
  409: 'Conflict',
  422: 'Unprocessable',
  429: 'Too many failed logins (Retry-After header)',
  503: 'A dependency or the host is unreachable',
};

let cached: object | undefined;

export function openApiDocument(): object {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const envelope = registry.register(
    'Envelope',
    z.object({ code: z.union([z.literal(0), z.string()]), msg: z.string(), data: z.unknown(), traceId: z.string() }),
  );
  const errorEnvelope = registry.register(
    'ErrorEnvelope',
    z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [string, ...string[]]),
      msg: z.string(),
      data: z.unknown(),
      traceId: z.string(),
    }),
  );
  for (const op of operations) {
    const responses: Record<number, { description: string; content: object }> = {
      [op.ok ?? 200]: { description: 'OK', content: { 'application/json': { schema: envelope } } },
    };
    for (const status of op.errors ?? []) {
      responses[status] = {
        description: STATUS_TEXT[status] ?? 'Error',
        content: { 'application/json': { schema: errorEnvelope } },
      };
    }
    registry.registerPath({
      method: op.method,
      path: op.path,
      summary: op.summary,
      tags: [op.tag],
      ...(op.auth === false ? {} : { security: [{ bearerAuth: [] }] }),
      request: {
        ...(op.params ? { params: z.object(Object.fromEntries(op.params.map((p) => [p, z.string()]))) } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.body ? { body: { content: { 'application/json': { schema: op.body } } } } : {}),
      },
      responses,
    });
  }
  cached = new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'RemoteGPU API',
      version: '0.1.0',
      description: 'Responses are `{ code, msg, data, traceId }`; code 0 means success, otherwise a stable error code.',
    },
    servers: [{ url: '/' }],
  });
  return cached;
}
