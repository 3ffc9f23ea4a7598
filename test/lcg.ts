/**
 * Deterministic pseudo-random floats in [-scale, scale) (an LCG): the tests' shared source of
 * reproducible data, free of imports so that Node tests and browser workers can both use it.
 *
 * @example
 * const a = lcg(4, 1); // the same four values on every run
 */
export function lcg(n: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}
