import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Everything in data/ and io/ except node-fs.ts must load in a browser: no static import of a
// Node built-in (digits.ts may import node:fs/promises dynamically, only for file: URLs).
describe('browser-safe modules', () => {
  for (const dir of ['../data/', '../io/']) {
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
    expect(typeof data.loadDigits).toBe('function');
    expect(typeof data.batches).toBe('function');
    expect(typeof data.buildVocab).toBe('function');
    expect(typeof io.encodeSafetensors).toBe('function');
    expect(typeof io.decodeSafetensors).toBe('function');
  });
});
