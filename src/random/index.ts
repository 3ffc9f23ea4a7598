import { currentBackend } from '../core/backend-registry.ts';
import type { DType, FloatDType } from '../core/dtype.ts';
import { fromHost } from '../core/eval.ts';
import { describeValue } from '../core/guards.ts';
import * as lax from '../core/lax.ts';
import { checkAllocation, checkDims } from '../core/limits.ts';
import { checkOptions } from '../core/options.ts';
import { withOwnedScope } from '../core/scope.ts';
import { isTensor, type Tensor } from '../core/tensor.ts';
import { checkArg, describeArg } from '../ops/coerce.ts';
import type { Mutable } from '../ops/creation.ts';
import { checkDTypeName } from '../ops/host-values.ts';
import type { Shape } from '../shapes/dim.ts';
import { threefryBits } from './threefry.ts';

/**
 * Counter-based randomness with explicit keys (JAX's design). A key is an i32[2] tensor;
 * `split` and `foldIn` derive new keys; samplers turn (key, shape) into numbers with the
 * Threefry-2x32 generator. The bits, `uniform`, `bernoulli` and `categorical` are
 * bit-identical on every backend; `normal` and `truncatedNormal` go through log/cos/sqrt
 * (erfinv), which WGSL rounds differently from the CPU's Math, so across backends they agree
 * to about 5e-6 absolute, not bit for bit (docs/architecture.md has the measurement).
 */
export type Key = Tensor<[2], 'i32'>;

/**
 * A key from an integer seed (its low and high 32 bits). The same seed gives the same numbers
 * on every run and backend.
 *
 * @param seed - A safe integer.
 * @returns An i32 `[2]` key.
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * console.log(random.key(42).toArray()); // [0, 42]
 * ```
 */
export function key(seed: number): Key {
  if (!Number.isSafeInteger(seed))
    throw new Error(
      `random.key: seed must be a safe integer, got ${typeof seed === 'number' ? seed : describeArg(seed)}`,
    );
  const lo = seed % 2 ** 32;
  const hi = Math.floor(seed / 2 ** 32);
  return fromHost(new Int32Array([hi | 0, lo | 0]), { shape: [2], dtype: 'i32' }, 'random.key') as Key;
}

function checkKey(op: string, k: Tensor): void {
  if (!isTensor(k))
    throw new Error(`${op}: the first argument must be a key from random.key(seed), got ${describeValue(k)}`);
  checkArg(op, k, 'the key');
  if (k.dtype !== 'i32' || k.shape.length !== 1 || k.shape[0] !== 2)
    throw new Error(`${op}: expected a key (i32[2]) from random.key, got ${k.describe()}`);
}

/**
 * How many keys `split` and `splitKeys` make (default 2).
 */
export interface SplitOptions {
  /**
   * The number of new keys (default 2).
   */
  readonly num?: number;
}

/**
 * `num` (default 2) new independent keys, as a `[num, 2]` tensor (index it with `take` or
 * unstack with `splitKeys`).
 *
 * @param k - A key.
 * @param opts - `num`, the number of keys.
 * @returns An i32 tensor `[num, 2]`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { random } from 'typegrad';
 * const keys = random.split(random.key(0), { num: 3 });
 * assert.deepEqual(keys.shape, [3, 2]);
 * ```
 */
export function split(k: Key, opts?: SplitOptions): Tensor<[number, 2], 'i32'> {
  checkKey('random.split', k);
  checkOptions('random.split', opts, ['num']);
  const num = opts?.num === undefined ? 2 : opts.num;
  checkNewShape('random.split', [num, 2], 'i32');
  return lax.randomBits(k, [num, 2], 0) as Tensor<[number, 2], 'i32'>;
}

