// The built portal in headless Chromium: the login page renders with a title and labelled fields, the
// language switch changes the labels at runtime, the default language follows the browser, guarded pages
// send signed-out users to the login page, and nothing is loaded from outside 127.0.0.1 (fonts and icons
// are self-hosted).
import type { Browser } from 'playwright-core';
import { launchBrowser, openLoopbackPage, screenshot } from './browser';
import { WebServer, ensureWebBuild, startWebServer } from './web-server';

jest.setTimeout(120_000);

let browser: Browser;
let web: WebServer;

beforeAll(async () => {
  await ensureWebBuild();
  web = await startWebServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
});

test('login page renders with a title and labelled fields, and the language switch changes the labels', async () => {
  const { page, context, blocked } = await openLoopbackPage(browser, { locale: 'en-US' });
  await page.goto(`${web.url}/login`);

  await expectText(page.getByRole('heading', { level: 1 }), 'Sign in to RemoteGPU');
  expect(await page.title()).toBe('Sign in · RemoteGPU');
  await page.getByLabel('Username').waitFor();
  await page.getByLabel('Password', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();

  await page.getByTestId('language-menu').click();
  await page.locator('[data-lang="zh-CN"]').click();

  await expectText(page.getByRole('heading', { level: 1 }), '登录 RemoteGPU');
  await page.getByLabel('用户名').waitFor();
  await page.getByLabel('密码', { exact: true }).waitFor();
  await page.getByRole('button', { name: '登录' }).waitFor();
  expect(await page.evaluate<string>('document.documentElement.lang')).toBe('zh-CN');
  expect(await page.getByLabel('Username').count()).toBe(0);

  // The choice survives a reload (stored locally).
  await page.reload();
  await page.getByLabel('用户名').waitFor();

  // The self-hosted icon font and Roboto really loaded from this server (no Google Fonts).
  await page.waitForFunction(
    `(() => {
      const loaded = [...document.fonts].filter((face) => face.status === 'loaded').map((face) => face.family);
      return loaded.some((f) => f.includes('Material Icons')) && loaded.some((f) => f.includes('Roboto'));
    })()`,
  );
  expect(blocked).toEqual([]);
  await screenshot(page, 'login-zh-CN');
  await context.close();
});

test('the default language follows the browser', async () => {
  const { page, context, blocked } = await openLoopbackPage(browser, { locale: 'zh-CN' });
  await page.goto(`${web.url}/login`);
  await expectText(page.getByRole('heading', { level: 1 }), '登录 RemoteGPU');
  expect(blocked).toEqual([]);
  await context.close();
});

test('a guarded page sends a signed-out user to the login page with the return URL', async () => {
  const { page, context } = await openLoopbackPage(browser);
  await page.goto(`${web.url}/admin/machines`);
  await page.waitForURL((url) => url.pathname === '/login');
  expect(new URL(page.url()).searchParams.get('returnUrl')).toBe('/admin/machines');
  await page.getByLabel('Username').waitFor();
  await context.close();
});

test('a failed sign-in shows the API message and stays on the login page', async () => {
  const { page, context } = await openLoopbackPage(browser, { viewport: { width: 390, height: 800 } });
  await page.goto(`${web.url}/login`);
  await page.getByLabel('Username').fill('nobody');
  await page.getByLabel('Password', { exact: true }).fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // No API runs behind this static server: it answers with an error envelope whose msg must be shown.
  await expectText(page.getByTestId('login-error'), 'API not running in this test');
  expect(new URL(page.url()).pathname).toBe('/login');
  await screenshot(page, 'login-error-narrow');
  await context.close();
});

async function expectText(locator: import('playwright-core').Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
  expect((await locator.first().textContent())?.trim()).toBe(text);
}
