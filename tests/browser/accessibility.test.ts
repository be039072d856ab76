// Lighthouse-style basics on every page of the admin and the customer portal (and the admin's form
// dialogs), in headless Chromium against the real API: each page has its own non-empty document title,
// and every rendered form field (input, select, textarea, mat-select, comboboxes, switches) has an
// accessible label — a <label> element, aria-label, or aria-labelledby pointing at text outside the field
// (a placeholder or the field's own value is not a label). Every page is screenshotted.
import type { Browser, Page } from 'playwright-core';
import { TEST_ADMIN_PASSWORD, TEST_ADMIN_USERNAME, bearer, strongPassword } from '../support/api-server';
import { uniqueSuffix } from '../support/env';
import { createMachine } from '../support/lifecycle';
import { launchBrowser, openLoopbackPage, screenshot } from './browser';
import { PortalEnv, startPortal } from './portal-env';

jest.setTimeout(180_000);

const suffix = uniqueSuffix('wa').toLowerCase();
const allocatedId = `${suffix}-busy`;
const idleId = `${suffix}-idle`;
const companyCode = `wa${suffix.replace(/[^a-z0-9]/g, '').slice(-8)}`;
const ownerUsername = `${companyCode}-owner`;
const ownerPassword = strongPassword();
let portal: PortalEnv;
let browser: Browser;
const workflows: string[] = [];

beforeAll(async () => {
  portal = await startPortal({
    // Nobody serves this queue: the allocation stays pending (enough for every page to have data).
    configure: (config) => ({ ...config, temporal: { ...config.temporal, controlTaskQueue: `control-${suffix}` } }),
    machineIdPrefix: suffix,
  });
  browser = await launchBrowser();
  const { api } = portal;
  const admin = await api.loginAdmin();
  const created = await api.request
    .post('/api/v1/admin/customers')
    .set(bearer(admin))
    .send({
      name: `A11y ${companyCode}`,
      company_code: companyCode,
      owner_username: ownerUsername,
      owner_password: ownerPassword,
    })
    .expect(201);
  await createMachine(api.deps.orm, allocatedId, '127.0.6.21');
  await createMachine(api.deps.orm, idleId, '127.0.6.22');
  const allocated = await api.request
    .post(`/api/v1/admin/machines/${allocatedId}/allocate`)
    .set(bearer(admin))
    .send({ tenant_id: created.body.data.customer.id, duration_months: 1 })
    .expect(200);
  workflows.push(`allocate-${allocated.body.data.allocation_id as string}`);
});

afterAll(async () => {
  await browser?.close();
  if (portal) {
    await Promise.allSettled(
      workflows.map((id) => portal.api.deps.temporal.workflow.getHandle(id).terminate('test cleanup')),
    );
    await portal.close();
  }
});

interface FieldProblem {
  field: string;
  html: string;
}

/** Runs in the page: every rendered form field without an accessible label. */
const UNLABELLED_FIELDS = `(() => {
  const fields = [...document.querySelectorAll(
    'input, select, textarea, mat-select, [role="combobox"], [role="switch"], [role="listbox"], [role="textbox"]',
  )].filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0 && !el.closest('[aria-hidden="true"]'));
  const unique = [...new Set(fields)];
  const text = (el) => (el?.textContent ?? '').replace(/\\s+/g, ' ').trim();
  const labelOf = (el) => {
    const aria = (el.getAttribute('aria-label') ?? '').trim();
    if (aria) return aria;
    const ids = (el.getAttribute('aria-labelledby') ?? '').split(/\\s+/).filter(Boolean);
    // A reference to the field's own content (e.g. mat-select's value) does not name it.
    const byIds = ids.map((id) => document.getElementById(id)).filter((ref) => ref && !el.contains(ref)).map(text).join(' ').trim();
    if (byIds) return byIds;
    const labels = [...(el.labels ?? [])].map(text).join(' ').trim();
    if (labels) return labels;
    return text(el.closest('label'));
  };
  return {
    count: unique.length,
    problems: unique.filter((el) => !labelOf(el)).map((el) => ({
      field: el.tagName.toLowerCase() + (el.getAttribute('formcontrolname') ? '[formcontrolname=' + el.getAttribute('formcontrolname') + ']' : '')
        + (el.getAttribute('type') ? '[type=' + el.getAttribute('type') + ']' : ''),
      html: el.outerHTML.slice(0, 200),
    })),
  };
})()`;

interface PageCheck {
  name: string;
  title: string;
  fields: number;
  /** A dialog over a page: it keeps the page's title. */
  dialog?: boolean;
}