/**
 * `num` (default 2) new independent keys, as a list.
 *
 * @param k - A key.
 * @param opts - `num`, the number of keys.
 * @returns `num` keys.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { random } from 'typegrad';
 * const [kInit, kData] = random.splitKeys(random.key(0));
 * assert.notDeepEqual(kInit!.toArray(), kData!.toArray());
 * assert.equal(random.splitKeys(kInit!, { num: 4 }).length, 4);
 * ```
 */
export function splitKeys(k: Key, opts?: SplitOptions): Key[] {
  checkOptions('random.splitKeys', opts, ['num']);
  const num = opts?.num === undefined ? 2 : opts.num;
  const ks = split(k, { num });
  return Array.from({ length: num }, (_, i) =>
    lax.reshape(lax.slice(ks, { start: [i, 0], limit: [i + 1, 2], stride: [1, 1] }), [2]),
  ) as Key[];
}

/**
 * A new key from a key and an integer (a step number, a layer index …): the same pair always
 * gives the same key, different integers independent ones.
 *
 * @param k - A key.
 * @param data - An integer mixed into the key.
 * @returns A new key.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { random } from 'typegrad';
 * const k = random.key(0);
 * assert.deepEqual(random.foldIn(k, 7).toArray(), random.foldIn(k, 7).toArray());
 * assert.notDeepEqual(random.foldIn(k, 7).toArray(), random.foldIn(k, 8).toArray());
 * ```
 */
export function foldIn(k: Key, data: number): Key {
  checkKey('random.foldIn', k);
  if (!Number.isInteger(data) || data < 0 || data >= 2 ** 32)
    throw new Error(`random.foldIn: data must be an integer in [0, 2^32), got ${data}`);
  // Stream 1 + data keeps fold-ins apart from split (stream 0).
  return lax.randomBits(k, [2], (data + 1) >>> 0) as Key;
}

/** A sampler's shape: valid dims and within the backend's size ceiling, checked before any work. */
function checkNewShape(op: string, shape: readonly number[], dtype: DType): void {
  checkDims(op, shape);
  checkAllocation(op, currentBackend(), { shape, dtype });
}

function checkSampleDType(op: string, dtype: unknown): FloatDType {
  const d = checkDTypeName(op, dtype) ?? 'f32';
  if (d !== 'f32' && d !== 'f64') throw new Error(`${op}: dtype must be f32 or f64, got ${d}`);
  return d;
}

function checkRange(op: string, lo: unknown, hi: unknown): void {
  for (const [name, v] of [
    ['minval', lo],
    ['maxval', hi],
  ] as const)
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new Error(`${op}: ${name} must be a finite number, got ${describeArg(v)}`);
  if (!((hi as number) > (lo as number))) throw new Error(`${op}: maxval ${hi} must exceed minval ${lo}`);
}

/** Runs a sampler's body so that its intermediates are freed when it returns (not at GC). */
function owned<T extends Tensor>(fn: () => T): T {
  return withOwnedScope(fn, (r) => [r]);
}

/**
 * The dtype option of the samplers.
 */
export interface Dist<D extends FloatDType> {
  /**
   * The float dtype of the samples (default f32).
   */
  readonly dtype?: D;
}

/**
 * Uniform samples in `[minval, maxval)` (default `[0, 1)`): the top 24 bits of each word
 * scaled to [0, 1) (exact in f32).
 *
 * @param k - A key; the same key gives the same samples.
 * @param shape - The shape of the samples.
 * @param opts - `minval`, `maxval`, `dtype`.
 * @returns A float tensor of shape `shape`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { max, min, random } from 'typegrad';
 * const u = random.uniform(random.key(0), [1000], { minval: -1, maxval: 1 });
 * assert.ok(min(u).item() >= -1 && max(u).item() < 1);
 * ```
 */
