import { proxyActivities } from '@temporalio/workflow';
import type { FleetActivities, FleetHealthInput, FleetHealthResult } from '@remotegpu/core/contracts';

// A sweep is cheap and the next one comes 10 s later: a short timeout, a couple of quick retries.
const { sweepFleetHealth } = proxyActivities<FleetActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

/** One fleet-health sweep; started every 10 s by the `fleet-health` Schedule (overlap SKIP). */
export async function fleetHealthWorkflow(input: FleetHealthInput = {}): Promise<FleetHealthResult> {
  return sweepFleetHealth(input);
}
