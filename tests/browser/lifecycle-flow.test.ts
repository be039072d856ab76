// One real story in headless Chromium against the running platform: the API with its WebSocket, a control
// worker with the real lifecycle activities, and a simulated GPU host (own sshd + the real agent worker
// sending signed heartbeats) on 127.0.6.1, this file's loopback range.
//   1. A new admin signs in for the first time (forced password change), switches the language to zh-CN
//      and back, and imports a CSV that registers the simulated host's machine (its agent then starts with
//      credentials issued for that machine).
//   2. A new customer owner signs in for the first time (forced password change) and adds an SSH key.
//   3. The admin allocates the host to the customer in the allocate dialog and watches the operation in the
//      machine page, without reloading, until it ends `succeeded` with every allocation step; the progress
//      is pushed over the WebSocket (operation_update), the page does not poll the machine.
//   4. The customer sees the machine with the GPU utilisation its agent reports, pushed over the WebSocket
//      (the list is requested once), copies the ssh command, and that command's login works with the key.
//   5. The admin reclaims it in the reclaim dialog; the login is refused and the customer's list is empty.
// Needs `npx tsc -b tsconfig.build.json` (the simulated host mounts the built agent).
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { utils as sshUtils } from 'ssh2';
import { ALLOCATION_STEPS, RECLAIM_STEPS } from '@remotegpu/core/contracts';
import { User } from '@remotegpu/core';
import { hashPasswordArgon2id } from '../../migrations/src';
import { bearer, strongPassword } from '../support/api-server';
import { uniqueSuffix } from '../support/env';
import { eventually } from '../support/eventually';
import { simHostAgentEnv } from '../support/lifecycle';
import { SimHost } from '../support/simhost';
import { sshCanLogin, sshRun } from '../support/ssh';
import { launchBrowser, openLoopbackPage, screenshot } from './browser';
import { PortalEnv, startPortal } from './portal-env';

jest.setTimeout(240_000);

const suffix = uniqueSuffix('wl').toLowerCase();
const short = suffix.replace(/[^a-z0-9]/g, '').slice(-8);
const HOST_IP = '127.0.6.1';
const machineId = `${suffix}-gpu`;
const spareId = `${suffix}-spare`;
const adminUsername = `ops-${short}`;
const companyCode = `wl${short}`;
const companyName = `Lab ${short}`;
const ownerUsername = `${companyCode}-owner`;

let portal: PortalEnv;
let browser: Browser;
let hostStart: Promise<SimHost> | undefined;
let host: SimHost | undefined;
let adminPassword = strongPassword();
let ownerPassword = strongPassword();
let admin: { context: BrowserContext; page: Page; blocked: string[] };
let customer: { context: BrowserContext; page: Page; blocked: string[] };
const keys = sshUtils.generateKeyPairSync('ed25519', { comment: `${companyCode}@laptop` });

beforeAll(async () => {
  portal = await startPortal({ controlWorker: true, machineIdPrefix: suffix });
  browser = await launchBrowser();
  // A second platform admin, created the way an operator would be: with a first password to replace.
  const em = portal.api.em();
  em.create(User, {
    username: adminUsername,
    passwordHash: await hashPasswordArgon2id(adminPassword),
    role: 'admin',
    tenant: null,
    tenantRole: null,
    displayName: 'Ops',
    mustChangePassword: true,
  });
  await em.flush();
  // The customer as the API creates it: the owner must change the given password at first sign-in.
  const created = await portal.api.request
    .post('/api/v1/admin/customers')
    .set(bearer(await portal.api.loginAdmin()))
    .send({
      name: companyName,
      company_code: companyCode,
      owner_username: ownerUsername,
      owner_password: ownerPassword,
    })
    .expect(201);
  expect(created.body.data.customer.owner.username).toBe(ownerUsername);
  admin = await openLoopbackPage(browser);
  customer = await openLoopbackPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
});

afterAll(async () => {
  await browser?.close();
  await (host ?? (await hostStart?.catch(() => undefined)))?.stop();
  if (portal) {
    const workflows = await portal.api
      .em()
      .getConnection()
      .execute(`select workflow_id from operations union select 'lease-' || id from allocations`);
    await Promise.allSettled(
      (workflows as { workflow_id: string }[]).map((row) =>
        portal.api.deps.temporal.workflow.getHandle(row.workflow_id).terminate('test cleanup'),
      ),
    );
    await portal.close();
  }
});

