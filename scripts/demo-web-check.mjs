// CI check of the browser demo page (examples/web): serves it with Vite, opens it in headless
// Chromium (the system one, never a downloaded browser) and runs it twice:
//   webgpu: a short run (?backend=webgpu&steps=N) on SwiftShader's WebGPU adapter; asserts the
//           page trains on webgpu and that the held-out loss falls;
//   cpu:    the CPU backend (?backend=cpu&epochs=2) to >= 95% test accuracy.
// Each run saves a screenshot into the artifact folder (demo-web-webgpu.png, demo-web-cpu.png)
// and prints a JSON line. Usage: node scripts/demo-web-check.mjs [artifact-dir] [run…]
//   (default .ci-artifacts, both runs). TYPEGRAD_CHROMIUM: the browser (default /usr/bin/chromium);
//   TYPEGRAD_DEMO_ADAPTER: Chromium's --use-webgpu-adapter (default swiftshader; 'default' for
//   the machine's GPU); TYPEGRAD_DEMO_TIMEOUT: seconds per run (default 400).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { createServer } from 'vite';

const RUNS = {
  webgpu: {
    // SwiftShader runs WebGPU on the CPU: a few small steps, scored on 64 held-out digits
    query: 'backend=webgpu&steps=6&batch=32&train=192&test=64&points=2',
    check: (r) =>
      assert.ok(r.lossEnd < 0.8 * r.lossStart, `the loss did not fall: ${r.lossStart} -> ${r.lossEnd}`),
  },
  cpu: {
    query: 'backend=cpu&epochs=2',
    check: (r) => assert.ok(r.accuracy >= 0.95, `test accuracy ${r.accuracy} < 0.95`),
  },
};

const [dir = '.ci-artifacts', ...only] = process.argv.slice(2);
const runs = only.length ? only : Object.keys(RUNS);
for (const name of runs) if (!(name in RUNS)) throw new Error(`demo-web-check: unknown run '${name}'`);
const TIMEOUT_MS = Number(process.env.TYPEGRAD_DEMO_TIMEOUT ?? 400) * 1000;
const adapter = process.env.TYPEGRAD_DEMO_ADAPTER ?? 'swiftshader';

// A fresh dependency cache, as on a new CI machine (and nothing written into node_modules/).
const cacheDir = mkdtempSync(join(tmpdir(), 'typegrad-demo-vite-'));
const server = await createServer({
  configFile: 'examples/web/vite.config.ts',
  cacheDir,
  logLevel: 'error',
  server: { port: 0, host: '127.0.0.1' },
});
await server.listen();
const browser = await chromium.launch({
  executablePath: process.env.TYPEGRAD_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--enable-unsafe-webgpu',
    ...(adapter === 'default' ? [] : [`--use-webgpu-adapter=${adapter}`]),
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
mkdirSync(dir, { recursive: true });

/** Opens the page for one run, waits until it finished (or failed), screenshots it, checks it. */
async function check(name) {
  const { query, check } = RUNS[name];
  const t0 = performance.now();
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${server.resolvedUrls.local[0]}?${query}`);
    // on a timeout, still screenshot and report where the page got to
    const finished = await page
      .waitForFunction(() => 'accuracy' in document.body.dataset || 'error' in document.body.dataset, null, {
        timeout: TIMEOUT_MS,
        polling: 1000,
      })
      .then(
        () => true,
        () => false,
      );
    const shot = join(dir, `demo-web-${name}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    const d = await page.evaluate(() => ({ ...document.body.dataset }));
    const label = await page.textContent('#backend');
    const r = {
      bench: 'demo:web',
      run: name,
      query,
      backend: d.backend,
      label,
      lossStart: Number(d.lossStart),
      lossEnd: Number(d.lossEnd),
      accuracy: Number(d.accuracy),
      seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
      screenshot: shot,
      status: await page.textContent('#status'),
    };
    console.log(JSON.stringify(r));
    assert.ok(finished, `the page did not finish in ${TIMEOUT_MS / 1000} s`);
    assert.equal(d.error, undefined, `the page failed: ${d.error}`);
    assert.deepEqual(errors, [], 'the page threw');
    // the page must train on the backend asked for, and say so where users see it
    assert.equal(r.backend, name, `the page trained on ${r.backend}, not ${name}`);
    assert.match(label ?? '', new RegExp(`training on: ${name}\\b`));
    check(r);
  } finally {
    await page.close();
  }
}

let failed = 0;
try {
  for (const name of runs) {
    try {
      await check(name);
    } catch (e) {
      failed++;
      console.error(`demo-web-check ${name}: ${e instanceof Error ? e.message : e}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(cacheDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
