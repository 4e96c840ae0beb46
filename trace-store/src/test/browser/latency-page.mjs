// Drives tracepipe's own page (latency-alerts, at /) in headless Chromium, with Zipkin Lens on the same server.
// Usage: node latency-page.mjs BASE_URL SLOW_HOST SCREENSHOT_DIR
import { launch } from './browser.mjs';

const [base, slowHost, shots] = process.argv.slice(2);
const { page, step, finish } = await launch({ name: 'page', shots, viewport: { width: 1600, height: 1000 } });

const wait = { timeout: 60000 };
let traceHref;
let rootService;

await step('page-1-firing', async () => {
  await page.goto(base + '/', { waitUntil: 'networkidle' });
  await page.locator('#firing tbody tr', { hasText: 'HOST_OUTLIER' }).filter({ hasText: slowHost }).first()
    .waitFor(wait);
});

await step('page-2-recent', async () => {
  // A trace alert: its trace id links to Lens, with its critical path and blame listed beside it.
  const row = page.locator('#recent tbody tr').filter({ has: page.locator('a[href^="/zipkin/traces/"]') })
    .filter({ has: page.locator('td:nth-child(6) li') }).filter({ has: page.locator('td:nth-child(7) li') }).first();
  await row.waitFor(wait);
  traceHref = await row.locator('a').first().getAttribute('href');
  if (!/^\/zipkin\/traces\/[0-9a-f]{16,32}$/.test(traceHref)) throw new Error('not a Lens trace link: ' + traceHref);
  rootService = (await row.locator('td:nth-child(3)').innerText()).split(' ')[0];
  console.log('lens-link ' + traceHref);
  console.log('critical-path ' + (await row.locator('td:nth-child(6)').innerText()).replace(/\n/g, ' | '));
  console.log('blame ' + (await row.locator('td:nth-child(7)').innerText()).replace(/\n/g, ' | '));
  await page.locator('#recent tbody tr', { hasText: 'HOST_OUTLIER' }).filter({ hasText: slowHost }).first()
    .waitFor(wait);
});

await step('page-3-operations', async () => {
  const rows = page.locator('#slowest tbody tr').filter({ has: page.locator('svg.spark polyline') });
  await rows.first().waitFor(wait);
  const cells = await rows.first().locator('td').allInnerTexts();
  // p50, p90, p99 and p99.9 are durations, e.g. "12.3 ms".
  if (!cells.slice(3, 7).every((c) => /\d( ms| s)$/.test(c))) throw new Error('percentiles missing: ' + cells);
  console.log('operation ' + cells.slice(0, 7).join(' | '));
});

await step('page-4-compare', async () => {
  // Filled from the longest-held alert (its operation by host) and refreshed with the page: the slow host first.
  await page.locator('#compare tbody tr').first().filter({ hasText: slowHost }).waitFor(wait);
  const rows = await page.locator('#compare tbody tr').count();
  if (rows < 2) throw new Error('compare lists ' + rows + ' hosts');
  console.log('compare ' + (await page.locator('#compare tbody tr').first().innerText()).replace(/\t/g, ' | '));
  await page.selectOption('#compare-by', 'service.version');
  await page.click('#compare-form button');
  await page.locator('#compare tbody tr').first().filter({ hasNotText: slowHost }).waitFor(wait);
  if (await page.locator('#compare tbody td.empty').count() > 0) throw new Error('no versions to compare');
});

await step('page-5-lens', async () => {
  await page.locator(`a[href="${traceHref}"]`).first().click();
  await page.waitForURL('**' + traceHref, wait);
  await page.getByText(rootService, { exact: false }).first().waitFor(wait);
});

await finish();
