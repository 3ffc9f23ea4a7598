import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx } from './idx.ts';
import {
  DEBIAN_FASHION_MNIST_DIR,
  loadDigitsSync,
  loadIdxFile,
  loadMnistFormat,
  readIdxFile,
  readMnistFormat,
} from './node-fs.ts';

let dir: string;
const p = (name: string) => join(dir, name);

/** Writes a tiny MNIST-format set: n images of 2×3 with pixel value (i*6+k)*5, labels i % 10. */
function writeSet(sub: string, n: number, gz: boolean): string {
  const out = mkdtempSync(join(dir, `${sub}-`));
  const write = (name: string, bytes: Uint8Array) => {
    writeFileSync(join(out, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes);
  };
  const px = Uint8Array.from({ length: n * 6 }, (_, i) => (i * 5) % 256);
  const ys = Uint8Array.from({ length: n }, (_, i) => i % 10);
  write('train-images-idx3-ubyte', encodeIdx({ dtype: 'uint8', shape: [n, 2, 3], data: px }));
  write('train-labels-idx1-ubyte', encodeIdx({ dtype: 'uint8', shape: [n], data: ys }));
  write('t10k-images-idx3-ubyte', encodeIdx({ dtype: 'uint8', shape: [1, 2, 3], data: px.subarray(0, 6) }));
  write('t10k-labels-idx1-ubyte', encodeIdx({ dtype: 'uint8', shape: [1], data: new Uint8Array([7]) }));
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'typegrad-idx-'));
  const a = encodeIdx({ dtype: 'int16', shape: [3], data: new Int16Array([-1, 0, 300]) });
  writeFileSync(p('a.idx'), a);
  writeFileSync(p('a.idx.gz'), gzipSync(a));
  writeFileSync(p('truncated.idx'), a.subarray(0, a.length - 1));
  const gz = gzipSync(a);
  writeFileSync(p('truncated.idx.gz'), gz.subarray(0, gz.length - 10));
  writeFileSync(p('bad-magic.idx'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadIdxFile / readIdxFile', () => {
  it('reads raw and gzipped files', async () => {
    for (const f of ['a.idx', 'a.idx.gz']) {
      const a = loadIdxFile(p(f));
      expect(a.dtype).toBe('int16');
      expect(Array.from(a.data)).toEqual([-1, 0, 300]);
      const r = await readIdxFile(p(f))();
      expect(r._tag).toBe('Right');
      if (r._tag === 'Right') expect(Array.from(r.right.data)).toEqual([-1, 0, 300]);
    }
  });

  it('names the file for truncated, corrupt and missing files', async () => {
    expect(() => loadIdxFile(p('truncated.idx'))).toThrow(
      `readIdx(${p('truncated.idx')}): truncated: expected 6 data bytes after the header (shape [3] of int16), found 5`,
    );
    expect(() => loadIdxFile(p('truncated.idx.gz'))).toThrow(
      `readIdx(${p('truncated.idx.gz')}): gzip data is corrupt or truncated`,
    );
    expect(() => loadIdxFile(p('bad-magic.idx'))).toThrow(
      `readIdx(${p('bad-magic.idx')}): bad magic: the first two bytes must be 0x00 0x00, found 0x89 0x50`,
    );
    expect(() => loadIdxFile(p('nope.idx'))).toThrow(
      `readIdx(${p('nope.idx')}): cannot read the file (ENOENT`,
    );
    const r = await readIdxFile(p('truncated.idx'))();
    expect(r._tag).toBe('Left');
    if (r._tag === 'Left') expect(r.left.message).toMatch(/^readIdxFile\(.*truncated\.idx\): truncated/);
    const m = await readIdxFile(p('nope.idx'))();
    expect(m._tag).toBe('Left');
  });
});

describe('loadMnistFormat / readMnistFormat', () => {
  it('loads gzipped and raw sets with scaled images and int32 labels', async () => {
    for (const gz of [true, false]) {
      const d = writeSet(gz ? 'gz' : 'raw', 12, gz);
      const ds = loadMnistFormat(d);
      expect(ds.classes).toBe(10);
      expect(ds.train.n).toBe(12);
      expect(ds.train.shape).toEqual([12, 1, 2, 3]);
      expect(ds.train.images.length).toBe(72);
      expect(ds.train.images[1]).toBeCloseTo(5 / 255, 7);
      expect(ds.train.images[51]).toBeCloseTo(255 / 255, 7);
      expect(Array.from(ds.train.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
      expect(ds.train.labels).toBeInstanceOf(Int32Array);
      expect(ds.test.shape).toEqual([1, 1, 2, 3]);
      expect(Array.from(ds.test.labels)).toEqual([7]);
      const r = await readMnistFormat(d)();
      expect(r._tag).toBe('Right');
      if (r._tag === 'Right') expect(Array.from(r.right.train.images)).toEqual(Array.from(ds.train.images));
    }
  });

  it('reports a missing file, a count mismatch and a bad label', async () => {
    const d = writeSet('broken', 3, true);
    rmSync(join(d, 't10k-labels-idx1-ubyte.gz'));
    expect(() => loadMnistFormat(d)).toThrow(
      `loadMnistFormat(${d}): missing t10k-labels-idx1-ubyte or t10k-labels-idx1-ubyte.gz (the directory holds:`,
    );
    const r = await readMnistFormat(d)();
    expect(r._tag).toBe('Left');
    writeFileSync(
      join(d, 't10k-labels-idx1-ubyte.gz'),
      gzipSync(encodeIdx({ dtype: 'uint8', shape: [2], data: new Uint8Array([1, 2]) })),
    );
    expect(() => loadMnistFormat(d)).toThrow(
      /t10k-labels-idx1-ubyte\.gz\): has 2 labels but .* has 1 images/,
    );
    writeFileSync(
      join(d, 't10k-labels-idx1-ubyte.gz'),
      gzipSync(encodeIdx({ dtype: 'uint8', shape: [1], data: new Uint8Array([12]) })),
    );
    expect(() => loadMnistFormat(d)).toThrow(/label 12 at index 0 is outside \[0, 10\)/);
    expect(() => loadMnistFormat(p('no-such-dir'))).toThrow(
      /loadMnistFormat\(.*no-such-dir\): cannot read the directory/,
    );
  });
});

describe('loadDigitsSync', () => {
  it('loads the embedded digits', () => {
    const ds = loadDigitsSync();
    expect(ds.train.shape).toEqual([8000, 1, 28, 28]);
    expect(ds.test.shape).toEqual([2000, 1, 28, 28]);
  });
});

describe.runIf(existsSync(join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz')))(
  'Fashion-MNIST from dataset-fashion-mnist',
  () => {
    it('loads 60,000 + 10,000 images with balanced labels', () => {
      const ds = loadMnistFormat(DEBIAN_FASHION_MNIST_DIR);
      expect(ds.train.shape).toEqual([60000, 1, 28, 28]);
      expect(ds.test.shape).toEqual([10000, 1, 28, 28]);
      // Fashion-MNIST has exactly 6,000 train and 1,000 test images per class.
      const count = (ys: Int32Array) => {
        const c = new Array<number>(10).fill(0);
        for (const y of ys) c[y]!++;
        return c;
      };
      expect(count(ds.train.labels)).toEqual(new Array(10).fill(6000));
      expect(count(ds.test.labels)).toEqual(new Array(10).fill(1000));
      // The first training example is an ankle boot (class 9), the first test one too.
      expect(ds.train.labels[0]).toBe(9);
      expect(ds.test.labels[0]).toBe(9);
    });
  },
);
