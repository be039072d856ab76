// The real API (tests/support/api-server: scratch database, real Redis/Temporal/S3) listening on loopback
// with its WebSocket hub, and the built portal served in front of it (same origin, /api and /ws proxied).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningControlWorker } from '../../workers/src/control-worker';
import { attachWebSocket, type WebSocketHub } from '../../api/src/ws/websocket';
import { StartTestApiOptions, TestApi, startTestApi } from '../support/api-server';
import { uniqueSuffix } from '../support/env';
import { startLifecycleControlWorker } from '../support/lifecycle';
import { WebServer, ensureWebBuild, startWebServer } from './web-server';

export interface PortalEnv {
  api: TestApi;
  web: WebServer;
  /** The API's own loopback origin (agents in simulated hosts post their heartbeats here). */
  apiUrl: string;
  /** The in-process control worker, when asked for. */
  controlWorker?: RunningControlWorker;
  close(): Promise<void>;
}

export interface StartPortalOptions extends StartTestApiOptions {
  machineIdPrefix?: string;
  /** Run a control worker (real control activities, scratch database) on a control task queue of its own. */
  controlWorker?: boolean;
}

export async function startPortal(options: StartPortalOptions = {}): Promise<PortalEnv> {
  await ensureWebBuild();
  const controlQueue = options.controlWorker ? `control-${uniqueSuffix('portal').toLowerCase()}` : undefined;
  const api = await startTestApi({
    ...options,
    configure: (config) => {
      const configured = options.configure ? options.configure(config) : config;
      return controlQueue
        ? { ...configured, temporal: { ...configured.temporal, controlTaskQueue: controlQueue } }
        : configured;
    },
  });
  let controlWorker: RunningControlWorker | undefined;
  try {
    if (controlQueue) controlWorker = await startLifecycleControlWorker(api.deps.orm, controlQueue);
  } catch (error) {
    await api.close();
    throw error;
  }
  const server = http.createServer(api.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { tokens, fleet } = api.app.locals.services;
  // Snapshots every second so live updates arrive quickly in tests.
  const hub: WebSocketHub = attachWebSocket(server, {
    ...api.deps,
    tokens,
    snapshots: fleet.snapshots,
    monitoringIntervalMs: 1000,
    machineIdPrefix: options.machineIdPrefix,
  });
  const { port } = server.address() as AddressInfo;
  const apiUrl = `http://127.0.0.1:${port}`;
  const web = await startWebServer({ apiOrigin: apiUrl });
  return {
    api,
    web,
    apiUrl,
    controlWorker,
    async close() {
      await controlWorker?.shutdown();
      await web.close();
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.close();
    },
  };
}
