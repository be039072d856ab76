// The control-plane worker: every workflow plus the control activities, on the control-plane queue.
// Exported so tests run it in-process exactly as main.ts does.
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';

export interface StartControlWorkerOptions {
  /** An open connection (owned by the caller) or an address to connect to (owned by the worker). */
  connection: NativeConnection | { address: string };
  namespace: string;
  taskQueue: string;
  /** A prebuilt workflow bundle; when absent the worker bundles workflowsPath at start (slower). */
  workflowBundlePath?: string;
  workflowsPath?: string;
  /** Control activities, injected by the entry point; may be empty until they exist. */
  activities?: object;
  logger: Logger;
  shutdownGraceMs?: number;
}

export interface RunningControlWorker {
  worker: Worker;
  /** Settles when the worker stops; rejects when it crashed. */
  done: Promise<void>;
  /** Stops polling, lets running tasks finish within the grace time, closes an owned connection. */
  shutdown(): Promise<void>;
}

export async function startControlWorker(options: StartControlWorkerOptions): Promise<RunningControlWorker> {
  const { logger } = options;
  const ownsConnection = !(options.connection instanceof NativeConnection);
  const connection =
    options.connection instanceof NativeConnection
      ? options.connection
      : await NativeConnection.connect({ address: options.connection.address });

  const workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = options.workflowBundlePath
    ? { workflowBundle: { codePath: options.workflowBundlePath } }
    : { workflowsPath: options.workflowsPath ?? require.resolve('@remotegpu/workflows') };

  let worker: Worker;
  try {
    worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      ...workflowSource,
      activities: options.activities ?? {},
      shutdownGraceTime: options.shutdownGraceMs ?? 30_000,
    });
  } catch (err) {
    if (ownsConnection) await connection.close();
    throw err;
  }

  const done = worker.run().finally(async () => {
    if (ownsConnection) await connection.close();
  });
  logger.info(
    { taskQueue: options.taskQueue, namespace: options.namespace, bundle: options.workflowBundlePath ?? null },
    'control worker started',
  );

  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
      logger.info({ taskQueue: options.taskQueue }, 'control worker stopped');
    },
  };
}
