import { describe, expect, it } from 'vitest';
import { jit, random, type Tensor, tensor, zeros } from '../index.ts';
import { randomAffine, randomCrop, randomFlip, randomShift } from './augment.ts';

const ramp = (n: number, c: number, h: number, w: number) =>
  tensor(
    Float32Array.from({ length: n * c * h * w }, (_, i) => i + 1),
    [n, c, h, w],
  );

/** The (dy, dx) with out[i][j] = src[i + dy][j + dx] (0 outside), or undefined. */
function findShift(src: Float32Array, out: Float32Array, h: number, w: number, m: number) {
  for (let dy = -m; dy <= m; dy++)
    for (let dx = -m; dx <= m; dx++) {
      let ok = true;
      for (let i = 0; i < h && ok; i++)
        for (let j = 0; j < w && ok; j++) {
          const si = i + dy;
          const sj = j + dx;
          const v = si >= 0 && si < h && sj >= 0 && sj < w ? src[si * w + sj]! : 0;
          ok = out[i * w + j] === v;
        }
      if (ok) return [dy, dx];
    }
  return undefined;
}

describe('data.augment.randomShift', () => {
  it('a fixed key gives fixed shifts (recorded values)', () => {
    const out = randomShift(random.key(0), ramp(2, 1, 4, 4), { maxShift: 1 });
    expect(out.shape).toEqual([2, 1, 4, 4]);
    expect([...out.dataSync()]).toEqual([
      6, 7, 8, 0, 10, 11, 12, 0, 14, 15, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 18, 19, 20, 0, 22, 23, 24, 0, 26, 27,
      28, 0,
    ]);
  });

  it('each image is its input moved by whole pixels within maxShift, every channel alike', () => {
    const [n, c, h, w] = [16, 2, 6, 5];
    const x = ramp(n, c, h, w);
    const out = randomShift(random.key(7), x, { maxShift: 2 }).dataSync() as Float32Array;
    const src = x.dataSync() as Float32Array;
    const seen = new Set<string>();
    for (let k = 0; k < n; k++) {
      const shifts = [0, 1].map((ch) => {
        const o = (k * c + ch) * h * w;
        return findShift(src.subarray(o, o + h * w), out.subarray(o, o + h * w), h, w, 2);
      });
      expect(shifts[0]).toBeDefined();
      expect(shifts[1]).toEqual(shifts[0]);
      seen.add(String(shifts[0]));
    }
    expect(seen.size).toBeGreaterThan(5); // images draw their own offsets
  });

  it('runs inside jit with the same values, and maxShift 0 is the identity', () => {
    const x = ramp(3, 1, 5, 5);
    const f = jit((k: random.Key, b: Tensor<[number, number, number, number]>) =>
      randomShift(k, b, { maxShift: 2 }),
    );
    expect([...f(random.key(3), x).dataSync()]).toEqual([
      ...randomShift(random.key(3), x, { maxShift: 2 }).dataSync(),
    ]);
    expect(randomShift(random.key(3), x, { maxShift: 0 })).toBe(x);
  });
});

describe('data.augment.randomCrop', () => {
  it('crops a window of the padded image at a fixed key (recorded values)', () => {
    const out = randomCrop(random.key(3), ramp(2, 1, 4, 4), [3, 3], { pad: 1 });
    expect(out.shape).toEqual([2, 1, 3, 3]);
    expect([...out.dataSync()]).toEqual([0, 0, 0, 0, 1, 2, 0, 5, 6, 0, 0, 0, 17, 18, 19, 21, 22, 23]);
  });

  it('without padding every window lies inside the image', () => {
    const x = ramp(32, 1, 6, 6);
    const out = randomCrop(random.key(1), x, [4, 4]).dataSync();
    for (let k = 0; k < 32; k++) {
      const tl = out[k * 16]! - 1 - k * 36; // the window's top-left input index
      const [r, c] = [Math.floor(tl / 6), tl % 6];
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThanOrEqual(2);
      expect(c).toBeLessThanOrEqual(2);
      for (let i = 0; i < 4; i++)
        for (let j = 0; j < 4; j++) expect(out[k * 16 + i * 4 + j]).toBe(k * 36 + (r + i) * 6 + (c + j) + 1);
    }
  });
});

describe('data.augment.randomFlip', () => {
  it('mirrors along W: p 1 always, p 0 never, p 0.5 some', () => {
    const x = ramp(1, 2, 1, 3);
    expect([...randomFlip(random.key(0), x, { p: 1 }).dataSync()]).toEqual([3, 2, 1, 6, 5, 4]);
    expect(randomFlip(random.key(0), x, { p: 0 })).toBe(x);
    const many = randomFlip(random.key(5), ramp(200, 1, 1, 2)).dataSync();
    let flipped = 0;
    for (let k = 0; k < 200; k++) if (many[2 * k]! > many[2 * k + 1]!) flipped++;
    expect(flipped).toBeGreaterThan(70);
    expect(flipped).toBeLessThan(130);
  });
});

