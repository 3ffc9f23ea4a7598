// CI check of the browser demo page (examples/web), built against the packed tarball as a user's
// app is: builds and packs the package and installs the tarball into a fresh app
// (scripts/test-dist/packed-app.mjs), builds the page with Vite with the page's imports of the
// library's sources resolved to that installed package's entries, serves the build and opens
// it in headless Chromium (the system one, never a downloaded browser):
//   webgpu:       a short run (?backend=webgpu&steps=N) on SwiftShader's WebGPU adapter; asserts
//                 the page trains on webgpu and that the held-out loss falls;
//   cpu:          the CPU backend (?backend=cpu&epochs=2) to >= 95% test accuracy;
//   auto-disabled / auto-missing: ?backend=auto in a Chromium whose WebGPU is disabled (no
//                 --enable-unsafe-webgpu: no adapter) / missing (no navigator.gpu): the page
//                 falls back to the CPU, says so in its label, and trains (a few steps);
//   dev:          `npm run demo:web`'s dev server over the repo's sources, a few CPU steps.
// Each run saves a screenshot into the artifact folder (demo-web-<run>.png) and prints a JSON
// line. Usage: node scripts/demo-web-check.mjs [artifact-dir] [run…] (default .ci-artifacts,
// every run). TYPEGRAD_CHROMIUM: the browser (default /usr/bin/chromium); TYPEGRAD_DEMO_ADAPTER:
// Chromium's --use-webgpu-adapter (default swiftshader; 'default' for the machine's GPU);
// TYPEGRAD_DEMO_TIMEOUT: seconds per run (default 400).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { build, createServer } from 'vite';
import { serve } from './test-dist/chromium.mjs';
import { installPackedTarball } from './test-dist/packed-app.mjs';

/** A few steps of 32 on 192 digits, scored on 64: enough to see the loss fall. */
const REDUCED = 'steps=6&batch=32&train=192&test=64&points=2';
const fellLoss = (r) =>
  assert.ok(r.lossEnd < 0.8 * r.lossStart, `the loss did not fall: ${r.lossStart} -> ${r.lossEnd}`);

const RUNS = {
  webgpu: {
    // SwiftShader runs WebGPU on the CPU: a few small steps
    browser: 'webgpu',
    query: `backend=webgpu&${REDUCED}`,
    backend: 'webgpu',
    why: /asked for/,
    check: fellLoss,
  },
  cpu: {
    browser: 'webgpu',
    query: 'backend=cpu&epochs=2',
    backend: 'cpu',
    why: /asked for/,
    check: (r) => assert.ok(r.accuracy >= 0.95, `test accuracy ${r.accuracy} < 0.95`),
  },
  'auto-disabled': {
    browser: 'plain', // navigator.gpu exists, requestAdapter() gives null
    query: `backend=auto&${REDUCED}`,
    backend: 'cpu',
    why: /fallback: WebGPU failed/,
    check: fellLoss,
  },
  'auto-missing': {
    browser: 'plain',
    hideWebGpu: true, // as a browser without WebGPU: no navigator.gpu at all
    query: `backend=auto&${REDUCED}`,
    backend: 'cpu',
    why: /fallback: this browser has no WebGPU/,
    check: fellLoss,
  },
  dev: {
    // `npm run demo:web` as developers run it: Vite's dev server over the repo's sources
    browser: 'plain',
    server: 'dev',
    query: `backend=cpu&${REDUCED}`,
    backend: 'cpu',
    why: /asked for/,
    check: fellLoss,
  },
};

const [dir = '.ci-artifacts', ...only] = process.argv.slice(2);
const runs = only.length ? only : Object.keys(RUNS);
for (const name of runs) if (!(name in RUNS)) throw new Error(`demo-web-check: unknown run '${name}'`);
const TIMEOUT_MS = Number(process.env.TYPEGRAD_DEMO_TIMEOUT ?? 400) * 1000;
const adapter = process.env.TYPEGRAD_DEMO_ADAPTER ?? 'swiftshader';
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const started = performance.now();
const step = (what) =>
  console.log(`== demo-web-check: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s) ==`);

/** The package entry each library source stands for (scripts/package-entries.json, reversed). */
const ENTRY_OF_SOURCE = new Map(
  Object.entries(JSON.parse(readFileSync(join(repo, 'scripts', 'package-entries.json'), 'utf8'))).map(
    ([entry, source]) => [join(repo, source), entry],
  ),
);

/**
 * A Vite plugin: the page's imports of the library's entry sources (`../../src/index.ts`)
 * resolve to the package installed in `app`, through its `exports` and `imports` (`#platform`
 * → the browser side) as in a user's app. Any other import of the sources is an error: the
 * page may use only what the package exports (type-only imports are erased before this).
 */
