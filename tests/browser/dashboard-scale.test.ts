// The admin dashboard with a fleet of 1,000 machines (inserted straight into this file's scratch database:
// 8 GPUs each with their last readings, a day of 1-minute utilisation roll-ups every 10 minutes, some
// active alerts): its first render — from the start of the navigation to the stat cards showing the API's
// figures and the utilisation chart drawn — takes under 2 s, measured in the page on cold loads (a new
// browser context each time: nothing cached).
import type { Browser } from 'playwright-core';
import { TEST_ADMIN_PASSWORD, TEST_ADMIN_USERNAME, bearer } from '../support/api-server';
import { uniqueSuffix } from '../support/env';
import { launchBrowser, openLoopbackPage, screenshot } from './browser';
import { PortalEnv, startPortal } from './portal-env';

jest.setTimeout(180_000);

const FLEET = 1000;
const FIRST_RENDER_BUDGET_MS = 2000;
const prefix = uniqueSuffix('ds').toLowerCase();
/** Blue line/area pixels in the column at 90 % of the chart's width (the trend spans the whole last day). */
const CHART_REACHES_NOW = `(() => {
  const canvas = document.querySelector('rg-line-chart canvas');
  const pixels = canvas.getContext('2d').getImageData(Math.floor(canvas.width * 0.9), 0, 1, canvas.height).data;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 0 && pixels[i + 2] > pixels[i] + 40) return true;
  return false;
})()`;
let portal: PortalEnv;
let browser: Browser;

beforeAll(async () => {
  portal = await startPortal({ machineIdPrefix: prefix });
  browser = await launchBrowser();
  const sql = (query: string, params: unknown[] = []) => portal.api.em().getConnection().execute(query, params);
  // Machines n = 1..1000 on 10.x addresses (never contacted): 80 % online, a fifth of them allocated-looking.
  await sql(
    `insert into machines (id, name, region, ip, gpu_model, gpu_count, gpu_memory_gb, status, allocation_status,
                           health_status, last_heartbeat_at)
     select ? || '-' || lpad(n::text, 4, '0'), 'gpu-' || lpad(n::text, 4, '0'),
            (array['bj', 'sh', 'gz', 'sz'])[1 + n % 4],
            '10.' || (n / 250) || '.' || (n % 250) || '.' || (1 + n % 7),
            'NVIDIA H100 80GB HBM3', 8, 80,
            case when n % 5 = 0 then 'offline' else 'online' end,
            case when n % 5 = 1 then 'allocated' when n % 50 = 2 then 'maintenance' else 'idle' end,
            'healthy', now() - (n % 30) * interval '1 second'
     from generate_series(1, ?) n`,
    [prefix, FLEET],
  );
  await sql(
    `insert into gpu_devices (machine_id, gpu_index, uuid, model, memory_mb, last_util, last_mem_used_mb, last_temp)
     select m.id, g, 'GPU-' || m.id || '-' || g, m.gpu_model, 81559, (random() * 100)::real, 1024, 40 + g
     from machines m cross join generate_series(0, 7) g where m.id like ? || '-%'`,
    [prefix],
  );
  // One 1-minute roll-up row (whole machine: gpu_index null) every 10 minutes over the last day.
  await sql(
    `insert into metric_samples (machine_id, gpu_index, ts, resolution, gpu_util, gpu_mem_used_mb, gpu_temp)
     select m.id, null, date_trunc('minute', now()) - k * interval '10 minutes', '1m',
            (50 + 40 * sin(k / 12.0))::real, 2048, 45
     from machines m cross join generate_series(1, 143) k where m.id like ? || '-%'`,
    [prefix],
  );
  await sql(
    `insert into alerts (machine_id, kind, severity, status, message)
     select id, 'gpu_temperature_high', 'warning', 'active', 'GPU temperature above 85 °C on ' || name
     from machines where id like ? || '-%' and status = 'online' order by id limit 12`,
    [prefix],
  );
  await sql('analyze');
});

afterAll(async () => {
  await browser?.close();
  await portal?.close();
});

