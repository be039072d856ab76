// The agent's Temporal runtime metrics (activity task latencies, slots, polls ...) served on GET /metrics
// by the SDK core's Prometheus exporter. Runtime.install must run before the first
// NativeConnection or Worker exists, otherwise the SDK creates a default runtime without telemetry.
import { Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';

export interface RuntimeMetricsOptions {
  /** Address the exporter binds (loopback unless Prometheus scrapes from elsewhere). */
  host: string;
  /** 0 disables the exporter. */
  port: number;
}

/** Installs the Temporal runtime with the Prometheus exporter; returns the bound address, or null when off. */
export function installRuntimeMetrics(options: RuntimeMetricsOptions, logger: Logger): string | null {
  if (options.port === 0) return null;
  const bindAddress = options.host.includes(':')
    ? `[${options.host}]:${options.port}`
    : `${options.host}:${options.port}`;
  try {
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress } } } });
  } catch (err) {
    // A taken port must not keep the worker from serving its queue: Prometheus sees the target down.
    logger.error(
      { err: (err as Error).message, bindAddress },
      'metrics exporter not started; running without /metrics',
    );
    return null;
  }
  logger.info({ bindAddress }, 'temporal metrics exporter listening');
  return bindAddress;
}
