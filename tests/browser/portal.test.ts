// The built portal in headless Chromium against the REAL API (tests/support/api-server: scratch database,
// real Redis/Temporal/S3) served on loopback with its WebSocket: admin sign-in, dashboard figures and the
// machine list as the API reports them, the live socket connecting, the forced first password change of a
// new customer owner, SSH keys with the API's own validation message, and the responsive, translated shell.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import type { Browser, Page } from 'playwright-core';
import { TEST_ADMIN_PASSWORD, TEST_ADMIN_USERNAME, TestApi, bearer, strongPassword } from '../support/api-server';
import { uniqueSuffix } from '../support/env';
import { launchBrowser, openLoopbackPage, screenshot } from './browser';
import { PortalEnv, startPortal } from './portal-env';
import { WebServer } from './web-server';

jest.setTimeout(180_000);

let portal: PortalEnv;
let api: TestApi;
let web: WebServer;
let browser: Browser;
let adminToken: string;

beforeAll(async () => {
  portal = await startPortal();
  ({ api, web } = portal);
  browser = await launchBrowser();
  adminToken = await api.loginAdmin();
});

afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${web.url}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an admin signs in, sees the API figures on the dashboard and the machine list, and the live socket connects', async () => {
  const { page, context, blocked } = await openLoopbackPage(browser);
  await signIn(page, TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/admin/dashboard');

  const stats = (await api.request.get('/api/v1/admin/dashboard/stats').set(bearer(adminToken)).expect(200)).body.data;
  const totalCard = page.locator('[data-stat="total_machines"]');
  await totalCard.filter({ hasText: String(stats.total_machines) }).waitFor();
  expect((await totalCard.textContent())?.trim()).toBe(String(stats.total_machines));
  await page.locator('mat-icon[aria-label="Live updates connected"]').waitFor({ timeout: 15_000 });
  await screenshot(page, 'admin-dashboard');

  await page.getByRole('link', { name: 'Machines' }).first().click();
  await page.waitForURL((url) => url.pathname === '/admin/machines');
  const machines = (await api.request.get('/api/v1/admin/machines?page_size=20').set(bearer(adminToken)).expect(200))
    .body.data as { total: number; list: { id: string; name: string }[] };
  expect(machines.total).toBeGreaterThan(0);
  for (const machine of machines.list) await page.getByRole('link', { name: machine.name, exact: true }).waitFor();
  expect(await page.locator('tr.mat-mdc-row:has(a)').count()).toBe(machines.list.length);

  // Keyword filter goes to the server and narrows the table to the one machine.
  const target = machines.list[machines.list.length - 1];
  await page.getByLabel('Keyword').fill(target.id);
  await page.waitForFunction("document.querySelectorAll('tr.mat-mdc-row a').length === 1");
  await page.getByRole('link', { name: target.name, exact: true }).click();
  await page.waitForURL((url) => url.pathname === `/admin/machines/${target.id}`);
  await page.getByRole('heading', { level: 1, name: target.name }).waitFor();
  await page.getByText(target.id, { exact: true }).first().waitFor();
  await screenshot(page, 'admin-machine-detail');

  // The allocate dialog offers the API's customers and has this idle machine preselected (not submitted here:
  // allocation runs a workflow on a GPU host, covered by the API's own tests).
  await page.getByRole('button', { name: 'Allocate' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('heading', { name: 'Allocate machines' }).waitFor();
  await dialog.getByText(`${target.name} (${target.id})`).waitFor();
  await dialog.getByLabel('Customer').click();
  await page.getByRole('option', { name: 'Acme AI (acme)' }).waitFor();
  await page.keyboard.press('Escape');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  expect(blocked).toEqual([]);
  await context.close();
});

test('a new customer owner must change the password first, then manages SSH keys with the API validation', async () => {
  const code = uniqueSuffix('web')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 28);
  const initialPassword = strongPassword();
  const owner = `${code}-owner`;
  await api.request
    .post('/api/v1/admin/customers')
    .set(bearer(adminToken))
    .send({ name: `Web ${code}`, company_code: code, owner_username: owner, owner_password: initialPassword })
    .expect(201);

  const { page, context, blocked } = await openLoopbackPage(browser);
  await signIn(page, owner, initialPassword);
  await page.waitForURL((url) => url.pathname === '/change-password');
  await page.getByText('You must set a new password before you continue.').waitFor();

  const next = strongPassword();
  await page.getByLabel('Current password').fill(initialPassword);
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('Repeat new password').fill(`${next}x`);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('The passwords do not match').waitFor();
  await page.getByLabel('Repeat new password').fill(next);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForURL((url) => url.pathname === '/my/machines');
  await page.getByText('No machines are allocated to your company yet.').waitFor();
  // The new password is what the API now accepts.
  await api.login(owner, next);

  await page.getByRole('link', { name: 'SSH keys' }).click();
  await page.waitForURL((url) => url.pathname === '/my/keys');
  // Shaped like a key but not a valid ed25519 blob: the API's parser rejects it and its message is shown.
  const bogus = `ssh-ed25519 ${Buffer.alloc(51, 7).toString('base64')} bogus`;
  await page.getByLabel('Key name').fill('bogus');
  await page.getByLabel('Public key').fill(bogus);
  await page.getByRole('button', { name: 'Add' }).click();
  const apiMessage = (
    await api.request
      .post('/api/v1/customer/keys')
      .set(bearer((await api.login(owner, next)).access_token))
      .send({ name: 'bogus', public_key: bogus })
  ).body.msg as string;
  expect(apiMessage).toBeTruthy();
  await expect(page.getByTestId('key-error').textContent()).resolves.toBe(apiMessage);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'rg-web-key-'));
  try {
    await promisify(execFile)('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      'laptop',
      '-f',
      path.join(dir, 'k'),
    ]);
    const publicKey = readFileSync(path.join(dir, 'k.pub'), 'utf8').trim();
    const { stdout } = await promisify(execFile)('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(dir, 'k.pub')]);
    const fingerprint = stdout.split(' ')[1];
    await page.getByLabel('Key name').fill('laptop');
    await page.getByLabel('Public key').fill(publicKey);
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('cell', { name: fingerprint, exact: true }).waitFor();
    // The form is emptied for the next key without flagging the now-empty required fields.
    await expect(page.locator('mat-form-field.mat-form-field-invalid').count()).resolves.toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await screenshot(page, 'customer-ssh-keys');
  expect(blocked).toEqual([]);
  await context.close();
});