async function signInFirstTime(page: Page, username: string, initial: string): Promise<string> {
  await page.goto(`${portal.web.url}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(initial);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/change-password');
  await page.getByText('You must set a new password before you continue.').waitFor();
  const next = strongPassword();
  await page.getByLabel('Current password').fill(initial);
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('Repeat new password').fill(next);
  await page.getByRole('button', { name: 'Change password' }).click();
  return next;
}

async function adminToken(): Promise<string> {
  return (await portal.api.login(adminUsername, adminPassword)).access_token;
}

/** The expansion panel of the newest operation of `kind` on the admin machine page. */
function operationPanel(page: Page, kind: string) {
  return page
    .locator('mat-expansion-panel', {
      has: page.locator('mat-panel-title', { hasText: new RegExp(`^\\s*${kind}\\s*$`) }),
    })
    .first();
}

/** GET requests of this machine's admin detail made by the page from now on (the page must not poll it). */
function countDetailReads(page: Page): { reads: string[]; stop(): void } {
  const reads: string[] = [];
  const listener = (request: { method(): string; url(): string }) => {
    if (request.method() === 'GET' && new URL(request.url()).pathname === `/api/v1/admin/machines/${machineId}`)
      reads.push(new Date().toISOString());
  };
  page.on('request', listener);
  return { reads, stop: () => page.off('request', listener) };
}

/** Waits, without touching the page, until the operation's chip reads Succeeded; returns the states seen. */
async function watchOperation(page: Page, kind: string): Promise<string[]> {
  const chip = operationPanel(page, kind).locator('mat-expansion-panel-header .status-chip');
  await chip.waitFor({ timeout: 15_000 });
  const seen: string[] = [];
  const deadline = Date.now() + 150_000;
  for (;;) {
    const state = (await chip.textContent())?.trim() ?? '';
    if (seen[seen.length - 1] !== state) seen.push(state);
    if (state === 'Succeeded' || state === 'Failed' || Date.now() > deadline) return seen;
    // Wait for the chip to change (operation_update messages pushed over the socket move it).
    const changed = `(() => {
      const panel = [...document.querySelectorAll('mat-expansion-panel')].find(
        (p) => p.querySelector('mat-panel-title')?.textContent?.trim() === ${JSON.stringify(kind)},
      );
      return panel?.querySelector('mat-expansion-panel-header .status-chip')?.textContent?.trim() !== ${JSON.stringify(state)};
    })()`;
    await page
      .waitForFunction(changed, undefined, { timeout: Math.max(1000, deadline - Date.now()) })
      .catch(() => undefined);
  }
}

test('1. a new admin changes the first password, switches the language, and imports the host by CSV', async () => {
  const { page } = admin;
  adminPassword = await signInFirstTime(page, adminUsername, adminPassword);
  await page.waitForURL((url) => url.pathname === '/admin/dashboard');
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  await portal.api.login(adminUsername, adminPassword);

  await page.getByTestId('language-menu').click();
  await page.locator('[data-lang="zh-CN"]').click();
  await page.getByRole('heading', { level: 1, name: '仪表盘' }).waitFor();
  expect(await page.title()).toBe('仪表盘 · RemoteGPU');
  await page.getByTestId('language-menu').click();
  await page.locator('[data-lang="en"]').click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  expect(await page.evaluate<string>('document.documentElement.lang')).toBe('en');

  await page.getByRole('link', { name: 'Import machines' }).first().click();
  await page.waitForURL((url) => url.pathname === '/admin/import');
  const csv = [
    'id,name,ip,ssh_port,region,gpu_model,gpu_count',
    `${machineId},${machineId},${HOST_IP},22,lab,NVIDIA H100 80GB HBM3,8`,
    `${spareId},${spareId},127.0.6.2,22,lab,NVIDIA L4,2`,
  ].join('\n');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose file' }).click();
  await (await chooser).setFiles({ name: 'fleet.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(
    page
      .getByTestId('import-summary')
      .textContent()
      .then((t) => t?.trim()),
  ).resolves.toBe('2 rows: 2 created, 0 skipped, 0 with errors');
  await page.getByRole('cell', { name: machineId, exact: true }).waitFor();
  await page.getByRole('cell', { name: spareId, exact: true }).waitFor();

  // The imported machine gets its agent key, and the simulated host starts its agent with it (in the
  // background: the customer's first sign-in happens meanwhile).
  const issued = await portal.api.request
    .post(`/api/v1/admin/machines/${machineId}/agent-credentials`)
    .set(bearer(await adminToken()))
    .expect(201);
  const credentials = issued.body.data as { key_id: string; secret: string };
  hostStart = SimHost.start(`wl-${short.slice(-4)}`, HOST_IP, {
    ...simHostAgentEnv(machineId),
    API_URL: portal.apiUrl,
    AGENT_KEY_ID: credentials.key_id,
    AGENT_SECRET: credentials.secret,
    HEARTBEAT_INTERVAL_MS: '1000',
    SIMHOST_GPU_PROFILE: 'h100x8',
  });
  hostStart.catch(() => undefined); // awaited in test 3
  expect(admin.blocked).toEqual([]);
  await screenshot(page, 'flow-1-admin-import');
});

test('2. the customer owner changes the first password and adds an SSH key', async () => {
  const { page } = customer;
  ownerPassword = await signInFirstTime(page, ownerUsername, ownerPassword);
  await page.waitForURL((url) => url.pathname === '/my/machines');
  await page.getByText('No machines are allocated to your company yet.').waitFor();

  await page.getByRole('link', { name: 'SSH keys' }).click();
  await page.waitForURL((url) => url.pathname === '/my/keys');
  await page.getByLabel('Key name').fill('laptop');
  await page.getByLabel('Public key').fill(keys.public.trim());
  await page.getByRole('button', { name: 'Add' }).click();
  const blob = Buffer.from(keys.public.trim().split(/\s+/)[1], 'base64');
  const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
  await page.getByRole('cell', { name: fingerprint, exact: true }).waitFor();
  expect(customer.blocked).toEqual([]);
  await screenshot(page, 'flow-2-customer-key');
});

test('3. the admin allocates the host in the allocate dialog and watches the operation succeed', async () => {
  host = await hostStart!;
  // The agent's first heartbeat brings the imported machine online.
  const token = await adminToken();
  await eventually(
    async () => {
      const res = await portal.api.request.get(`/api/v1/admin/machines/${machineId}`).set(bearer(token)).expect(200);
      expect(res.body.data.status).toBe('online');
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  ).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${await host!.logs()}`);
  });

  const { page } = admin;
  await page.getByRole('link', { name: 'Machines' }).first().click();
  await page.getByLabel('Keyword').fill(machineId);
  await page.waitForFunction("document.querySelectorAll('tr.mat-mdc-row a').length === 1");
  await page.getByRole('link', { name: machineId, exact: true }).click();
  await page.waitForURL((url) => url.pathname === `/admin/machines/${machineId}`);
  await page.getByRole('heading', { level: 1, name: machineId }).waitFor();
  expect(await page.title()).toBe(`Machine ${machineId} · RemoteGPU`);
  await page.locator('header .status-chip', { hasText: 'Online' }).waitFor();

  await page.getByRole('button', { name: 'Allocate' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: 'Allocate machines' }).waitFor();
  await dialog.getByText(`${machineId} (${machineId})`).waitFor();
  await dialog.getByLabel('Customer').click();
  await page.getByRole('option', { name: `${companyName} (${companyCode})` }).click();
  await dialog.getByLabel('Duration (months)').fill('1');
  await dialog.getByLabel('Remark').fill('browser story');
  const detailReads = countDetailReads(page);
  await dialog.getByRole('button', { name: 'Allocate' }).click();
  await dialog.waitFor({ state: 'detached' });

  const seen = await watchOperation(page, 'allocate');
  detailReads.stop();
  expect(seen[seen.length - 1]).toBe('Succeeded');
  // It was watched in progress, not only found finished.
  expect(seen.some((state) => state === 'Pending' || state === 'Running')).toBe(true);
  console.log(
    `allocate operation states seen in the page: ${seen.join(' → ')}; machine detail read ${detailReads.reads.length}x`,
  );
  // Progress came over the socket: the machine is read after the dialog and when the operation ends (at most
  // once more if an update overtook the first read), never on a timer.
  expect(detailReads.reads.length).toBeGreaterThanOrEqual(1);
  expect(detailReads.reads.length).toBeLessThanOrEqual(3);

  const panel = operationPanel(page, 'allocate');
  await panel.locator('mat-expansion-panel-header').click();
  const steps = panel.locator('ol.steps li');
  await steps.first().waitFor();
  expect(await steps.locator('span:not(.status-chip):not(.muted)').allTextContents()).toEqual([...ALLOCATION_STEPS]);
  expect(new Set(await steps.locator('.status-chip').allTextContents())).toEqual(new Set(['Succeeded']));
  await page.getByText(companyName, { exact: true }).waitFor();
  await page.locator('header .status-chip', { hasText: 'Allocated' }).waitFor();
  await screenshot(page, 'flow-3-admin-allocated');
});

