// Entry of the agent process on a GPU host: config (file + env), logger, worker, graceful shutdown.
import pino from 'pino';
import { startAgent } from './agent';
import { loadAgentConfig } from './config';
import { installRuntimeMetrics } from './runtime-metrics';

async function main(): Promise<void> {
  const config = loadAgentConfig();
  const logger = pino({ name: 'agent-worker', level: config.logLevel, base: { machineId: config.machineId } });
  // Before any Temporal connection: the runtime is created once, with the exporter or without.
  installRuntimeMetrics(config.metrics, logger);
  const agent = await startAgent(config, logger);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    agent.shutdown().catch((err: unknown) => logger.error({ err }, 'shutdown failed'));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  await agent.done;
  logger.info('agent worker stopped');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
