import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadSafetensors,
  readSafetensorsFile,
  saveSafetensors,
  writeFileAtomic,
  writeFileAtomicSync,
  writeSafetensorsFile,
} from './node-fs.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'typegrad-io-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const params = {
  'dense.w': { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
  'dense.b': { shape: [3], data: new Float32Array(3) },
  step: { shape: [], data: Int32Array.from([41]) },
  mask: { dtype: 'BOOL' as const, shape: [2], data: Uint8Array.from([1, 0]) },
};

describe('saveSafetensors / loadSafetensors', () => {
  it('round-trips through a file and leaves no temp files', () => {
    const path = join(dir, 'model.safetensors');
    saveSafetensors(path, params, { metadata: { format: 'typegrad' } });
    const r = loadSafetensors(path);
    expect(Array.from(r.tensors['dense.w']!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.tensors['dense.w']!.shape).toEqual([2, 3]);
    expect(r.tensors.step!.dtype).toBe('I32');
    expect(Array.from(r.tensors.mask!.data)).toEqual([1, 0]);
    expect(r.metadata).toEqual({ format: 'typegrad' });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('replaces an existing file, and a failed save leaves the old one intact', () => {
    const path = join(dir, 'ckpt.safetensors');
    saveSafetensors(path, { a: { shape: [1], data: Float32Array.from([1]) } });
    saveSafetensors(path, { a: { shape: [1], data: Float32Array.from([2]) } });
    expect(Array.from(loadSafetensors(path).tensors.a!.data)).toEqual([2]);
    const before = readFileSync(path);
    expect(() => saveSafetensors(path, { a: { shape: [2], data: Float32Array.from([3]) } })).toThrow(
      'needs 2 elements',
    );
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('names the file when it cannot be read or is corrupt', () => {
    const missing = join(dir, 'missing.safetensors');
    expect(() => loadSafetensors(missing)).toThrow(
      `readSafetensors(${missing}): cannot read the file (ENOENT`,
    );
    const corrupt = join(dir, 'corrupt.safetensors');
    writeFileSync(corrupt, new Uint8Array([1, 2, 3]));
    expect(() => loadSafetensors(corrupt)).toThrow(`readSafetensors(${corrupt}): file is 3 bytes long`);
  });
});

describe('TaskEither variants', () => {
  it('write and read asynchronously', async () => {
    const path = join(dir, 'async.safetensors');
    const w = await writeSafetensorsFile(path, params)();
    expect(w._tag).toBe('Right');
    const r = await readSafetensorsFile(path)();
    expect(r._tag).toBe('Right');
    if (r._tag === 'Right') expect(Array.from(r.right.tensors.step!.data)).toEqual([41]);
  });

  it('return Left instead of throwing', async () => {
    const bad = await writeSafetensorsFile(join(dir, 'bad.safetensors'), {
      a: { shape: [2], data: new Float32Array(1) },
    })();
    expect(bad._tag).toBe('Left');
    const noDir = await writeSafetensorsFile(join(dir, 'no', 'such', 'dir.safetensors'), params)();
    expect(noDir._tag).toBe('Left');
    if (noDir._tag === 'Left')
      expect(noDir.left.message).toMatch(/^writeSafetensorsFile\(.*dir\.safetensors\): ENOENT/);
    const missing = await readSafetensorsFile(join(dir, 'missing.safetensors'))();
    expect(missing._tag).toBe('Left');
  });
});

describe('writeFileAtomic', () => {
  it('writes bytes exactly, sync and async', async () => {
    const p = join(dir, 'bytes.bin');
    writeFileAtomicSync(p, Uint8Array.from([1, 2, 3]));
    expect(Array.from(readFileSync(p))).toEqual([1, 2, 3]);
    await writeFileAtomic(p, Uint8Array.from([4, 5]));
    expect(Array.from(readFileSync(p))).toEqual([4, 5]);
    expect(() => writeFileAtomicSync(join(dir, 'nope', 'x.bin'), new Uint8Array(1))).toThrow(
      /writeFileAtomic\(/,
    );
  });
});
