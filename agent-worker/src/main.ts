// Entry of the agent process on a GPU host: config (file + env), logger, worker, graceful shutdown.
import pino from 'pino';
import { startAgent } from './agent';
import { loadAgentConfig } from './config';

async function main(): Promise<void> {
  const config = loadAgentConfig();
  const logger = pino({ name: 'agent-worker', level: config.logLevel, base: { machineId: config.machineId } });
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
