// Entry of the control-plane worker process: config, logger, database + Redis, worker, graceful
// SIGTERM/SIGINT (running activities get SHUTDOWN_GRACE_MS, then connections close).
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { loadControlWorkerConfig } from './config';
import { buildControlActivities, openControlResources } from './control-activities';
import { startControlWorker } from './control-worker';
import { installRuntimeMetrics } from './runtime-metrics';
import { ensureFleetSchedules } from './schedules';

async function main(): Promise<void> {
  const config = loadControlWorkerConfig();
  const logger = pino({ name: 'control-worker', level: config.logLevel });
  // Before any Temporal connection: the runtime is created once, with the exporter or without.
  installRuntimeMetrics(config.metrics, logger);
  const resources = await openControlResources(
    { databaseUrl: config.databaseUrl, databaseSchema: config.databaseSchema, redisUrl: config.redisUrl },
    logger,
  );
  try {
    const running = await startControlWorker({
      connection: { address: config.temporal.address },
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      workflowBundlePath: config.workflowBundlePath,
      activities: buildControlActivities(resources, logger, { offlineAfterMs: config.fleet.offlineAfterMs }),
      logger,
      shutdownGraceMs: config.shutdownGraceMs,
    });

    if (config.fleet.schedulesEnabled) {
      const connection = await Connection.connect({ address: config.temporal.address });
      try {
        const client = new Client({ connection, namespace: config.temporal.namespace });
        const ids = await ensureFleetSchedules(client, {
          taskQueue: config.temporal.taskQueue,
          fleetHealthEverySeconds: config.fleet.healthEverySeconds,
        });
        logger.info({ schedules: ids }, 'fleet schedules ensured');
      } finally {
        await connection.close();
      }
    }

    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      running.shutdown().catch((err: unknown) => logger.error({ err }, 'shutdown failed'));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);

    await running.done;
  } finally {
    await resources.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    // Also reached before the logger exists (bad configuration): plain stderr and a non-zero exit.
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