test(`the dashboard's first render with ${FLEET} machines takes under ${FIRST_RENDER_BUDGET_MS} ms`, async () => {
  const token = await portal.api.loginAdmin();
  const stats = (await portal.api.request.get('/api/v1/admin/dashboard/stats').set(bearer(token)).expect(200)).body
    .data as { total_machines: number; active_alerts: number };
  expect(stats.total_machines).toBeGreaterThanOrEqual(FLEET);
  const trend = (
    await portal.api.request.get('/api/v1/admin/dashboard/gpu-trend?range=24h').set(bearer(token)).expect(200)
  ).body.data as { points: unknown[] };
  expect(trend.points.length).toBeGreaterThan(100);

  // Sign in once through the page; every measured load starts from that stored session in a new context.
  const first = await openLoopbackPage(browser);
  await first.page.goto(`${portal.web.url}/login`);
  await first.page.getByLabel('Username').fill(TEST_ADMIN_USERNAME);
  await first.page.getByLabel('Password', { exact: true }).fill(TEST_ADMIN_PASSWORD);
  await first.page.getByRole('button', { name: 'Sign in' }).click();
  await first.page.waitForURL((url) => url.pathname === '/admin/dashboard');
  const session = await first.page.evaluate<string | null>("localStorage.getItem('remotegpu.session')");
  expect(session).toBeTruthy();
  await first.context.close();

  const total = new Intl.NumberFormat('en').format(stats.total_machines);
  const alerts = new Intl.NumberFormat('en').format(stats.active_alerts);
  // Polled on every animation frame inside the page; answers the times since the navigation started at which
  // the stat cards showed the API's figures and (the end of the first render) the chart was drawn as well.
  const rendered = `(() => {
    const text = (key) => document.querySelector('[data-stat="' + key + '"]')?.textContent?.trim();
    const cards = text('total_machines') === ${JSON.stringify(total)} && text('active_alerts') === ${JSON.stringify(alerts)};
    if (cards && !window.__cardsAt) window.__cardsAt = performance.now();
    const canvas = document.querySelector('rg-line-chart canvas');
    const drawn = canvas && canvas.width > 0 && canvas.height > 0 && canvas.getBoundingClientRect().height > 0;
    return cards && drawn ? [window.__cardsAt, performance.now()] : 0;
  })()`;

  const timings: number[] = [];
  const details: string[] = [];
  for (let run = 0; run < 3; run++) {
    const { page, context, blocked } = await openLoopbackPage(browser);
    await context.addInitScript(`localStorage.setItem('remotegpu.session', ${JSON.stringify(session)})`);
    await page.goto(`${portal.web.url}/admin/dashboard`, { waitUntil: 'commit' });
    const handle = await page.waitForFunction(rendered, undefined, { polling: 'raf', timeout: 30_000 });
    const [cardsAt, renderedAt] = ((await handle.jsonValue()) as number[]).map(Math.round);
    timings.push(renderedAt);
    details.push(`${renderedAt} ms (stat cards at ${cardsAt} ms)`);
    expect(new URL(page.url()).pathname).toBe('/admin/dashboard');
    expect(await page.locator('.stats mat-card').count()).toBe(8);
    expect(blocked).toEqual([]);
    if (run === 2) {
      // For the screenshot, let the line's drawing animation reach the present (right end of the day).
      await page.waitForFunction(CHART_REACHES_NOW, undefined, { timeout: 10_000 });
      await screenshot(page, 'dashboard-1000-machines');
    }
    await context.close();
  }
  console.log(
    `dashboard first render with ${stats.total_machines} machines (cold loads, navigation start → stat cards ` +
      `and chart): ${details.join(', ')}`,
  );
  // The median of three cold loads: on 2 cores shared with other test files running in parallel, one
  // load can be held up by a neighbour; the median is what the page itself costs.
  const median = [...timings].sort((a, b) => a - b)[1];
  expect(median).toBeLessThan(FIRST_RENDER_BUDGET_MS);
});
