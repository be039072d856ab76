// The admin machine page's quarantine decision buttons, in headless Chromium against the real API: a
// machine in maintenance with a running reclaim stuck on a failed step shows Retry / Skip step / Mark broken
// with descriptive accessible names; skip-step and mark-broken confirm first (cancel sends nothing), and a
// decision the API refuses (no reclaim workflow is running for this seeded operation) is reported.
import type { Browser } from 'playwright-core';
import { Machine, Operation } from '@remotegpu/core';
import { TEST_ADMIN_PASSWORD, TEST_ADMIN_USERNAME } from '../support/api-server';
import { uniqueSuffix } from '../support/env';
import { createMachine } from '../support/lifecycle';
import { launchBrowser, openLoopbackPage, screenshot } from './browser';
import { PortalEnv, startPortal } from './portal-env';

jest.setTimeout(180_000);

const suffix = uniqueSuffix('qd').toLowerCase();
const machineId = `${suffix}-stuck`;
const operationId = `op-${suffix}`;
let portal: PortalEnv;
let browser: Browser;

beforeAll(async () => {
  portal = await startPortal({ machineIdPrefix: suffix });
  browser = await launchBrowser();
  const orm = portal.api.deps.orm;
  await createMachine(orm, machineId, '127.0.6.31');
  const em = orm.em.fork();
  const machine = await em.findOneOrFail(Machine, { id: machineId });
  machine.allocationStatus = 'maintenance';
  em.create(Operation, {
    id: operationId,
    kind: 'reclaim',
    machine,
    workflowId: `reclaim-${suffix}-never-started`,
    status: 'running',
    steps: [
      { name: 'mark_reclaiming', status: 'succeeded' },
      { name: 'wipe_data', status: 'failed', error: 'rm: device busy' },
    ],
  });
  await em.flush();
});

afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

test('a quarantined reclaim offers retry, skip-step and mark-broken', async () => {
  const { page, context } = await openLoopbackPage(browser);
  await page.goto(`${portal.web.url}/login`);
  await page.getByLabel('Username').fill(TEST_ADMIN_USERNAME);
  await page.getByLabel('Password', { exact: true }).fill(TEST_ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/admin/dashboard');
  await page.goto(`${portal.web.url}/admin/machines/${machineId}`);

  const actions = page.getByRole('group', { name: 'Decision for the quarantined reclaim' });
  const retry = actions.getByRole('button', { name: 'Retry step wipe_data of the quarantined reclaim' });
  const skip = actions.getByRole('button', { name: 'Skip step wipe_data of the quarantined reclaim' });
  const broken = actions.getByRole('button', { name: `Mark broken: machine ${machineId}, ending its reclaim` });
  await retry.waitFor();
  await skip.waitFor();
  await broken.waitFor();
  await screenshot(page, 'admin-quarantine-decision');

  // Mark broken asks first; cancelling sends nothing.
  let decisions = 0;
  page.on('request', (request) => {
    if (request.url().endsWith(`/operations/${operationId}/decision`)) decisions++;
  });
  await broken.click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`Mark ${machineId} broken?`).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  expect(decisions).toBe(0);

  // Retry goes straight to the API, which refuses: no reclaim workflow runs for this operation.
  const response = page.waitForResponse((r) => r.url().endsWith(`/operations/${operationId}/decision`));
  await retry.click();
  const refused = await response;
  expect(refused.request().postDataJSON()).toEqual({ decision: 'retry' });
  expect(refused.status()).toBe(409);
  await page.getByText('the reclaim of this operation is not running').waitFor();
  await context.close();
});