test('an admin creates a customer (initial password shown once), disables it, and imports machines from CSV', async () => {
  const { page, context, blocked } = await openLoopbackPage(browser);
  await signIn(page, TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/admin/dashboard');

  await page.getByRole('link', { name: 'Customers' }).first().click();
  await page.getByRole('button', { name: 'New customer' }).click();
  const code = uniqueSuffix('ui')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 28);
  const dialog = page.getByRole('dialog');
  // The dialog focuses its first field once it is open: fill after that.
  await page.waitForFunction("document.activeElement?.getAttribute('formcontrolname') === 'name'");
  await dialog.getByLabel('Company name').fill(`UI ${code}`);
  await dialog.getByLabel('Company code').fill(code);
  await dialog.getByLabel('Owner username').fill(`${code}-boss`);
  await dialog.getByRole('button', { name: 'Create' }).click();
  // No password given: the API generates one and the dialog shows it once.
  const shown = await dialog.getByText(`Initial password for ${code}-boss:`).textContent();
  const generated = shown!.split(': ')[1].trim();
  expect((await api.login(`${code}-boss`, generated)).must_change_password).toBe(true);
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.getByLabel('Search').fill(code);
  const row = page.locator('tr.mat-mdc-row', { hasText: code });
  await row.getByText('Active').waitFor();
  await row.getByRole('button', { name: 'Disable' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await row.getByText('Disabled').waitFor();
  const listed = (await api.request.get(`/api/v1/admin/customers?keyword=${code}`).set(bearer(adminToken)).expect(200))
    .body.data.list as { company_code: string; status: string }[];
  expect(listed.find((c) => c.company_code === code)?.status).toBe('disabled');

  await page.getByRole('link', { name: 'Import machines' }).first().click();
  const id = uniqueSuffix('imp')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 40);
  const csv = [
    'id,name,ip,region,gpu_model,gpu_count',
    `${id},${id},127.0.9.7,lab,NVIDIA L4,2`,
    `bad id!,x,not-an-ip,lab,,1`,
  ].join('\n');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose file' }).click();
  await (await chooser).setFiles({ name: 'inventory.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(
    page
      .getByTestId('import-summary')
      .textContent()
      .then((t) => t?.trim()),
  ).resolves.toBe('2 rows: 1 created, 0 skipped, 1 with errors');
  await page.getByRole('cell', { name: id, exact: true }).waitFor();
  await api.request.get(`/api/v1/admin/machines/${id}`).set(bearer(adminToken)).expect(200);
  await screenshot(page, 'admin-import');
  expect(blocked).toEqual([]);
  await context.close();
});

const SESSION_KEY = 'remotegpu.session';
interface StoredSession {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

async function readSession(page: Page): Promise<StoredSession | null> {
  const raw = await page.evaluate<string | null>(`localStorage.getItem('${SESSION_KEY}')`);
  return raw ? (JSON.parse(raw) as StoredSession) : null;
}

async function writeSession(page: Page, session: StoredSession): Promise<void> {
  await page.evaluate(`localStorage.setItem('${SESSION_KEY}', ${JSON.stringify(JSON.stringify(session))})`);
}

/** The same claims as the API's token, signed with its secret, but expired a minute ago. */
function expiredCopy(accessToken: string): string {
  const {
    iat: _iat,
    exp: _exp,
    jti: _jti,
    iss: _iss,
    aud: _aud,
    ...claims
  } = jwt.decode(accessToken) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ ...claims, jti: `expired-${now}`, iat: now - 120, exp: now - 60 }, api.config.auth.jwtSecret, {
    algorithm: 'HS256',
    issuer: 'remotegpu-api',
    audience: 'remotegpu',
  });
}

test('an expired access token is refreshed once for concurrent requests; a dead refresh token ends the session', async () => {
  const { page, context } = await openLoopbackPage(browser);
  await signIn(page, TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/admin/dashboard');
  await page.getByRole('link', { name: 'Machines' }).first().click();
  await page.locator('tr.mat-mdc-row a').first().waitFor();

  const before = (await readSession(page))!;
  const expired = expiredCopy(before.accessToken);
  await api.request.get('/api/v1/auth/profile').set(bearer(expired)).expect(401);
  await writeSession(page, { ...before, accessToken: expired });

  // The dashboard fires four requests at once: all get 401 TOKEN_EXPIRED, one refresh serves them all (a
  // second use of the same refresh token would be treated as theft by the API and end the session).
  await page.getByRole('link', { name: 'Dashboard' }).click();
  const stats = (await api.request.get('/api/v1/admin/dashboard/stats').set(bearer(adminToken)).expect(200)).body.data;
  await page
    .locator('[data-stat="total_machines"]')
    .filter({ hasText: String(stats.total_machines) })
    .waitFor();
  const after = (await readSession(page))!;
  expect(after.accessToken).not.toBe(expired);
  expect(after.refreshToken).not.toBe(before.refreshToken);
  await api.request.get('/api/v1/auth/profile').set(bearer(after.accessToken)).expect(200);
  expect(new URL(page.url()).pathname).toBe('/admin/dashboard');

  // Now the refresh token is refused too: the next request ends the session and returns to the login page.
  await writeSession(page, { ...after, accessToken: expiredCopy(after.accessToken), refreshToken: 'not-a-token' });
  await page.getByRole('link', { name: 'Machines' }).first().click();
  await page.waitForURL((url) => url.pathname === '/login');
  expect(new URL(page.url()).searchParams.get('returnUrl')).toBe('/admin/machines');
  await page.getByText('Your session has ended, please sign in again').waitFor();
  expect(await readSession(page)).toBeNull();
  await context.close();
});

test('the shell is translated at runtime and its navigation collapses on a narrow screen', async () => {
  const { page, context } = await openLoopbackPage(browser, { viewport: { width: 400, height: 800 } });
  await signIn(page, TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/admin/dashboard');
  const nav = page.locator('mat-sidenav');
  // Narrow: the drawer starts closed and opens from the menu button.
  await expect(nav.isVisible()).resolves.toBe(false);
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Audit log' }).waitFor();

  await page.getByRole('button', { name: 'Menu' }).click();
  await nav.waitFor({ state: 'hidden' });
  await page.getByTestId('language-menu').click();
  await page.locator('[data-lang="zh-CN"]').click();
  await page.getByRole('heading', { level: 1, name: '仪表盘' }).waitFor();
  await page.getByRole('button', { name: '菜单' }).click();
  await page.getByRole('link', { name: '审计日志' }).click();
  await page.waitForURL((url) => url.pathname === '/admin/audit');
  await nav.waitFor({ state: 'hidden' }); // the drawer closes itself after navigating on a narrow screen
  await page.getByRole('heading', { level: 1, name: '审计日志' }).waitFor();
  // The sign-ins of this run are in the audit log, rendered by the API's data.
  await page.getByRole('cell', { name: 'auth.login', exact: true }).first().waitFor();
  await screenshot(page, 'admin-audit-zh-narrow');

  // Dark theme: the class on <html> switches Material's light-dark() colours.
  const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  const light = await background();
  await page.getByRole('button', { name: '主题' }).click();
  await page.getByRole('menuitem', { name: '深色' }).click();
  await page.waitForFunction("document.documentElement.classList.contains('theme-dark')");
  const dark = await background();
  expect(dark).not.toBe(light);
  const [r, g, b] = dark.match(/\d+/g)!.map(Number);
  expect(r + g + b).toBeLessThan(150);
  await context.close();
});
