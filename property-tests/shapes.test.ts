/**
 * The run-time shape rules agree with plain reference definitions (dim by dim, by counting,
 * by enumerating window positions or slice indices), on random shapes.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  broadcastShapes,
  broadcastToShape,
  concatShape,
  convOutputSize,
  flattenShape,
  matmulShape,
  padShape,
  pool2dShape,
  reduceShape,
  reshapeShape,
  resolvePadding,
  ShapeError,
  sliceShape,
  transposeShape,
} from '../src/shapes/index.ts';

const dim = fc.integer({ min: 1, max: 4 });
const shape = (maxLength = 4) => fc.array(dim, { maxLength });
const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** `f()` or `undefined` when it throws a ShapeError (anything else is a bug). */
function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof ShapeError) return undefined;
    throw e;
  }
}

/** numpy broadcasting, dim by dim from the right; `undefined` when incompatible. */
function referenceBroadcast(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Window starts p with the whole (dilated) window inside the padded input. */
function countWindows(
  size: number,
  kernel: number,
  stride: number,
  lo: number,
  hi: number,
  dilation: number,
): number {
  let n = 0;
  for (let p = 0; p + (kernel - 1) * dilation <= size + lo + hi - 1; p += stride) n++;
  return n;
}

/** Python's s[i:j:k] on a list of length n, per the language reference, by enumeration. */
function pythonSliceLength(n: number, i: number | undefined, j: number | undefined, k: number): number {
  const adjust = (x: number | undefined, end: number) => {
    if (x === undefined) return end;
    const y = x < 0 ? x + n : x;
    return k > 0 ? Math.min(Math.max(y, 0), n) : Math.min(Math.max(y, -1), n - 1);
  };
  const start = adjust(i, k > 0 ? 0 : n - 1);
  const stop = adjust(j, k > 0 ? n : -1);
  let count = 0;
  for (let x = start; k > 0 ? x < stop : x > stop; x += k) count++;
  return count;
}

describe('run-time shape rules match reference definitions', () => {
  test('broadcast', () => {
    fc.assert(
      fc.property(shape(), shape(), (a, b) => {
        expect(attempt(() => broadcastShapes('add', a, b))).toEqual(referenceBroadcast(a, b));
      }),
    );
  });

  test('broadcastTo: reachable exactly when broadcasting to the target gives the target', () => {
    fc.assert(
      fc.property(shape(), shape(), (s, t) => {
        const viaBroadcast = referenceBroadcast(s, t);
        const reachable =
          viaBroadcast !== undefined &&
          viaBroadcast.length === t.length &&
          viaBroadcast.every((d, i) => d === t[i]);
        expect(attempt(() => broadcastToShape(s, t))).toEqual(reachable ? t : undefined);
      }),
    );
  });

  test('matmul: vectors promoted to matrices, batch dims broadcast', () => {
    fc.assert(
      fc.property(
        shape(2),
        fc.array(dim, { minLength: 1, maxLength: 2 }),
        dim,
        dim,
        dim,
        fc.boolean(),
        fc.boolean(),
        (ba, bb, m, k, n, va, vb) => {
          const a = va ? [k] : [...ba, m, k];
          const b = vb ? [k] : [...bb, k, n];
          const batch = referenceBroadcast(va ? [] : ba, vb ? [] : bb);
          const expected = batch && [...batch, ...(va ? [] : [m]), ...(vb ? [] : [n])];
          expect(attempt(() => matmulShape(a, b))).toEqual(expected);
          expect(attempt(() => matmulShape([...a.slice(0, -1), k + 1], b))).toBeUndefined();
        },
      ),
    );
  });

  test('conv output size: count window positions', () => {
    const small = fc.integer({ min: 0, max: 6 });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        small,
        small,
        fc.integer({ min: 1, max: 3 }),
        (size, kernel, stride, lo, hi, dilation) => {
          const count = countWindows(size, kernel, stride, lo, hi, dilation);
          const got = attempt(() => convOutputSize(size, kernel, stride, lo, hi, dilation));
          expect(got).toEqual(count === 0 ? undefined : count);
        },
      ),
    );
  });

  test("'same' padding gives ceil(in / stride) outputs, extra padding at the end", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        (size, kernel, stride, dilation) => {
          const [[lo, hi]] = resolvePadding('same', [size], [kernel], [stride], [dilation]) as [
            [number, number],
          ];
          expect(hi - lo === 0 || hi - lo === 1).toBe(true);
          expect(countWindows(size, kernel, stride, lo, hi, dilation)).toBe(Math.ceil(size / stride));
        },
      ),
    );
  });

  test('pooling: count window positions, stride defaulting to the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 2 }),
        (h, w, window, pad) => {
          const got = attempt(() => pool2dShape('maxPool2d', [2, 3, h, w], { window, padding: pad }));
          const rows = countWindows(h, window, window, pad, pad, 1);
          const cols = countWindows(w, window, window, pad, pad, 1);
          expect(got).toEqual(rows === 0 || cols === 0 ? undefined : [2, 3, rows, cols]);
        },
      ),
    );
  });

  test('reshape: element counts, -1 inferred', () => {
    fc.assert(
      fc.property(shape(), shape(), fc.nat(4), (s, t, hole) => {
        expect(attempt(() => reshapeShape(s, t)) !== undefined).toBe(product(s) === product(t));
        if (hole < t.length) {
          const withHole = t.map((d, i) => (i === hole ? -1 : d));
          const rest = product(t) / t[hole]!;
          const got = attempt(() => reshapeShape(s, withHole));
          expect(got).toEqual(
            product(s) % rest === 0 ? t.map((d, i) => (i === hole ? product(s) / rest : d)) : undefined,
          );
        }
      }),
    );
  });

  test('slice: Python semantics by enumeration', () => {
    const bound = fc.option(fc.integer({ min: -12, max: 12 }), { nil: undefined });
    const step = fc.integer({ min: -4, max: 4 }).filter((k) => k !== 0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), bound, bound, step, (n, start, stop, k) => {
        const spec = {
          ...(start === undefined ? {} : { start }),
          ...(stop === undefined ? {} : { stop }),
          step: k,
        };
        expect(sliceShape([n], [spec])).toEqual([pythonSliceLength(n, start, stop, k)]);
      }),
    );
    // A few values checked against CPython.
    expect(sliceShape([10], [{ start: 8, stop: 1, step: -3 }])).toEqual([3]); // len(range(10)[8:1:-3])
    expect(sliceShape([5], [{ start: -100, stop: 100, step: 2 }])).toEqual([3]);
    expect(sliceShape([5], [{ start: 3, stop: -100, step: -1 }])).toEqual([4]);
  });

  test('transpose: out[i] = s[perm[i]] when perm is a permutation', () => {
    fc.assert(
      fc.property(shape(), fc.array(fc.integer({ min: -4, max: 4 }), { maxLength: 4 }), (s, perm) => {
        const normalized = perm.map((p) => (p < 0 ? p + s.length : p));
        const isPermutation =
          perm.length === s.length &&
          [...normalized].sort().every((p, i) => p === i) &&
          perm.every((p) => p >= -s.length);
        expect(attempt(() => transposeShape(s, perm))).toEqual(
          isPermutation ? normalized.map((p) => s[p]) : undefined,
        );
      }),
    );
  });

  test('reduce: drops (or keeps as 1) exactly the named axes', () => {
    fc.assert(
      fc.property(
        shape(),
        fc.array(fc.integer({ min: -4, max: 3 }), { maxLength: 3 }),
        fc.boolean(),
        (s, axes, keepdims) => {
          const normalized = axes.map((a) => (a < 0 ? a + s.length : a));
          const valid =
            normalized.every((a) => a >= 0 && a < s.length) && new Set(normalized).size === axes.length;
          const expected = valid
            ? s.flatMap((d, i) => (normalized.includes(i) ? (keepdims ? [1] : []) : [d]))
            : undefined;
          expect(attempt(() => reduceShape('sum', s, axes, keepdims).shape)).toEqual(expected);
        },
      ),
    );
  });

  test('concat: axis dims add up, the others must agree', () => {
    fc.assert(
      fc.property(
        fc.array(dim, { minLength: 1, maxLength: 3 }),
        fc.array(dim, { minLength: 1, maxLength: 4 }),
        fc.nat(2),
        (s, sizes, axis) => {
          const a = axis % s.length;
          const shapes = sizes.map((n) => s.map((d, i) => (i === a ? n : d)));
          expect(concatShape('concat', shapes, a)).toEqual(
            s.map((d, i) => (i === a ? sizes.reduce((x, y) => x + y) : d)),
          );
        },
      ),
    );
  });

  test('flatten and pad by counting', () => {
    fc.assert(
      fc.property(fc.array(dim, { minLength: 1, maxLength: 4 }), fc.nat(3), fc.nat(3), (s, i, j) => {
        const [a, b] = [Math.min(i, j) % s.length, Math.max(i, j) % s.length].sort();
        const got = flattenShape(s, a, b);
        expect(product(got)).toBe(product(s));
        expect(got.length).toBe(s.length - (b! - a!));
        const widths = s.map((_, k): [number, number] => [k, i]);
        expect(padShape(s, widths)).toEqual(s.map((d, k) => d + k + i));
      }),
    );
  });
});
