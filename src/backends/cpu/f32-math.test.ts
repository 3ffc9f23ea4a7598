/**
 * The f32 tanh and logistic (f32-math.ts): within 1 ulp of the f32-rounded f64 functions
 * everywhere on a dense grid, equal to them almost everywhere, exact at the special values;
 * the CPU's f32 kernels (unfused and fused) use them, f64 keeps the f64 functions.
 */
import { describe, expect, it } from 'vitest';
import { jit, setBackend, sigmoid as sigmoidOp, tanh as tanhOp, tensor } from '../../index.ts';
import { logistic } from './elementwise.ts';
import { logisticF32, tanhF32 } from './f32-math.ts';

const f = new Float32Array(1);
const bits = new Int32Array(f.buffer);
/** Distance in f32 ulps (same-sign values; both rounded to f32 first). */
function ulps(a: number, b: number): number {
  f[0] = a;
  const ia = bits[0]!;
  f[0] = b;
  return Math.abs(ia - bits[0]!);
}

/** f32 arguments from -span to span, densest near 0 (sinh-spaced). */
const grid = (span: number, n: number) =>
  Array.from({ length: n }, (_, i) => Math.fround(Math.sinh(((2 * i) / (n - 1) - 1) * Math.asinh(span))));

describe('f32 tanh and logistic', () => {
  it('are within 1 ulp of the rounded f64 functions, and equal on all but a few in ten thousand', () => {
    for (const [fast, exact] of [
      [tanhF32, Math.tanh],
      [logisticF32, logistic],
    ] as const) {
      let off = 0;
      const xs = grid(120, 200_001);
      for (const x of xs) {
        const d = ulps(fast(x), exact(x));
        expect(d).toBeLessThanOrEqual(1);
        off += d;
      }
      expect(off / xs.length).toBeLessThan(1e-4);
    }
  });

  it('are exact at zeros, infinities, NaN and saturation', () => {
    expect(Object.is(tanhF32(-0), -0)).toBe(true);
    expect(Object.is(tanhF32(0), 0)).toBe(true);
    expect([tanhF32(Infinity), tanhF32(-Infinity), tanhF32(1000), tanhF32(-1000)]).toEqual([1, -1, 1, -1]);
    expect(tanhF32(Number.NaN)).toBeNaN();
    expect(tanhF32(1e-30)).toBe(1e-30);
    // below -104 the f32 result is 0 (the double is below f32's smallest denormal)
    const as32 = (xs: number[]) => xs.map((x) => Math.fround(logisticF32(x)));
    expect(as32([0, Infinity, -Infinity, 1000, -1000, -104])).toEqual([0.5, 1, 0, 1, 0, 0]);
    expect(logisticF32(Number.NaN)).toBeNaN();
  });

  it('are what the f32 kernels compute, fused and not; f64 keeps Math.tanh', async () => {
    await setBackend('cpu');
    const xs = grid(30, 999);
    const x32 = tensor(xs, [xs.length]);
    const want = (g: (v: number) => number) => xs.map((v) => Math.fround(g(v)));
    expect(Array.from(tanhOp(x32).dataSync())).toEqual(want(tanhF32));
    expect(Array.from(sigmoidOp(x32).dataSync())).toEqual(want(logisticF32));
    // fused: tanh(logistic(x)) in one generated loop
    const both = jit((t: typeof x32) => tanhOp(sigmoidOp(t)));
    expect(Array.from(both(x32).dataSync())).toEqual(want((v) => tanhF32(Math.fround(logisticF32(v)))));
    const x64 = tensor(Float64Array.from(xs), [xs.length], { dtype: 'f64' });
    expect(Array.from(tanhOp(x64).dataSync())).toEqual(xs.map(Math.tanh));
  });
});
