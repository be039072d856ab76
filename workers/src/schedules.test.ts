import { ScheduleOverlapPolicy } from '@temporalio/client';
import { fleetScheduleOptions } from './schedules';

describe('fleetScheduleOptions', () => {
  it('runs fleet-health every 10 s and metrics-rollup every minute on the control queue, overlaps skipped', () => {
    const [health, rollup] = fleetScheduleOptions({ taskQueue: 'control-plane' });
    expect(health).toMatchObject({
      scheduleId: 'fleet-health',
      spec: { intervals: [{ every: '10s' }] },
      action: { type: 'startWorkflow', workflowType: 'fleetHealthWorkflow', taskQueue: 'control-plane', args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
    expect(rollup).toMatchObject({
      scheduleId: 'metrics-rollup',
      spec: { intervals: [{ every: '60s' }] },
      action: { workflowType: 'metricsRollupWorkflow', taskQueue: 'control-plane' },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
  });

  it('takes the intervals from the options', () => {
    const [health, rollup] = fleetScheduleOptions({
      taskQueue: 'q',
      fleetHealthEverySeconds: 30,
      metricsRollupEverySeconds: 120,
    });
    expect(health.spec).toEqual({ intervals: [{ every: '30s' }] });
    expect(rollup.spec).toEqual({ intervals: [{ every: '120s' }] });
  });
});
