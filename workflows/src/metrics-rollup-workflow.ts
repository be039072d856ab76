import { proxyActivities } from '@temporalio/workflow';
import type { FleetActivities, MetricsRollupInput, MetricsRollupResult } from '@remotegpu/core/contracts';

const { rollupMetrics } = proxyActivities<FleetActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3, initialInterval: '5 seconds' },
});

/** One roll-up + retention pass; started every minute by the `metrics-rollup` Schedule (overlap SKIP). */
export async function metricsRollupWorkflow(input: MetricsRollupInput = {}): Promise<MetricsRollupResult> {
  return rollupMetrics(input);
}
