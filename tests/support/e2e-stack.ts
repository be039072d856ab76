// Shared steps of the end-to-end tests that run the API in-process next to a simulated host's agent.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { utils as sshUtils } from 'ssh2';
import { bearer, type TestApi, type TestCustomer } from './api-server';

/** Listens on loopback so the agent in a simulated host can post its signed heartbeats. */
export async function listenOnLoopback(app: Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Registers a fresh ed25519 key for the tenant's owner through the API; returns its private half. */
export async function addOwnerKey(api: TestApi, customer: TestCustomer, comment: string): Promise<string> {
  const keys = sshUtils.generateKeyPairSync('ed25519', { comment });
  await api.request
    .post('/api/v1/customer/keys')
    .set(bearer(customer.ownerToken))
    .send({ name: 'laptop', public_key: keys.public })
    .expect(201);
  return keys.private;
}

export interface RegisteredMachine {
  task_queue: string;
  agent_credentials: { key_id: string; secret: string };
}

/** Registers an 8×H100 machine through the admin API; the agent credentials come back once. */
export async function registerMachine(
  api: TestApi,
  adminToken: string,
  machine: { id: string; name: string; ip: string },
): Promise<RegisteredMachine> {
  const res = await api.request
    .post('/api/v1/admin/machines')
    .set(bearer(adminToken))
    .send({ ...machine, ssh_port: 22, gpu_model: 'NVIDIA H100 80GB HBM3', gpu_count: 8 })
    .expect(201);
  return res.body.data as RegisteredMachine;
}
