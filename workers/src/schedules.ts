// The control plane's Temporal Schedules (DESIGN §2 fleet health): created at worker start-up, or
// brought back to the wanted spec when they already exist, so a changed interval ships with a deploy.
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
  type ScheduleUpdateOptions,
} from '@temporalio/client';
import { FLEET_HEALTH_SCHEDULE_ID, METRICS_ROLLUP_SCHEDULE_ID } from '@remotegpu/core/contracts';

export interface FleetSchedulesOptions {
  taskQueue: string;
  /** Defaults: fleet-health every 10 s, metrics-rollup every minute. */
  fleetHealthEverySeconds?: number;
  metricsRollupEverySeconds?: number;
}

export function fleetScheduleOptions(opts: FleetSchedulesOptions): ScheduleOptions[] {
  const common = { catchupWindow: '1 minute', overlap: ScheduleOverlapPolicy.SKIP } as const;
  return [
    {
      scheduleId: FLEET_HEALTH_SCHEDULE_ID,
      spec: { intervals: [{ every: `${opts.fleetHealthEverySeconds ?? 10}s` }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'fleetHealthWorkflow',
        workflowId: FLEET_HEALTH_SCHEDULE_ID,
        taskQueue: opts.taskQueue,
        args: [{}],
        workflowRunTimeout: '1 minute',
      },
      policies: common,
    },
    {
      scheduleId: METRICS_ROLLUP_SCHEDULE_ID,
      spec: { intervals: [{ every: `${opts.metricsRollupEverySeconds ?? 60}s` }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'metricsRollupWorkflow',
        workflowId: METRICS_ROLLUP_SCHEDULE_ID,
        taskQueue: opts.taskQueue,
        args: [{}],
        workflowRunTimeout: '5 minutes',
      },
      policies: common,
    },
  ];
}

/** Creates `fleet-health` and `metrics-rollup`, or updates them to this spec; returns their ids. */
export async function ensureFleetSchedules(client: Client, opts: FleetSchedulesOptions): Promise<string[]> {
  const ids: string[] = [];
  for (const options of fleetScheduleOptions(opts)) {
    try {
      await client.schedule.create(options);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(options.scheduleId).update((previous): ScheduleUpdateOptions => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: { ...previous.policies, ...options.policies },
      }));
    }
    ids.push(options.scheduleId);
  }
  return ids;
}