interface MonitoringFrame {
  type: string;
  data: { machines?: { machine_id: string; gpu_util: number | null }[] };
}

test('4. the customer sees live GPU numbers over the socket, copies the ssh command, and it logs in', async () => {
  const { page } = customer;
  const listRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/customer/machines') listRequests.push(request.url());
  });
  const pushed: (number | null)[] = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      const message = JSON.parse(String(payload)) as MonitoringFrame;
      const mine =
        message.type === 'monitoring_update' && message.data.machines?.find((m) => m.machine_id === machineId);
      if (mine) pushed.push(mine.gpu_util);
    }),
  );
  // A fresh load of the app: the socket opens and my machines are listed once.
  await page.goto(`${portal.web.url}/my/machines`);
  const card = page.locator(`[data-machine="${machineId}"]`);
  await card.waitFor();
  const gpuNumber = card.locator('mat-card-content .row strong');
  const shown = async () => (await gpuNumber.textContent())?.trim();

  // h100x8 reports 0 % on every GPU: the card shows what the agent's heartbeats say.
  await eventually(() => expect(pushed.filter((u) => u !== null).length).toBeGreaterThan(0), { timeoutMs: 20_000 });
  await eventually(async () => expect(await shown()).toBe('0%'), { timeoutMs: 10_000 });
  // The host's GPUs change (another profile: 97 %, 0, 0, 0): the number follows without a reload.
  await host!.setNvidiaMode('ok', 'rtx4090x4');
  await eventually(async () => expect(await shown()).toBe('24%'), { timeoutMs: 30_000, intervalMs: 250 });
  expect(pushed.some((u) => u !== null && Math.round(u) === 24)).toBe(true);
  expect(listRequests).toHaveLength(1);

  // Language switch on the customer side too, and back.
  await page.getByTestId('language-menu').click();
  await page.locator('[data-lang="zh-CN"]').click();
  await page.getByRole('heading', { level: 1, name: '我的机器' }).waitFor();
  await card.getByText('GPU 利用率').waitFor();
  await page.getByTestId('language-menu').click();
  await page.locator('[data-lang="en"]').click();
  await page.getByRole('heading', { level: 1, name: 'My machines' }).waitFor();

  await card.getByRole('button', { name: 'Copy ssh' }).click();
  await page.getByText('Copied to clipboard').waitFor();
  const command = await page.evaluate<string>('navigator.clipboard.readText()');
  const match = /^ssh (?:-p (\d+) )?(\S+)@(\S+)$/.exec(command);
  expect(match).not.toBeNull();
  const [, port, user, sshHost] = match!;
  expect(sshHost).toBe(HOST_IP);
  expect(user).toBe(`t_${companyCode}`);
  expect((await card.locator('code').textContent())?.trim()).toBe(command);

  // The copied command works: a real ssh login with the key added in the keys page.
  const whoami = await sshRun({
    host: sshHost,
    port: port ? Number(port) : 22,
    username: user,
    privateKey: keys.private,
    command: 'whoami',
  });
  expect(whoami.stdout.trim()).toBe(user);
  expect(listRequests).toHaveLength(1);
  expect(customer.blocked).toEqual([]);
  await screenshot(page, 'flow-4-customer-machine');
});

