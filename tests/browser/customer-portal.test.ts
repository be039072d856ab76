// The customer side of the built portal against the REAL API: a machine allocated to the tenant (the
// allocation stays pending: no worker serves this file's own control task queue, the workflow is terminated
// afterwards) shows as a card with its connection details (copy button → clipboard), the lease countdown,
// and the GPU utilisation pushed live over the WebSocket; the machine page draws the live samples.
import { machineMetricsKey, type MachineMetricsSnapshot } from '@remotegpu/core/contracts';
import type { Browser, Page } from 'playwright-core';
import { TEST_ADMIN_PASSWORD, TEST_ADMIN_USERNAME, TestCustomer, bearer } from '../support/api-server';
import { uniqueSuffix } from '../support/env';
import { createMachine } from '../support/lifecycle';
import { launchBrowser, openLoopbackPage, screenshot } from './browser';
import { PortalEnv, startPortal } from './portal-env';

jest.setTimeout(180_000);

const suffix = uniqueSuffix('wc').toLowerCase();
const machineId = `${suffix}-gpu`;
let portal: PortalEnv;
let browser: Browser;
let customer: TestCustomer;
const workflows: string[] = [];

async function reportUtilisation(util: number): Promise<void> {
  const snapshot: MachineMetricsSnapshot = {
    machine_id: machineId,
    received_at: Date.now(),
    agent_ts: Date.now(),
    cpu_util: 10,
    mem_used_pct: 20,
    disk_used_pct: 30,
    gpus: [0, 1].map((index) => ({
      index,
      uuid: `GPU-${index}`,
      name: 'NVIDIA H100 80GB HBM3',
      util_pct: util,
      mem_used_mib: 1024,
      mem_total_mib: 81_559,
      temperature_c: 40,
      power_w: 100,
      ecc_uncorrected: 0,
    })),
  };
  await portal.api.deps.redis.set(machineMetricsKey(machineId), JSON.stringify(snapshot));
}

beforeAll(async () => {
  portal = await startPortal({
    configure: (config) => ({ ...config, temporal: { ...config.temporal, controlTaskQueue: `control-${suffix}` } }),
    machineIdPrefix: suffix,
  });
  browser = await launchBrowser();
  const { api } = portal;
  customer = await api.createCustomer('wcust');
  await createMachine(api.deps.orm, machineId, '127.0.9.21');
  const res = await api.request
    .post(`/api/v1/admin/machines/${machineId}/allocate`)
    .set(bearer(await api.loginAdmin()))
    .send({ tenant_id: customer.tenantId, duration_months: 3 })
    .expect(200);
  workflows.push(`allocate-${res.body.data.allocation_id as string}`);
  await reportUtilisation(73);
});

