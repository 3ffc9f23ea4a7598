import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Everything in data/ and io/ except node-fs.ts must load in a browser: no static import of a
// Node built-in (Node-only code lives in src/platform/node.ts, reached through the `#platform` import).
describe('browser-safe modules', () => {
  for (const dir of ['../data/', '../io/', '../datasets/']) {
    const url = new URL(dir, import.meta.url);
    const files = readdirSync(url).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'node-fs.ts',
    );
    for (const f of files) {
      it(`${dir.slice(3)}${f} has no static node: import`, () => {
        const src = readFileSync(new URL(f, url), 'utf8');
        expect(src).not.toMatch(/^\s*import\s[^;]*from\s+['"](node:|fs|path|zlib)/m);
        expect(src).not.toMatch(/\bBuffer\./);
      });
    }
  }

  it('the barrels load and export the public names', async () => {
    const data = await import('./index.ts');
    const io = await import('../io/index.ts');
    expect(typeof data.parseIdx).toBe('function');
    expect(typeof data.digitsFromIdx).toBe('function');
    expect('loadDigits' in data).toBe(false); // opt-in: typegrad/datasets/digits
    expect(typeof data.batches).toBe('function');
    expect(typeof data.buildVocab).toBe('function');
    expect(typeof io.encodeSafetensors).toBe('function');
    expect(typeof io.decodeSafetensors).toBe('function');
  });
});

// The whole library graph that the root entry and the browser subpaths reach: Node built-ins and
// the `webgpu` package (Dawn, which bundlers cannot resolve for a browser) appear only in the
// Node-only modules, so browser bundles never see them.
describe('Node-only imports stay in the Node-only modules', () => {
  // thread-pool.ts: the GEMM's worker_threads pool, imported only by platform/node.ts
  const NODE_ONLY = new Set([
    'platform/node.ts',
    'data/node-fs.ts',
    'io/node-fs.ts',
    'node.ts',
    'backends/cpu/wasm/thread-pool.ts',
  ]);
  const src = new URL('../', import.meta.url);
  const files = readdirSync(src, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !/\.test(-d)?\.ts$|bench\.ts$|test-helpers\.ts$/.test(f));
  it('finds the library sources', () => expect(files.length).toBeGreaterThan(50));
  for (const f of files.filter((f) => !NODE_ONLY.has(f))) {
    it(`${f} imports neither node: nor webgpu`, () => {
      // Comments are not imports: JSDoc examples import node:assert to check their values.
      const text = readFileSync(new URL(f, src), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      expect(text).not.toMatch(/(from\s+|import\s*\(\s*)['"](node:[^'"]+|webgpu)['"]/);
    });
  }
});