describe('data.augment.randomAffine', () => {
  it('is the identity with no rotation, zoom or translation (both interpolations)', () => {
    const x = ramp(2, 3, 5, 4);
    const opts = { degrees: 0, scale: [1, 1], translate: 0 } as const;
    expect([...randomAffine(random.key(0), x, opts).dataSync()]).toEqual([...x.dataSync()]);
    expect([...randomAffine(random.key(0), x, { ...opts, interpolation: 'nearest' }).dataSync()]).toEqual([
      ...x.dataSync(),
    ]);
  });

  it('a fixed key gives fixed output (recorded values, nearest)', () => {
    const x = ramp(1, 1, 4, 4);
    const y = randomAffine(random.key(0), x, {
      degrees: 90,
      scale: [1, 1],
      translate: 0,
      interpolation: 'nearest',
    });
    expect([...y.dataSync()]).toEqual([13, 9, 5, 1, 14, 10, 6, 2, 15, 11, 7, 3, 16, 12, 8, 4]);
  });

  it('bilinear translation of a ramp shifts its values by the (sub-pixel) offset', () => {
    // x[i][j] = j: a translation by tx reads j - tx, the same for every interior pixel
    const n = 6;
    const x = tensor(
      Float32Array.from({ length: n * 8 * 8 }, (_, i) => i % 8),
      [n, 1, 8, 8],
    );
    const y = randomAffine(random.key(2), x, { degrees: 0, scale: [1, 1], translate: 2 }).dataSync();
    const offsets = new Set<number>();
    for (let k = 0; k < n; k++) {
      const d = y[k * 64 + 3 * 8 + 4]! - 4;
      expect(Math.abs(d)).toBeLessThanOrEqual(2);
      for (const j of [3, 4, 5]) expect(y[k * 64 + 3 * 8 + j]! - j).toBeCloseTo(d, 5);
      offsets.add(Math.round(d * 1000));
    }
    expect(offsets.size).toBe(n);
  });

  it('runs inside jit with the same values', () => {
    const x = ramp(2, 1, 6, 6);
    const f = jit((k: random.Key, b: Tensor<[number, number, number, number]>) => randomAffine(k, b));
    const eager = [...randomAffine(random.key(4), x).dataSync()];
    const jitted = [...f(random.key(4), x).dataSync()];
    expect(jitted).toEqual(eager);
  });
});

describe('data.augment bad input', () => {
  const k = random.key(0);
  const x = zeros([2, 1, 4, 4]);
  const bad = (f: () => unknown, msg: RegExp) => expect(f).toThrow(msg);

  it('names the function and the value', () => {
    bad(() => randomShift(k, [1, 2] as never), /randomShift: images must be a tensor \[N, C, H, W\], got/);
    bad(
      () => randomShift(k, zeros([4, 4]) as never),
      /randomShift: images must be a float tensor \[N, C, H, W\], got f32\[4, 4\]/,
    );
    bad(
      () => randomFlip(k, zeros([1, 1, 2, 2], { dtype: 'i32' }) as never),
      /randomFlip: images must be a float tensor/,
    );
    bad(
      () => randomShift(7 as never, x),
      /randomShift: the first argument must be a key from random.key\(seed\), got the number 7/,
    );
    bad(
      () => randomShift(k, x, { maxShift: 1.5 }),
      /randomShift: maxShift must be an integer in \[0, 3\], got the number 1.5/,
    );
    bad(() => randomShift(k, x, { maxShift: 4 }), /maxShift must be an integer in \[0, 3\]/);
    bad(
      () => randomShift(k, x, { pad: 1 } as never),
      /randomShift: unknown option 'pad' \(known options: maxShift\)/,
    );
    bad(
      () => randomCrop(k, x, [7, 2], { pad: 1 }),
      /randomCrop: size\[0\] must be an integer in \[1, 6\], got the number 7/,
    );
    bad(() => randomCrop(k, x, 3 as never), /randomCrop: size must be \[h, w\], got the number 3/);
    bad(() => randomFlip(k, x, { p: 2 }), /randomFlip: p must be a number in \[0, 1\], got the number 2/);
    bad(
      () => randomAffine(k, x, { scale: [1.2, 0.9] }),
      /randomAffine: scale must be \[lo, hi\] with 0 < lo <= hi/,
    );
    bad(
      () => randomAffine(k, x, { interpolation: 'cubic' as never }),
      /interpolation must be 'nearest' or 'bilinear', got the string 'cubic'/,
    );
    bad(
      () => randomAffine(k, x, { degrees: Number.NaN }),
      /randomAffine: degrees must be a number in \[0, 180\], got the number NaN/,
    );
  });
});
