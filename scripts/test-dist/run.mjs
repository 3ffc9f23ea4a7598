// `npm run test:dist`: tests the package the way users get it. Builds, packs the tarball,
// installs it into a fresh temporary app and there: imports every subpath from plain Node
// (without and with the optional peers), type-checks TypeScript consumers, bundles a tiny
// browser app with esbuild, webpack, Rollup and Vite (gzip ≤ 25 KB, no dataset asset), and an
// app using the data, io and nn namespaces with webpack, and runs each bundle in headless Chromium. Prints one JSON line of measurements at the end.
// TYPEGRAD_DIST_KEEP=1 keeps the temporary app for inspection.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { install, runNode, versionIn } from './app.mjs';
import { bundleAll, DATA_EXPECTED, TINY_EXPECTED, writeImportMapPage } from './bundles.mjs';
import { runInChromium } from './chromium.mjs';
import { installPackedTarball } from './packed-app.mjs';
import { typecheckConsumers } from './typecheck.mjs';

const TINY_GZIP_LIMIT = 25 * 1024;
// Rollup does not minify without a plugin; its bundle is checked for assets and run, not sized.
const SIZED = new Set(['esbuild', 'webpack', 'vite']);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'typegrad-dist-'));
const started = performance.now();
const step = (what) =>
  console.log(`\n== test:dist: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s) ==`);

try {
  const { app, tarball } = installPackedTarball(repo, work, step);
  copyFileSync(join(repo, 'scripts', 'smoke-dist.mjs'), join(app, 'smoke-dist.mjs'));

  step('plain Node without the optional peers');
  process.stdout.write(runNode(app, ['smoke-dist.mjs', 'without-peers']));

  step('add the optional peers (fast-check, webgpu) and @types/node; plain Node again');
  const peers = ['fast-check', 'webgpu', '@types/node'].map((p) => `${p}@${versionIn(repo, p)}`);
  install(app, peers);
  process.stdout.write(runNode(app, ['smoke-dist.mjs', 'with-peers']));

  step('TypeScript consumers (skipLibCheck false; bundler and node16; ES2022 and ES2022+DOM)');
  for (const ts of ['typescript', 'typescript7']) {
    const checked = typecheckConsumers(app, join(repo, 'node_modules', ts, 'bin', 'tsc'));
    console.log(`${ts} ${versionIn(repo, ts)}: type-checked ${checked.join(', ')}`);
  }

  step('bundle the tiny app with esbuild, webpack, Rollup and Vite (webgpu installed)');
  const { tiny, digitsControl, dataApp } = await bundleAll(app);
  for (const [name, r] of Object.entries(tiny)) {
    console.log(
      `${name}: entry ${r.entry} ${r.entryGzip} B gzip; all JS ${r.allJsGzip} B gzip in ${r.jsFiles} file(s); assets: ${r.assets.join(', ') || 'none'}`,
    );
    assert.deepEqual(r.assets, [], `${name} emitted assets for an app that does not import a dataset`);
    if (SIZED.has(name))
      assert.ok(
        r.entryGzip <= TINY_GZIP_LIMIT,
        `${name}: tiny bundle is ${r.entryGzip} B gzip, over ${TINY_GZIP_LIMIT}`,
      );
  }
  console.log(
    `control (Vite, app importing typegrad/datasets/digits) emitted: ${digitsControl.assets.join(', ')}`,
  );
  console.log(`data app (webpack; data, io, nn): ${dataApp.entryGzip} B gzip`);
  assert.deepEqual(dataApp.assets, [], 'webpack emitted assets for the data app');

  step('run each bundle, and the unbundled import-map page, in headless Chromium');
  const pages = Object.fromEntries(Object.entries(tiny).map(([n, r]) => [n, r.outDir]));
  pages['import map'] = writeImportMapPage(app);
  pages['data app'] = dataApp.outDir;
  const ran = await runInChromium(pages);
  for (const [name, r] of Object.entries(ran)) {
    const want = name === 'data app' ? DATA_EXPECTED : TINY_EXPECTED;
    assert.deepEqual(r.errors, [], `${name} bundle threw in Chromium`);
    assert.equal(r.out, want, `${name} bundle computed the wrong values in Chromium`);
  }
  console.log(
    `Chromium: ${Object.keys(ran)
      .filter((n) => n !== 'data app')
      .join(', ')} printed ${TINY_EXPECTED}; the data app printed ${DATA_EXPECTED}`,
  );

  const seconds = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      bench: 'test:dist',
      seconds: Number(seconds.toFixed(1)),
      tarballBytes: tarball.size,
      tarballFiles: tarball.files.length,
      tinyEntryGzip: Object.fromEntries(Object.entries(tiny).map(([n, r]) => [n, r.entryGzip])),
      tinyAllJsGzip: Object.fromEntries(Object.entries(tiny).map(([n, r]) => [n, r.allJsGzip])),
    }),
  );
  console.log('test:dist: ok');
} finally {
  if (process.env.TYPEGRAD_DIST_KEEP) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
