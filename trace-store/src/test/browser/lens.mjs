// Drives Zipkin Lens in headless Chromium: search a service, open a trace, open the dependency page.
// Usage: node lens.mjs BASE_URL SERVICE TRACE_ID SPAN_NAME SCREENSHOT_DIR
import { launch } from './browser.mjs';

const [base, service, traceId, spanName, shots] = process.argv.slice(2);
const { page, step, finish } = await launch({ name: 'lens', shots, viewport: { width: 1400, height: 900 } });

await step('lens-1-discover', async () => {
  await page.goto(base + '/zipkin/', { waitUntil: 'networkidle' });
  await page.getByText(/run query/i).first().waitFor({ timeout: 30000 });
});

await step('lens-2-search', async () => {
  // The service goes into the search bar through the URL, as a shared search link does; then Run Query.
  await page.goto(`${base}/zipkin/?serviceName=${encodeURIComponent(service)}`, { waitUntil: 'networkidle' });
  const traces = page.waitForResponse((r) => r.url().includes('/zipkin/api/v2/traces') && r.status() === 200,
    { timeout: 30000 });
  await page.getByRole('button', { name: /run query/i }).first().click();
  const body = await (await traces).json();
  if (!body.some((t) => t.some((s) => s.traceId === traceId))) throw new Error('search did not return ' + traceId);
  await page.getByText(/1 result|results/i).first().waitFor({ timeout: 30000 });
  await page.getByText(service, { exact: false }).first().waitFor({ timeout: 30000 });
});

await step('lens-3-trace', async () => {
  const link = page.locator(`a[href*="traces/${traceId}"]`).first();
  if (await link.count() > 0) {
    await link.click();
  } else {
    await page.getByText(service, { exact: false }).first().click();
    const opened = page.locator(`a[href*="traces/${traceId}"]`).first();
    if (await opened.count() > 0) await opened.click();
    else await page.goto(`${base}/zipkin/traces/${traceId}`);
  }
  await page.waitForURL(`**/zipkin/traces/${traceId}`, { timeout: 30000 });
  await page.getByText(spanName, { exact: false }).first().waitFor({ timeout: 30000 });
});

await step('lens-4-dependency', async () => {
  const deps = page.waitForResponse((r) => r.url().includes('/zipkin/api/v2/dependencies') && r.status() === 200,
    { timeout: 30000 });
  await page.goto(base + '/zipkin/dependency', { waitUntil: 'networkidle' });
  const run = page.getByRole('button', { name: /run query|search/i }).first();
  if (await run.count() > 0) await run.click();
  const links = await (await deps).json();
  if (!Array.isArray(links) || links.length === 0) throw new Error('no dependency links');
  await page.waitForTimeout(1500);
});

await finish();