export function uniform<const S extends readonly number[], D extends FloatDType = 'f32'>(
  k: Key,
  shape: S,
  opts: Dist<D> & { readonly minval?: number; readonly maxval?: number } = {},
): Tensor<Mutable<S>, NoInfer<D>> {
  checkKey('random.uniform', k);
  checkOptions('random.uniform', opts, ['dtype', 'minval', 'maxval']);
  const dtype = checkSampleDType('random.uniform', opts.dtype);
  checkNewShape('random.uniform', shape, dtype);
  checkRange('random.uniform', opts.minval ?? 0, opts.maxval ?? 1);
  return owned(() => {
    const bits = lax.randomBits(k, shape, 0);
    return scaleUnit(bitsToUnit(bits, dtype), opts.minval ?? 0, opts.maxval ?? 1) as Tensor<Mutable<S>, D>;
  });
}

/** Maps i32 bit patterns to [0, 1) with 24 bits of resolution. */
function bitsToUnit(bits: Tensor, dtype: FloatDType): Tensor {
  // Unsigned value u = bits + 2^32 * (bits < 0); top 24 bits = floor(u / 256).
  // Done in i32 arithmetic: floor-divide by 256 of a signed value, then fix the sign.
  const hi = lax.div(bits, lax.fullLike(bits.aval, 256)); // truncates toward zero, in (-2^23, 2^23)
  const neg = lax.compare(bits, lax.fullLike(bits.aval, 0), 'lt');
  const rem = lax.sub(bits, lax.mul(hi, lax.fullLike(bits.aval, 256)));
  // For negatives, trunc rounds up; floor = hi - (rem != 0). Then add 2^24 to wrap into [0, 2^24).
  const adjust = lax.cast(lax.compare(rem, lax.fullLike(rem.aval, 0), 'ne'), 'i32');
  const floored = lax.select(neg, lax.sub(hi, adjust), hi);
  const top = lax.select(neg, lax.add(floored, lax.fullLike(bits.aval, 2 ** 24)), floored);
  return lax.mul(
    lax.cast(top, dtype),
    lax.fullLike({ shape: bits.shape as readonly number[], dtype }, 2 ** -24),
  );
}

function scaleUnit(u: Tensor, lo: number, hi: number): Tensor {
  if (!(hi > lo)) throw new Error(`random.uniform: maxval ${hi} must exceed minval ${lo}`);
  if (lo === 0 && hi === 1) return u;
  return lax.add(lax.mul(u, lax.fullLike(u.aval, hi - lo)), lax.fullLike(u.aval, lo));
}

/**
 * Normal samples, mean `mean` (0) and standard deviation `std` (1), by Box–Muller on two
 * uniform streams.
 *
 * @param k - A key; the same key gives the same samples.
 * @param shape - The shape of the samples.
 * @param opts - `mean`, `std`, `dtype`.
 * @returns A float tensor of shape `shape`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mean, random, std } from 'typegrad';
 * const z = random.normal(random.key(0), [10000], { mean: 3 });
 * assert.ok(Math.abs(mean(z).item() - 3) < 0.05 && Math.abs(std(z).item() - 1) < 0.05);
 * ```
 */
export function normal<const S extends readonly number[], D extends FloatDType = 'f32'>(
  k: Key,
  shape: S,
  opts: Dist<D> & { readonly mean?: number; readonly std?: number } = {},
): Tensor<Mutable<S>, NoInfer<D>> {
  checkKey('random.normal', k);
  checkOptions('random.normal', opts, ['dtype', 'mean', 'std']);
  const dtype = checkSampleDType('random.normal', opts.dtype);
  checkNewShape('random.normal', shape, dtype);
  return owned(() => {
    const [k1, k2] = splitKeys(k, { num: 2 }) as [Key, Key];
    const u1 = bitsToUnit(lax.randomBits(k1, shape, 0), dtype);
    const u2 = bitsToUnit(lax.randomBits(k2, shape, 0), dtype);
    // 1 - u1 is in (0, 1], so the log is finite.
    const r = lax.sqrt(lax.mul(lax.fullLike(u1.aval, -2), lax.log(lax.sub(lax.fullLike(u1.aval, 1), u1))));
    const z = lax.mul(r, lax.cos(lax.mul(u2, lax.fullLike(u2.aval, 2 * Math.PI))));
    const std = opts.std ?? 1;
    const mean = opts.mean ?? 0;
    if (std === 1 && mean === 0) return z as Tensor<Mutable<S>, D>;
    return lax.add(lax.mul(z, lax.fullLike(z.aval, std)), lax.fullLike(z.aval, mean)) as Tensor<
      Mutable<S>,
      D
    >;
  });
}

