// Test-only workflow for the time-skipping check: sleeps for `days` of workflow time.
import { sleep } from '@temporalio/workflow';

export async function longSleepWorkflow(days: number): Promise<{ startedAtMs: number; finishedAtMs: number }> {
  // Date.now() inside a workflow is the deterministic workflow clock, which time skipping advances.
  const startedAtMs = Date.now();
  await sleep(`${days} days`);
  return { startedAtMs, finishedAtMs: Date.now() };
}
