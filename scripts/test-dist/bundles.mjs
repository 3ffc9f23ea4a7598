// Bundles a two-function browser app against the installed package with esbuild, webpack 5,
// Rollup and Vite, each with its defaults (no externals, no flags), and measures the output.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import * as esbuild from 'esbuild';
import { rollup } from 'rollup';
import { build as viteBuild } from 'vite';
import webpack from 'webpack';

/** The tiny app: two functions of the root entry; it writes its result into #out. */
export const TINY_APP = `import { matmul, tensor } from 'typegrad';
const c = matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]]));
document.getElementById('out').textContent = JSON.stringify(c.toArray());
`;
export const TINY_EXPECTED = '[[17],[39]]';

/**
 * The README's no-bundler page: the tiny app inline, resolved by an import map. Written at the
 * app's root, next to node_modules/, which the test serves as is.
 */
export function writeImportMapPage(app) {
  const importMap = {
    imports: {
      typegrad: './node_modules/typegrad/dist/index.js',
      '#platform': './node_modules/typegrad/dist/platform/browser.js',
    },
  };
  writeFileSync(
    join(app, 'index.html'),
    `<!doctype html><html><body><pre id="out">…</pre>
<script type="importmap">${JSON.stringify(importMap)}</script>
<script type="module">
${TINY_APP}</script></body></html>\n`,
  );
  return app;
}

/**
 * An app that uses the `data`, `io` and `nn` namespaces (webpack 5 once failed on them with
 * UnhandledSchemeError: a `node:` import): it must bundle, emit no asset and run in a browser.
 */
export const DATA_APP = `import { data, io, nn, random, tensor } from 'typegrad';
const set = { x: tensor([[1, 2], [3, 4], [5, 6]]), y: new Int32Array([0, 1, 2]) };
const sizes = [...data.batches(set, { batchSize: 2 })].map((b) => b.y.length);
const file = io.encodeSafetensors({ w: { shape: [2], data: new Float32Array([1, 2]) } });
const back = Array.from(io.decodeSafetensors(file).tensors.w.data);
const y = nn.dense(nn.dense.init(random.key(0), { in: 2, out: 3 }), set.x);
document.getElementById('out').textContent = JSON.stringify([sizes, back, y.shape]);
`;
export const DATA_EXPECTED = '[[2,1],[1,2],[3,3]]';

/** An app that opts in to the digits: its bundle must carry the asset (the control). */
const DIGITS_APP = `import { loadDigits } from 'typegrad/datasets/digits';
loadDigits().then((d) => { document.getElementById('out').textContent = String(d.train.n); });
`;

const html = (script) =>
  `<!doctype html><html><body><pre id="out">…</pre><script type="module" src="${script}"></script></body></html>\n`;

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

/** Gzip sizes of the emitted JavaScript and the list of emitted non-JS, non-HTML assets. */
function measure(outDir, entryFile) {
  const files = filesUnder(outDir);
  const js = files.filter((f) => f.endsWith('.js'));
  const gz = (f) => gzipSync(readFileSync(f), { level: 9 }).length;
  return {
    outDir,
    entry: relative(outDir, entryFile),
    entryGzip: gz(entryFile),
    allJsGzip: js.reduce((s, f) => s + gz(f), 0),
    jsFiles: js.length,
    assets: files
      .filter((f) => !f.endsWith('.js') && !f.endsWith('.html') && !f.endsWith('.map'))
      .map((f) => relative(outDir, f)),
  };
}

async function withEsbuild(src, out) {
  await esbuild.build({
    entryPoints: [src],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    outfile: join(out, 'main.js'),
    logLevel: 'error',
  });
  return measure(out, join(out, 'main.js'));
}

async function withWebpack(src, out) {
  const compiler = webpack({
    mode: 'production',
    target: 'web',
    context: join(src, '..'),
    entry: src,
    output: { path: out, filename: 'main.js' },
    devtool: false,
  });
  const stats = await new Promise((resolve, reject) =>
    compiler.run((err, s) => (err ? reject(err) : compiler.close(() => resolve(s)))),
  );
  if (stats.hasErrors()) throw new Error(`webpack: ${stats.toString('errors-only')}`);
  return measure(out, join(out, 'main.js'));
}

async function withRollup(src, out) {
  const bundle = await rollup({ input: src, plugins: [nodeResolve({ browser: true })], logLevel: 'silent' });
  await bundle.write({ dir: out, format: 'es', entryFileNames: 'main.js' });
  await bundle.close();
  return measure(out, join(out, 'main.js'));
}

async function withVite(src, out) {
  const root = join(src, '..');
  writeFileSync(join(root, 'index.html'), html('./main.js'));
  await viteBuild({
    root,
    configFile: false,
    logLevel: 'error',
    build: { outDir: out, emptyOutDir: true, rollupOptions: { output: { entryFileNames: 'main.js' } } },
  });
  return measure(out, join(out, 'main.js'));
}

export const BUNDLERS = { esbuild: withEsbuild, webpack: withWebpack, rollup: withRollup, vite: withVite };

/** Writes an app's source into `app/src-<name>/main.js` with an index.html. */
function writeApp(app, name, source) {
  const dir = join(app, `src-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.js'), source);
  return join(dir, 'main.js');
}

/**
 * Bundles the tiny app with every bundler (and the digits app with Vite, as the control that
 * the asset does get emitted where it is asked for; and the data app with webpack). Each
 * output dir gets an index.html.
 */
export async function bundleAll(app) {
  const results = {};
  for (const [name, run] of Object.entries(BUNDLERS)) {
    const out = join(app, 'out', name);
    mkdirSync(out, { recursive: true });
    const r = await run(writeApp(app, name, TINY_APP), out);
    writeFileSync(join(out, 'index.html'), html('./main.js'));
    results[name] = r;
  }
  const control = await withVite(writeApp(app, 'vite-digits', DIGITS_APP), join(app, 'out', 'vite-digits'));
  assert.ok(
    control.assets.some((a) => a.includes('digits-images')),
    `the digits app's Vite build should emit the digits asset; it emitted ${control.assets.join(', ') || 'none'}`,
  );
  const dataOut = join(app, 'out', 'webpack-data');
  const dataApp = await withWebpack(writeApp(app, 'webpack-data', DATA_APP), dataOut);
  writeFileSync(join(dataOut, 'index.html'), html('./main.js'));
  return { tiny: results, digitsControl: control, dataApp };
}