function fromInstalledPackage(app, resolvedEntries) {
  const src = join(repo, 'src');
  return {
    name: 'typegrad-from-installed-package',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer || !(source.startsWith('./') || source.startsWith('../'))) return null;
      const target = resolve(dirname(importer), source);
      if (relative(src, target).startsWith('..')) return null;
      const entry = ENTRY_OF_SOURCE.get(target);
      if (!entry)
        throw new Error(
          `demo-web-check: ${relative(repo, importer)} imports ${relative(repo, target)}, which is not a package entry (${[...ENTRY_OF_SOURCE.values()].join(', ')})`,
        );
      // an importer that exists: Vite resolves from the root (the repo: itself, dist/) otherwise
      const resolved = await this.resolve(entry, join(app, 'package.json'), { skipSelf: true });
      if (!resolved) throw new Error(`demo-web-check: '${entry}' does not resolve in ${app}`);
      resolvedEntries.set(entry, relative(app, resolved.id));
      return resolved;
    },
  };
}

/** `npm run demo:web`'s server (examples/web/vite.config.ts: the repo's sources), on a free port. */
async function devServer(cacheDir) {
  const server = await createServer({
    configFile: join(repo, 'examples', 'web', 'vite.config.ts'),
    cacheDir, // a fresh dependency cache, nothing written into the repo's node_modules/
    logLevel: 'error',
    server: { port: 0, host: '127.0.0.1' },
  });
  await server.listen();
  return { url: server.resolvedUrls.local[0].replace(/\/$/, ''), close: () => server.close() };
}

function launch(kind) {
  const webgpuFlags = [
    '--enable-unsafe-webgpu',
    ...(adapter === 'default' ? [] : [`--use-webgpu-adapter=${adapter}`]),
  ];
  return chromium.launch({
    executablePath: process.env.TYPEGRAD_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      ...(kind === 'webgpu' ? webgpuFlags : []),
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens the page for one run, waits until it finished (or failed), screenshots it, checks it. */
async function check(browser, url, name) {
  const run = RUNS[name];
  const t0 = performance.now();
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (run.hideWebGpu) await page.addInitScript(() => delete Navigator.prototype.gpu);
  try {
    await page.goto(`${url}?${run.query}`);
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
      query: run.query,
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
    // the page must train on the expected backend, and say so (and why) where users see it
    assert.equal(r.backend, run.backend, `the page trained on ${r.backend}, not ${run.backend}`);
    assert.match(label ?? '', new RegExp(`training on: ${run.backend}\\b`));
    assert.match(label ?? '', run.why);
    run.check(r);
  } finally {
    await page.close();
  }
}

const work = mkdtempSync(join(tmpdir(), 'typegrad-demo-web-'));
let failed = 0;
try {
  const { app } = installPackedTarball(repo, work, step);
  step('build the demo page with Vite against the installed package');
  const out = join(work, 'page');
  const resolvedEntries = new Map();
  await build({
    root: join(repo, 'examples', 'web'),
    configFile: false,
    cacheDir: join(work, 'vite-cache'), // nothing written into the repo's node_modules/
    logLevel: 'error',
    plugins: [fromInstalledPackage(app, resolvedEntries)],
    build: { outDir: out, emptyOutDir: true },
  });
  // the page's library code is the tarball's: its two entries, from the app's node_modules/
  assert.deepEqual(Object.fromEntries(resolvedEntries), {
    typegrad: join('node_modules', 'typegrad', 'dist', 'index.js'),
    'typegrad/datasets/digits': join('node_modules', 'typegrad', 'dist', 'datasets', 'digits.js'),
  });
  console.log(`the page imports ${[...resolvedEntries].map(([e, f]) => `${e} (${f})`).join(', ')}`);
  mkdirSync(dir, { recursive: true });
  const servers = { built: await serve(out) };
  const browsers = {};
  try {
    for (const name of runs) {
      step(`run ${name}`);
      const { browser: kind, server = 'built' } = RUNS[name];
      browsers[kind] ??= await launch(kind);
      servers[server] ??= await devServer(join(work, 'vite-dev-cache'));
      try {
        await check(browsers[kind], servers[server].url, name);
      } catch (e) {
        failed++;
        console.error(`demo-web-check ${name}: ${e instanceof Error ? e.message : e}`);
      }
    }
  } finally {
    for (const b of Object.values(browsers)) await b.close();
    for (const s of Object.values(servers)) await s.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
step(failed ? `${failed} run(s) failed` : 'ok');
process.exitCode = failed ? 1 : 0;
