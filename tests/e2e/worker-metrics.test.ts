// Prometheus /metrics of the REAL worker processes (node workers/dist/main.js, node agent-worker/dist/main.js):
// each installs the Temporal runtime with its exporter on the configured port before connecting, so a
// scrape shows the SDK's own metrics labelled with the worker's task queue. A taken port leaves the
// worker serving without /metrics. Needs `npx tsc -b tsconfig.build.json`.
import net from 'node:net';
import {
  closedLoopbackPort,
  startAgentProcess,
  startControlWorkerProcess,
  stopAllProcesses,
  withProcessLogs,
} from '../support/agent-process';
import { testEnv, uniqueSuffix } from '../support/env';
import { eventually } from '../support/eventually';
import { workflowBundlePath } from '../support/global-setup';
import { SimHost } from '../support/simhost';

jest.setTimeout(360_000);

const suffix = uniqueSuffix('wmetrics').toLowerCase();

afterAll(() => stopAllProcesses());

async function scrape(
  port: number,
  host = '127.0.0.1',
): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`http://${host}:${port}/metrics`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** Polls until the exporter shows a temporal_ metric labelled with `taskQueue` (polls start after the ready log). */
async function temporalMetricsFor(port: number, taskQueue: string, host?: string): Promise<string> {
  let text = '';
  await eventually(
    async () => {
      const res = await scrape(port, host);
      expect(res.status).toBe(200);
      text = res.text;
      expect(text).toMatch(new RegExp(`^temporal_\\w+\\{[^}]*task_queue="${taskQueue}"`, 'm'));
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  return text;
}

describe('Temporal runtime metrics of the worker processes', () => {
  it('the control worker serves /metrics on CONTROL_WORKER_METRICS_PORT', async () => {
    const port = await closedLoopbackPort();
    const taskQueue = `metrics-control-${suffix}`;
    const worker = await startControlWorkerProcess({
      taskQueue,
      workflowBundlePath,
      env: { CONTROL_WORKER_METRICS_PORT: String(port), CONTROL_WORKER_METRICS_BIND_HOST: '127.0.0.1' },
    });
    await withProcessLogs(worker, async () => {
      const text = await temporalMetricsFor(port, taskQueue);
      // The worker registered workflows and activities: both kinds of pollers report.
      expect(text).toMatch(/^temporal_worker_start\{[^}]*\} [1-9]/m);
      const pollers = text.split('\n').filter((l) => l.startsWith('temporal_num_pollers{'));
      expect(pollers.some((l) => l.includes('poller_type="workflow_task"'))).toBe(true);
      expect(pollers.some((l) => l.includes('poller_type="activity_task"'))).toBe(true);
      expect(worker.logs()).toMatch(/temporal metrics exporter listening/);
    });
    expect(await worker.stop()).toBe(0);
    // Gone with the process: nothing listens any more.
    await expect(scrape(port)).rejects.toThrow();
  });

  it('the agent serves /metrics on AGENT_METRICS_BIND_HOST:AGENT_METRICS_PORT', async () => {
    const port = await closedLoopbackPort();
    const machineId = `${suffix}-agent`;
    const agent = await startAgentProcess({
      machineId,
      env: { AGENT_METRICS_PORT: String(port), AGENT_METRICS_BIND_HOST: '127.0.0.1', HEARTBEAT_ENABLED: 'false' },
    });
    await withProcessLogs(agent, async () => {
      const text = await temporalMetricsFor(port, `host-${machineId}`);
      expect(text).toMatch(/^temporal_worker_start\{[^}]*\} [1-9]/m);
    });
    expect(await agent.stop()).toBe(0);
  });

  it('an agent whose metrics port is taken still starts its worker, without /metrics', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const agent = await startAgentProcess({
        machineId: `${suffix}-taken`,
        env: { AGENT_METRICS_PORT: String(port), HEARTBEAT_ENABLED: 'false' },
      });
      expect(agent.logs()).toMatch(/metrics exporter not started; running without \/metrics/);
      expect(agent.logs()).toMatch(/agent worker started/);
      expect(await agent.stop()).toBe(0);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it("a simulated host's agent serves /metrics on the host's own loopback address", async () => {
    // The demo fleet's path: scripts/simhost/ctl sets AGENT_METRICS_BIND_HOST to the container's 127.0.x.y,
    // so every host on this machine keeps the default port without colliding.
    const ip = '127.0.12.1';
    const machineId = `${suffix}-sim`;
    const host = await SimHost.start(`wmetrics-${suffix.slice(-8)}`, ip, {
      MACHINE_ID: machineId,
      TEMPORAL_ADDRESS: testEnv.temporalAddress,
      API_URL: 'http://127.0.0.1:9',
      AGENT_KEY_ID: 'test-key-metrics',
      AGENT_SECRET: 'test-agent-secret-not-for-production',
      HEARTBEAT_ENABLED: 'false',
    });
    try {
      await temporalMetricsFor(19465, `host-${machineId}`, ip);
    } catch (err) {
      (err as Error).message += `\n--- agent logs ---\n${await host.logs()}`;
      throw err;
    } finally {
      await host.stop();
    }
  });
});