async function checkPage(page: Page, name: string, expectedTitle: string, heading?: string): Promise<PageCheck> {
  if (heading) await page.getByRole('heading', { name: heading }).first().waitFor();
  await page.waitForLoadState('networkidle');
  await page
    .waitForFunction(`document.title === ${JSON.stringify(expectedTitle)}`, undefined, { timeout: 5000 })
    .catch(() => undefined);
  const title = await page.title();
  expect({ name, title }).toEqual({ name, title: expectedTitle });
  const { count, problems } = (await page.evaluate(UNLABELLED_FIELDS)) as { count: number; problems: FieldProblem[] };
  expect({ name, problems }).toEqual({ name, problems: [] });
  await screenshot(page, `a11y-${name}`);
  return { name, title, fields: count };
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

function expectDistinctTitles(checks: PageCheck[]): void {
  const titles = checks.filter((c) => !c.dialog).map((c) => c.title);
  expect(titles.every((t) => t.trim().length > 0 && t !== 'RemoteGPU')).toBe(true);
  expect(new Set(titles).size).toBe(titles.length);
  console.log(
    checks.map((c) => `${c.name}${c.dialog ? ' (dialog)' : ''}: "${c.title}", ${c.fields} form field(s)`).join('\n'),
  );
}

test('every admin page (and form dialog) has its own title and labelled form fields', async () => {
  const { page, context, blocked } = await openLoopbackPage(browser);
  const url = portal.web.url;
  const checks: PageCheck[] = [];
  await page.goto(`${url}/login`);
  checks.push(await checkPage(page, 'login', 'Sign in · RemoteGPU', 'Sign in to RemoteGPU'));
  await signIn(page, TEST_ADMIN_USERNAME, TEST_ADMIN_PASSWORD);
  await page.waitForURL((u) => u.pathname === '/admin/dashboard');
  checks.push(await checkPage(page, 'admin-dashboard', 'Dashboard · RemoteGPU', 'Dashboard'));

  const pages: [string, string, string, string][] = [
    ['admin-machines', '/admin/machines', 'Machines · RemoteGPU', 'Machines'],
    ['admin-machine-detail', `/admin/machines/${allocatedId}`, `Machine ${allocatedId} · RemoteGPU`, allocatedId],
    ['admin-import', '/admin/import', 'Import machines · RemoteGPU', 'Import machines'],
    ['admin-customers', '/admin/customers', 'Customers · RemoteGPU', 'Customers'],
    ['admin-alerts', '/admin/alerts', 'Alerts · RemoteGPU', 'Alerts'],
    ['admin-audit', '/admin/audit', 'Audit log · RemoteGPU', 'Audit log'],
    ['admin-profile', '/profile', 'Profile · RemoteGPU', 'Profile'],
  ];
  for (const [name, path, title, heading] of pages) {
    await page.goto(`${url}${path}`);
    checks.push(await checkPage(page, name, title, heading));
  }

  // The form dialogs: allocate (from an idle machine) and new customer.
  await page.goto(`${url}/admin/machines/${idleId}`);
  await page.getByRole('button', { name: 'Allocate' }).click();
  await page.getByRole('dialog').getByRole('heading', { name: 'Allocate machines' }).waitFor();
  checks.push({ ...(await checkPage(page, 'admin-allocate-dialog', `Machine ${idleId} · RemoteGPU`)), dialog: true });
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await page.goto(`${url}/admin/customers`);
  await page.getByRole('button', { name: 'New customer' }).click();
  await page.getByRole('dialog').getByLabel('Company name').waitFor();
  checks.push({ ...(await checkPage(page, 'admin-customer-dialog', 'Customers · RemoteGPU')), dialog: true });

  expectDistinctTitles(checks);
  for (const dialog of checks.filter((c) => c.dialog)) expect(dialog.fields).toBeGreaterThanOrEqual(3);
  expect(checks.find((c) => c.name === 'admin-machines')!.fields).toBeGreaterThan(0);
  expect(blocked).toEqual([]);
  await context.close();
});

test('every customer page has its own title and labelled form fields', async () => {
  const { page, context, blocked } = await openLoopbackPage(browser);
  const url = portal.web.url;
  const checks: PageCheck[] = [];
  await page.goto(`${url}/login`);
  await signIn(page, ownerUsername, ownerPassword);
  await page.waitForURL((u) => u.pathname === '/change-password');
  checks.push(await checkPage(page, 'change-password', 'Change password · RemoteGPU', 'Change password'));
  const next = strongPassword();
  await page.getByLabel('Current password').fill(ownerPassword);
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('Repeat new password').fill(next);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForURL((u) => u.pathname === '/my/machines');
  await page.locator(`[data-machine="${allocatedId}"]`).waitFor();
  checks.push(await checkPage(page, 'my-machines', 'My machines · RemoteGPU', 'My machines'));

  const pages: [string, string, string, string][] = [
    ['my-machine-detail', `/my/machines/${allocatedId}`, `Machine ${allocatedId} · RemoteGPU`, allocatedId],
    ['my-keys', '/my/keys', 'SSH keys · RemoteGPU', 'SSH keys'],
    ['my-members', '/my/members', 'Members · RemoteGPU', 'Members'],
    ['customer-profile', '/profile', 'Profile · RemoteGPU', 'Profile'],
  ];
  for (const [name, path, title, heading] of pages) {
    await page.goto(`${url}${path}`);
    checks.push(await checkPage(page, name, title, heading));
  }
  expectDistinctTitles(checks);
  expect(checks.find((c) => c.name === 'my-keys')!.fields).toBeGreaterThanOrEqual(2);
  expect(blocked).toEqual([]);
  await context.close();
});
