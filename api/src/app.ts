// The Express app, built only from injected dependencies so tests run it in-process against the
// real services (scratch database) and main.ts runs it against the configured ones.
import express, { Router, type Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import { AgentCredentialService } from './agent-credentials/agent-credential-service';
import { agentCredentialRoutes } from './agent-credentials/agent-credential-routes';
import { auditMiddleware } from './audit/audit-middleware';
import { auditRoutes } from './audit/audit-routes';
import { authRoutes } from './auth/auth-routes';
import { AuthService } from './auth/auth-service';
import { createGuards } from './auth/guards';
import { LoginLimiter } from './auth/login-limiter';
import { createPassport } from './auth/passport';
import { TokenService } from './auth/token-service';
import { CustomerService } from './customers/customer-service';
import { customerRoutes } from './customers/customer-routes';
import type { AppDeps } from './deps';
import { hostRoutes } from './hosts/host-ping';
import { sendOk } from './http/envelope';
import { AppError, errorMiddleware } from './http/errors';
import { createHttpMetrics } from './http/metrics';
import { checkReadiness, trackRedisErrors } from './http/readiness';
import { forkEntityManager } from './http/request-context';
import { requestLogging } from './http/request-logging';
import { keyRoutes } from './keys/key-routes';
import { KeySyncStarter } from './keys/key-sync';
import { KeyService } from './keys/key-service';
import { memberRoutes } from './members/member-routes';
import { MemberService } from './members/member-service';
import { allocationRoutes } from './modules/allocations/allocation-routes';
import { AllocationService } from './modules/allocations/allocation-service';
import { customerMachineRoutes } from './modules/customer-machines/customer-machine-routes';
import { CustomerMachineService } from './modules/customer-machines/customer-machine-service';
import { machineRoutes } from './modules/machines/machine-routes';
import { MachineService } from './modules/machines/machine-service';
import { customerOperationRoutes } from './modules/operations/customer-operations-routes';
import { OperationService, operationRoutes } from './modules/operations/operation-routes';
import { createFleetModule, type FleetModule } from './modules/monitoring/fleet-module';
import { openApiDocument } from './openapi/document';

export interface AppServices {
  tokens: TokenService;
  auth: AuthService;
  fleet: FleetModule;
}

export function createApp(deps: AppDeps): Express & { locals: { services: AppServices } } {
  const { config, orm, redis, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const tokens = new TokenService({
    redis,
    secret: config.auth.jwtSecret,
    accessTtlSeconds: config.auth.accessTokenTtlSeconds,
    refreshTtlSeconds: config.auth.refreshTokenTtlSeconds,
    now,
  });
  const auth = new AuthService(tokens, now);
  const passport = createPassport({ orm, secret: config.auth.jwtSecret, tokens, auth });
  const guards = createGuards(passport);
  const limiter = new LoginLimiter(redis, config.auth.loginMaxFailuresPerMinute);
  const metrics = createHttpMetrics();
  const redisLastError = trackRedisErrors(redis);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const fleet = createFleetModule(deps, metrics.registry);
  app.locals.services = { tokens, auth, fleet } satisfies AppServices;

  app.use(requestLogging(logger));
  app.use(metrics.middleware);

  app.get('/healthz', (_req, res) => sendOk(res, { status: 'alive', uptime_seconds: Math.round(process.uptime()) }));
  app.get('/readyz', async (_req, res) => {
    const checks = await checkReadiness(deps, redisLastError);
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({
      code: ready ? 0 : 'SERVICE_UNAVAILABLE',
      msg: ready ? 'ok' : 'not ready',
      data: { status: ready ? 'ready' : 'not_ready', checks },
      traceId: res.locals.traceId as string,
    });
  });
  app.get('/metrics', metrics.handler);

  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  app.use(
    '/api/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerOptions: { url: '/api/v1/openapi.json' }, customSiteTitle: 'RemoteGPU API' }),
  );

  // Signed agent heartbeats read their raw body (the HMAC covers the bytes): before the JSON parser.
  app.use('/api/v1/agent', fleet.agentRouter);
  app.use(express.json({ limit: '1mb' }));
  app.use(forkEntityManager(orm));
  app.use(auditMiddleware(orm, logger));

  app.use('/api/v1/auth', authRoutes({ passport, auth, limiter, guards }));

  const admin = Router();
  admin.use(guards.requireAuth, guards.requireAdmin);
  admin.use('/customers', customerRoutes(new CustomerService(tokens)));
  admin.use('/audit', auditRoutes());
  const agentCredentials = new AgentCredentialService(config.agentCredentialsKey, now);
  admin.use('/machines', agentCredentialRoutes(agentCredentials));
  // Inventory, allocations, operations (issue #4): routers mounted on /admin, services built from deps.
  const temporalUi = { baseUrl: config.temporal.uiUrl, namespace: config.temporal.namespace };
  const lifecycle = { temporal: deps.temporal, controlTaskQueue: config.temporal.controlTaskQueue, now };
  admin.use(
    '/machines',
    machineRoutes(
      new MachineService({ issueAgentCredential: (em, id) => agentCredentials.issue(em, id), temporalUi, now }),
    ),
  );
  admin.use(allocationRoutes(new AllocationService(lifecycle), { redis }));
  admin.use(operationRoutes(new OperationService({ temporal: deps.temporal, temporalUi })));
  admin.use(
    '/hosts',
    hostRoutes({
      temporal: deps.temporal,
      taskQueue: config.temporal.controlTaskQueue,
      scheduleToStartTimeoutMs: config.hostPingTimeoutSeconds * 1000,
    }),
  );
  admin.use('/alerts', fleet.adminRouters.alerts);
  admin.use('/dashboard', fleet.adminRouters.dashboard);
  admin.use('/monitoring', fleet.adminRouters.monitoring);
  app.use('/api/v1/admin', admin);

  const customer = Router();
  customer.use(guards.requireAuth, guards.requireCustomer);
  const keySync = new KeySyncStarter({
    temporal: deps.temporal,
    controlTaskQueue: lifecycle.controlTaskQueue,
    logger,
    now,
  });
  customer.use('/members', memberRoutes(new MemberService(tokens), guards, keySync));
  customer.use('/keys', keyRoutes(new KeyService(), keySync));
  customer.use('/machines', customerMachineRoutes(new CustomerMachineService({ ...lifecycle, redis }), guards));
  customer.use('/machines', fleet.customerMachineMetricsRouter);
  app.use('/api/v1/customer', customer);
  // Any signed-in user; customers see only their tenant's operations.
  app.use(
    '/api/v1/operations',
    customerOperationRoutes(new OperationService({ temporal: deps.temporal, temporalUi }), guards),
  );

  app.use((req, _res, next) => next(new AppError('NOT_FOUND', `no route for ${req.method} ${req.path}`)));
  app.use(errorMiddleware);
  return app as Express & { locals: { services: AppServices } };
}
