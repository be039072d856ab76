// Headless Chromium for browser tests, with every request that does not go to 127.0.0.1 blocked and recorded.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { repoRoot } from '../support/env';

export const screenshotDir = path.join(repoRoot, 'artifacts', 'browser');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface LoopbackPage {
  context: BrowserContext;
  page: Page;
  /** URLs the page tried to load from anywhere but 127.0.0.1 (all aborted). */
  blocked: string[];
}

export async function openLoopbackPage(
  browser: Browser,
  options: { locale?: string; viewport?: { width: number; height: number }; permissions?: string[] } = {},
): Promise<LoopbackPage> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? { width: 1280, height: 800 },
    permissions: options.permissions,
  });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  return { context, page, blocked };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
