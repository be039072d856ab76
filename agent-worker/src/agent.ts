// The agent worker: host activities on host-<machineId>, plus the signed heartbeat sender.
// Exported so tests and main.ts start it the same way.
import { readFile } from 'node:fs/promises';
import { NativeConnection, Worker } from '@temporalio/worker';
import { hostTaskQueue } from '@remotegpu/core/contracts';
import type { Logger } from 'pino';
import type { AgentConfig } from './config';
import { createHostActivities, createNodeHostDeps, type HostActivityDeps } from '@remotegpu/activities/host';
import { readHeartbeatGpus } from './gpu-metrics';
import { HeartbeatSender } from './heartbeat';
import { AGENT_VERSION } from './version';

export interface RunningAgent {
  taskQueue: string;
  worker: Worker;
  /** Settles when the worker stopped; rejects when it crashed. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

async function connectTemporal(config: AgentConfig): Promise<NativeConnection> {
  const tls = config.temporal.tls;
  if (!tls) return NativeConnection.connect({ address: config.temporal.address });
  const [ca, cert, key] = await Promise.all([
    tls.caFile ? readFile(tls.caFile) : undefined,
    tls.certFile ? readFile(tls.certFile) : undefined,
    tls.keyFile ? readFile(tls.keyFile) : undefined,
  ]);
  return NativeConnection.connect({
    address: config.temporal.address,
    tls: { serverRootCACertificate: ca, ...(cert && key ? { clientCertPair: { crt: cert, key } } : {}) },
  });
}

export function hostDepsFor(config: AgentConfig): HostActivityDeps {
  return createNodeHostDeps({
    machineId: config.machineId,
    agentVersion: AGENT_VERSION,
    nvidiaSmiPath: config.nvidiaSmiPath,
    dataRoots: [config.dataRoot],
    diskPaths: [config.dataRoot],
  });
}

export async function startAgent(config: AgentConfig, logger: Logger): Promise<RunningAgent> {
  const taskQueue = hostTaskQueue(config.machineId);
  const deps = hostDepsFor(config);
  const activities = createHostActivities(deps);
  const connection = await connectTemporal(config);
  let worker: Worker;
  try {
    worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      activities,
      shutdownGraceTime: config.shutdownGraceMs,
    });
  } catch (err) {
    await connection.close();
    throw err;
  }

  const heartbeat = config.heartbeat.enabled
    ? new HeartbeatSender({
        machineId: config.machineId,
        agentVersion: AGENT_VERSION,
        apiUrl: config.apiUrl,
        keyId: config.agentKeyId,
        secret: config.agentSecret,
        intervalMs: config.heartbeat.intervalMs,
        timeoutMs: config.heartbeat.timeoutMs,
        logger,
        collectMetrics: async () => {
          const [host, gpus] = await Promise.all([
            activities.collectHostMetrics(),
            readHeartbeatGpus(deps.commands, config.nvidiaSmiPath),
          ]);
          return { cpu_util: host.cpuUtilPct, mem_used_pct: host.memUsedPct, disk_used_pct: host.diskUsedPct, gpus };
        },
      })
    : undefined;

  const done = worker.run().finally(async () => {
    await heartbeat?.stop();
    await connection.close();
  });
  heartbeat?.start();
  logger.info({ taskQueue, agentVersion: AGENT_VERSION, heartbeat: config.heartbeat.enabled }, 'agent worker started');

  return {
    taskQueue,
    worker,
    done,
    async shutdown() {
      await heartbeat?.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