/**
 * Standard normal samples truncated to `[lower, upper]` (default [-2, 2]), by the inverse CDF
 * of a uniform on `[Φ(lower), Φ(upper)]`.
 *
 * @param k - A key; the same key gives the same samples.
 * @param shape - The shape of the samples.
 * @param opts - `lower`, `upper`, `dtype`.
 * @returns A float tensor of shape `shape`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { abs, max, random } from 'typegrad';
 * const z = random.truncatedNormal(random.key(1), [1000], { lower: -1, upper: 1 });
 * assert.ok(max(abs(z)).item() <= 1);
 * ```
 */
export function truncatedNormal<const S extends readonly number[], D extends FloatDType = 'f32'>(
  k: Key,
  shape: S,
  opts: Dist<D> & { readonly lower?: number; readonly upper?: number } = {},
): Tensor<Mutable<S>, NoInfer<D>> {
  checkKey('random.truncatedNormal', k);
  checkOptions('random.truncatedNormal', opts, ['dtype', 'lower', 'upper']);
  checkNewShape('random.truncatedNormal', shape, checkSampleDType('random.truncatedNormal', opts.dtype));
  const lower = opts.lower ?? -2;
  const upper = opts.upper ?? 2;
  if (!(upper > lower)) throw new Error(`random.truncatedNormal: upper ${upper} must exceed lower ${lower}`);
  const dtype = opts.dtype ?? 'f32';
  // Inverse CDF: u uniform in [Phi(lower), Phi(upper)], z = Phi^-1(u) via erfinv's rational approximation.
  const a = phi(lower);
  const b = phi(upper);
  return owned(() => {
    const u = scaleUnit(bitsToUnit(lax.randomBits(k, shape, 0), dtype), a, b);
    const z = probit(u);
    return lax.min(lax.max(z, lax.fullLike(z.aval, lower)), lax.fullLike(z.aval, upper)) as Tensor<
      Mutable<S>,
      D
    >;
  });
}

function phi(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7), enough for the truncation bounds.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/** The standard normal quantile, elementwise (Acklam's rational approximation, |rel error| < 1.2e-9). */
function probit(p: Tensor): Tensor {
  const k = (v: number) => lax.fullLike(p.aval, v);
  const poly = (x: Tensor, cs: number[]) =>
    cs.slice(1).reduce((acc, cc) => lax.add(lax.mul(acc, x), k(cc)), k(cs[0]!));
  const A = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const B = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572, 1,
  ];
  const C = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1];
  const lowP = 0.02425;
  const q = lax.sub(p, k(0.5));
  const r = lax.mul(q, q);
  const central = lax.div(lax.mul(poly(r, A), q), poly(r, B));
  const tailOf = (pp: Tensor) => {
    const s = lax.sqrt(lax.mul(k(-2), lax.log(pp)));
    return lax.div(poly(s, C), poly(s, D));
  };
  const lowTail = tailOf(lax.max(p, k(1e-300)));
  const highTail = lax.neg(tailOf(lax.max(lax.sub(k(1), p), k(1e-300))));
  const isLow = lax.compare(p, k(lowP), 'lt');
  const isHigh = lax.compare(p, k(1 - lowP), 'gt');
  return lax.select(isLow, lowTail, lax.select(isHigh, highTail, central));
}

