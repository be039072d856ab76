import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { verifyAgentRequest } from '@remotegpu/core';
import { AGENT_HEARTBEAT_PATH, type AgentHeartbeatMetrics } from '@remotegpu/core/contracts';
import { HeartbeatSender, buildSignedHeartbeat } from './heartbeat';

const secret = 'heartbeat-test-secret';
const metrics: AgentHeartbeatMetrics = { cpu_util: 12.5, mem_used_pct: 40, disk_used_pct: 70.1, gpus: [] };
const identity = { machineId: 'gpu-01', agentVersion: '1.2.3', keyId: 'key-1', secret };
const silent = pino({ level: 'silent' });

describe('buildSignedHeartbeat', () => {
  it('signs exactly the body it sends, verifiable by the API-side function', () => {
    const nowMs = 1_790_000_000_123;
    const req = buildSignedHeartbeat({ ...identity, apiUrl: 'http://127.0.0.1:18080' }, metrics, nowMs);
    expect(req.url).toBe(`http://127.0.0.1:18080${AGENT_HEARTBEAT_PATH}`);
    expect(JSON.parse(req.body)).toEqual({ machine_id: 'gpu-01', ts: nowMs, agent_version: '1.2.3', metrics });
    expect(req.headers['X-Agent-Key-Id']).toBe('key-1');
    expect(req.headers['X-Agent-Timestamp']).toBe('1790000000');
    const verified = verifyAgentRequest({
      secret,
      method: 'POST',
      path: AGENT_HEARTBEAT_PATH,
      timestamp: req.headers['X-Agent-Timestamp'],
      signature: req.headers['X-Agent-Signature'],
      body: req.body,
      nowSeconds: 1_790_000_010,
    });
    expect(verified).toEqual({ ok: true });
  });

  it('keeps a path prefix of the API base URL in the URL and the signed path', () => {
    const req = buildSignedHeartbeat({ ...identity, apiUrl: 'https://ops.example.com/gpu' }, metrics, 1000);
    expect(req.url).toBe(`https://ops.example.com/gpu${AGENT_HEARTBEAT_PATH}`);
    const verify = (path: string) =>
      verifyAgentRequest({
        secret,
        method: 'POST',
        path,
        timestamp: req.headers['X-Agent-Timestamp'],
        signature: req.headers['X-Agent-Signature'],
        body: req.body,
        nowSeconds: 1,
      }).ok;
    expect(verify(`/gpu${AGENT_HEARTBEAT_PATH}`)).toBe(true);
    expect(verify(AGENT_HEARTBEAT_PATH)).toBe(false);
  });
});

describe('HeartbeatSender', () => {
  let server: http.Server;
  let apiUrl: string;
  let status = 200;
  const received: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(status, { 'content-type': 'application/json' }).end('{"code":0}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const sender = (url: string) =>
    new HeartbeatSender({
      ...identity,
      apiUrl: url,
      intervalMs: 1000,
      timeoutMs: 2000,
      collectMetrics: async () => metrics,
      logger: silent,
    });

  it('posts a heartbeat the server can verify', async () => {
    status = 200;
    received.length = 0;
    await expect(sender(apiUrl).sendOnce()).resolves.toBe(true);
    expect(received).toHaveLength(1);
    const [hit] = received;
    expect(hit.path).toBe(AGENT_HEARTBEAT_PATH);
    expect(hit.headers['content-type']).toBe('application/json');
    const verified = verifyAgentRequest({
      secret,
      method: 'POST',
      path: hit.path,
      timestamp: String(hit.headers['x-agent-timestamp']),
      signature: String(hit.headers['x-agent-signature']),
      body: hit.body,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    expect(verified).toEqual({ ok: true });
  });

  it('reports a refused heartbeat or an unreachable API as false, never throwing', async () => {
    status = 401;
    await expect(sender(apiUrl).sendOnce()).resolves.toBe(false);
    await expect(sender('http://127.0.0.1:1').sendOnce()).resolves.toBe(false);
    const failingMetrics = new HeartbeatSender({
      ...identity,
      apiUrl,
      intervalMs: 1000,
      timeoutMs: 2000,
      collectMetrics: async () => {
        throw new Error('statfs failed');
      },
      logger: silent,
    });
    await expect(failingMetrics.sendOnce()).resolves.toBe(false);
  });
});
