// CI check of the browser demo page (examples/web): serves it with Vite, opens it in headless
// Chromium (the system one), waits for the reduced run to finish training, asserts the test
// accuracy and saves a screenshot. Usage: node scripts/demo-web-check.mjs [out.png]
//   TYPEGRAD_DEMO_QUERY (default 'epochs=2&backend=cpu'), TYPEGRAD_DEMO_MIN (default 0.95)
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium } from 'playwright';
import { createServer } from 'vite';

const shot = process.argv[2] ?? '.ci-artifacts/demo-web.png';
const query = process.env.TYPEGRAD_DEMO_QUERY ?? 'epochs=2&backend=cpu';
const min = Number(process.env.TYPEGRAD_DEMO_MIN ?? 0.95);
const server = await createServer({
  configFile: 'examples/web/vite.config.ts',
  logLevel: 'error',
  server: { port: 0 },
});
await server.listen();
const url = `${server.resolvedUrls.local[0]}?${query}`;
const browser = await chromium.launch({
  executablePath: process.env.TYPEGRAD_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--enable-unsafe-webgpu', '--no-first-run'],
});
const t0 = performance.now();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(
    () => document.body.dataset.accuracy !== undefined || document.title === 'error',
    null,
    {
      timeout: 540_000,
      polling: 1000,
    },
  );
  const accuracy = Number(await page.evaluate(() => document.body.dataset.accuracy));
  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      bench: 'demo:web',
      query,
      accuracy,
      seconds: Number(seconds.toFixed(1)),
      screenshot: shot,
    }),
  );
  assert.deepEqual(errors, [], 'the page threw');
  assert.ok(accuracy >= min, `test accuracy ${accuracy} < ${min}`);
} finally {
  await browser.close();
  await server.close();
}