afterAll(async () => {
  await browser?.close();
  if (portal) {
    await Promise.allSettled(
      workflows.map((id) => portal.api.deps.temporal.workflow.getHandle(id).terminate('test cleanup')),
    );
    await portal.api.deps.redis.del(machineMetricsKey(machineId));
    await portal.close();
  }
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${portal.web.url}/login`);
  await page.getByLabel('Username').fill(customer.ownerUsername);
  await page.getByLabel('Password', { exact: true }).fill(customer.ownerPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/my/machines');
}

test('my machines: connection details with copy, lease countdown and live GPU utilisation', async () => {
  const { page, context, blocked } = await openLoopbackPage(browser, {
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  await signIn(page);
  const listed = (
    await portal.api.request.get('/api/v1/customer/machines').set(bearer(customer.ownerToken)).expect(200)
  ).body.data as { id: string; ssh_host: string; ssh_port: number; ssh_user: string; expires_at: string }[];
  const machine = listed.find((m) => m.id === machineId)!;
  const command = `ssh ${machine.ssh_port === 22 ? '' : `-p ${machine.ssh_port} `}${machine.ssh_user}@${machine.ssh_host}`;

  const card = page.locator(`[data-machine="${machineId}"]`);
  await card.getByText(command, { exact: true }).waitFor();
  await card.getByText('Being prepared…').waitFor();
  const days = Math.floor((new Date(machine.expires_at).getTime() - Date.now()) / 86_400_000);
  await card.getByTestId('expiry').waitFor();
  expect((await card.getByTestId('expiry').textContent())?.trim()).toMatch(
    new RegExp(`^Lease ends in ${days}d \\d+h$`),
  );

  await card.getByRole('button', { name: 'Copy ssh' }).click();
  await page.getByText('Copied to clipboard').waitFor();
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(command);

  // The live socket updates the card without reloading the list.
  await card.getByText('73%', { exact: true }).waitFor({ timeout: 15_000 });
  await reportUtilisation(41);
  await card.getByText('41%', { exact: true }).waitFor({ timeout: 15_000 });
  await screenshot(page, 'customer-my-machines');

  await card.getByRole('link', { name: machineId }).click();
  await page.waitForURL((url) => url.pathname === `/my/machines/${machineId}`);
  await page.getByText(command, { exact: true }).waitFor();
  // Live samples arriving while the page is open are drawn (echarts loaded on demand, offline).
  await page.locator('rg-line-chart[data-points="1"] canvas').waitFor({ timeout: 15_000 });
  await reportUtilisation(55);
  await page.locator('rg-line-chart[data-points="2"]').waitFor({ timeout: 15_000 });
  await screenshot(page, 'customer-machine-detail');
  expect(blocked).toEqual([]);
  await context.close();
});

test('the owner adds a member (initial password shown for hand-over) and removes it', async () => {
  const { page, context } = await openLoopbackPage(browser);
  await signIn(page);
  await page.getByRole('link', { name: 'Members' }).click();
  await page.waitForURL((url) => url.pathname === '/my/members');
  const username = uniqueSuffix('mate')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');
  const password = `Mate-${Date.now() % 100000}-Pw!x`;
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Initial password (they must change it at first sign-in)').fill(password);
  await page.getByRole('button', { name: 'Add member' }).click();
  const row = page.locator('tr.mat-mdc-row', { hasText: username });
  await row.waitFor();
  await page.getByText(`Initial password for ${username}: ${password}`).waitFor();
  expect((await portal.api.login(username, password)).must_change_password).toBe(true);

  await row.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await row.waitFor({ state: 'detached' });
  const members = (
    await portal.api.request.get('/api/v1/customer/members').set(bearer(customer.ownerToken)).expect(200)
  ).body.data as { username: string }[] | { list: { username: string }[] };
  const names = (Array.isArray(members) ? members : members.list).map((m) => m.username);
  expect(names).not.toContain(username);
  await context.close();
});

test('the admin sees the allocation operation with its steps and a link into the Temporal UI', async () => {
  const { page, context } = await openLoopbackPage(browser);
  await page.goto(`${portal.web.url}/login`);
  await page.getByLabel('Username').fill(TEST_ADMIN_USERNAME);
  await page.getByLabel('Password', { exact: true }).fill(TEST_ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/admin/dashboard');
  await page.goto(`${portal.web.url}/admin/machines/${machineId}`);

  const detail = (
    await portal.api.request
      .get(`/api/v1/admin/machines/${machineId}`)
      .set(bearer(await portal.api.loginAdmin()))
      .expect(200)
  ).body.data as {
    current_allocation: { id: string; tenant_name: string };
    recent_operations: { kind: string; workflow_id: string; temporal_url: string }[];
  };
  const operation = detail.recent_operations.find((o) => o.kind === 'allocate')!;
  await page.getByText(detail.current_allocation.id, { exact: true }).waitFor();
  await page.getByText(detail.current_allocation.tenant_name, { exact: true }).waitFor();
  await page.locator('mat-expansion-panel-header', { hasText: 'allocate' }).click();
  await page.getByText(operation.workflow_id, { exact: true }).waitFor();
  const link = page.getByRole('link', { name: 'Open in Temporal UI' });
  await expect(link.getAttribute('href')).resolves.toBe(operation.temporal_url);
  expect(operation.temporal_url).toContain(encodeURIComponent(operation.workflow_id));
  await screenshot(page, 'admin-machine-operation');
  await context.close();
});
