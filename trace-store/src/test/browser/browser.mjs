// What every browser script shares: headless Debian Chromium through playwright-core, steps that screenshot the page
// and, when one fails, print the page's text and stop with exit code 1.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function launch({ name, shots, viewport }) {
  mkdirSync(shots, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), name + '-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const failures = [];
  page.on('pageerror', (e) => failures.push('page error: ' + e.message));
  page.on('response', (r) => { if (r.status() >= 500) failures.push(`${r.status()} ${r.url()}`); });

  async function step(stepName, action) {
    try {
      await action();
      await page.screenshot({ path: join(shots, stepName + '.png'), fullPage: true });
      console.log('ok ' + stepName);
    } catch (e) {
      await page.screenshot({ path: join(shots, stepName + '-failed.png'), fullPage: true }).catch(() => {});
      const text = (await page.locator('body').innerText().catch(() => '')).slice(0, 3000);
      console.error(`failed ${stepName}: ${e.message}\npage text:\n${text}\n${failures.join('\n')}`);
      await context.close();
      process.exit(1);
    }
  }

  // Errors seen along the way (a page error, a 5xx) fail the run even when every step passed.
  async function finish() {
    if (failures.length > 0) {
      console.error(failures.join('\n'));
      await context.close();
      process.exit(1);
    }
    await context.close();
  }

  return { page, step, finish };
}