test('5. the admin reclaims it in the reclaim dialog; the login is refused and the customer list empties', async () => {
  const { page } = admin;
  await page.getByRole('button', { name: 'Reclaim' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: `Reclaim machine · ${machineId}` }).waitFor();
  await dialog.getByLabel('Reason').fill('end of the browser story');
  const detailReads = countDetailReads(page);
  await dialog.getByRole('button', { name: 'Reclaim' }).click();
  await dialog.waitFor({ state: 'detached' });

  const seen = await watchOperation(page, 'reclaim');
  detailReads.stop();
  console.log(
    `reclaim operation states seen in the page: ${seen.join(' → ')}; machine detail read ${detailReads.reads.length}x`,
  );
  expect(seen[seen.length - 1]).toBe('Succeeded');
  expect(detailReads.reads.length).toBeLessThanOrEqual(3);
  await page.locator('header .status-chip', { hasText: 'Idle' }).waitFor({ timeout: 10_000 });
  await page.getByText('Not allocated').waitFor();
  const panel = operationPanel(page, 'reclaim');
  await panel.locator('mat-expansion-panel-header').click();
  expect(await panel.locator('ol.steps li span:not(.status-chip):not(.muted)').allTextContents()).toEqual([
    ...RECLAIM_STEPS,
  ]);
  await screenshot(page, 'flow-5-admin-reclaimed');

  expect(await sshCanLogin({ host: HOST_IP, username: `t_${companyCode}`, privateKey: keys.private })).toBe(false);
  await customer.page.reload();
  await customer.page.getByText('No machines are allocated to your company yet.').waitFor();
  expect(await customer.page.locator(`[data-machine="${machineId}"]`).count()).toBe(0);
  expect(admin.blocked).toEqual([]);
  await screenshot(customer.page, 'flow-5-customer-empty');
});