/**
 * Bool samples, true with probability `p`.
 *
 * @param k - A key; the same key gives the same samples.
 * @param p - The probability of true, in [0, 1].
 * @param shape - The shape of the samples.
 * @returns A bool tensor of shape `shape`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { mean, random } from 'typegrad';
 * const b = random.bernoulli(random.key(0), 0.25, [10000]);
 * assert.ok(Math.abs(mean(b).item() - 0.25) < 0.02);
 * ```
 */
export function bernoulli<const S extends readonly number[]>(
  k: Key,
  p: number,
  shape: S,
): Tensor<Mutable<S>, 'bool'> {
  checkKey('random.bernoulli', k);
  checkNewShape('random.bernoulli', shape, 'f32');
  if (!(p >= 0 && p <= 1)) throw new Error(`random.bernoulli: p must be in [0, 1], got ${p}`);
  return owned(() => {
    const u = uniform(k, shape);
    return lax.compare(u, lax.fullLike(u.aval, p), 'lt') as Tensor<Mutable<S>, 'bool'>;
  });
}

/**
 * Samples class indices from `logits` along `axis` (default -1), by the Gumbel-max trick:
 * index i with probability `softmax(logits)[i]`.
 *
 * @param k - A key; the same key gives the same samples.
 * @param logits - Unnormalized log-probabilities, any shape.
 * @param opts - `axis`, the class axis (default -1).
 * @returns An i32 tensor of `logits`' shape without `axis`.
 *
 * @example
 * ```ts
 * import { log, random, tensor } from 'typegrad';
 * const logits = log(tensor([[0, 1, 0], [1, 0, 0]]));
 * console.log(random.categorical(random.key(0), logits).toArray()); // [1, 0]
 * ```
 */
export function categorical<S extends Shape, D extends DType>(
  k: Key,
  logits: Tensor<S, D>,
  opts: { readonly axis?: number } = {},
): Tensor<number[], 'i32'> {
  checkKey('random.categorical', k);
  checkOptions('random.categorical', opts, ['axis']);
  const axis = opts.axis ?? -1;
  const ax = axis < 0 ? axis + logits.ndim : axis;
  if (ax < 0 || ax >= logits.ndim)
    throw new Error(`random.categorical: axis ${axis} out of range for rank ${logits.ndim}`);
  return owned(() => {
    const l = logits.dtype === 'f64' ? logits : lax.cast(logits, 'f32');
    const u = bitsToUnit(lax.randomBits(k, l.shape as readonly number[], 0), l.dtype as FloatDType);
    const one = lax.fullLike(u.aval, 1);
    // Gumbel noise -log(-log(u)) with u in (0, 1).
    const uu = lax.sub(one, lax.mul(u, lax.fullLike(u.aval, 1 - 2 ** -24)));
    const g = lax.neg(lax.log(lax.neg(lax.log(uu))));
    return lax.argmax(lax.add(l, g), ax) as Tensor<number[], 'i32'>;
  });
}

/**
 * A random permutation of `0..n-1` (i32), computed on the host from the key's bits
 * (asynchronous, as reading the bits may be).
 *
 * @param k - A key; the same key gives the same permutation.
 * @param n - The number of elements.
 * @returns An i32 tensor `[n]` holding each of `0..n-1` once.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { random } from 'typegrad';
 * const p = await random.permutation(random.key(0), 5);
 * assert.deepEqual([...p.dataSync()].sort(), [0, 1, 2, 3, 4]);
 * ```
 */
export async function permutation(k: Key, n: number): Promise<Tensor<[number], 'i32'>> {
  checkKey('random.permutation', k);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`random.permutation: n must be a non-negative integer, got ${n}`);
  const kv = await k.data();
  const bits = threefryBits(kv[0]!, kv[1]!, n, 0);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = bits[i]! % (i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return fromHost(perm, { shape: [n], dtype: 'i32' }, 'random.permutation') as Tensor<[number], 'i32'>;
}
