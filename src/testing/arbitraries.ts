import fc from 'fast-check';
import { sizeOf } from '../core/aval.ts';
import type { DType, TypedArrayFor } from '../core/dtype.ts';
import { fromHost } from '../core/eval.ts';
import type { PrimParams } from '../core/primitives.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Key } from '../random/index.ts';
import { key } from '../random/index.ts';

/**
 * fast-check arbitraries for typegrad.
 *
 * Design: arbitraries that describe tensors produce *host* values (`HostTensor`: a typed
 * array, a shape, a dtype) and no backend memory. `toTensor()` makes the tensor when the
 * property runs, so it can be created inside a `scope` and freed with it: memory stays
 * flat however many runs and shrinks fast-check tries. `arbTensor` is the convenience
 * form that yields the `Tensor` directly (made when fast-check generates the value; it is
 * then owned by the enclosing scope if any, else reclaimed by the FinalizationRegistry).
 */
type Writable<S extends readonly number[]> = { -readonly [K in keyof S]: S[K] };

/** A tensor's values on the host, no backend memory: made into a tensor by `toTensor()`. */
export interface HostTensor<S extends readonly number[] = number[], D extends DType = DType> {
  /** The dims. */
  readonly shape: Writable<S>;
  /** The element type. */
  readonly dtype: D;
  /** The values, row-major. */
  readonly data: TypedArrayFor[D];
  /** A new tensor with these values on the current backend. */
  toTensor(): Tensor<Writable<S>, D>;
}

/** The options of `arbHostTensor` and `arbTensor`. */
export interface ArbTensorOptions<D extends DType> {
  /** default 'f64' (gradient checks run in f64) */
  readonly dtype?: D;
  /** value range (inclusive); defaults -1..1 for floats, -10..10 for i32 */
  readonly min?: number;
  /** the largest value (see `min`) */
  readonly max?: number;
  /** floats only: values are kept at least this far from zero (kinks of abs, poles of log/div) */
  readonly minAbs?: number;
}

/**
 * A host tensor from its values (the data's length must match the shape).
 *
 * @param shape - The dims.
 * @param dtype - The element type.
 * @param data - The values, row-major, in `dtype`'s typed array.
 * @returns A {@link HostTensor}.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { hostTensor } from 'typegrad/testing/arbitraries';
 * const h = hostTensor([2], 'f32', new Float32Array([1, 2]));
 * assert.deepEqual(h.toTensor().toArray(), [1, 2]);
 * ```
 */
export function hostTensor<S extends readonly number[], D extends DType>(
  shape: S,
  dtype: D,
  data: TypedArrayFor[D],
): HostTensor<S, D> {
  checkShape('hostTensor', shape);
  if (data.length !== sizeOf(shape))
    throw new Error(`hostTensor: ${data.length} values for shape [${shape.join(', ')}]`);
  const sh = [...shape] as unknown as Writable<S>;
  return {
    shape: sh,
    dtype,
    data,
    toTensor: () =>
      fromHost(data.slice(), { shape: [...shape], dtype }, 'arbTensor') as Tensor<Writable<S>, D>,
  };
}

function checkShape(op: string, shape: readonly number[]): void {
  for (const d of shape)
    if (!Number.isInteger(d) || d < 0) throw new Error(`${op}: bad dim ${d} in shape [${shape.join(', ')}]`);
}

/**
 * Values of a tensor with a fixed shape, as host data (made into a tensor by `toTensor()`
 * when the property runs, so it can live inside a `scope`).
 *
 * @param shape - The dims.
 * @param opts - `dtype` (default f64), `min`, `max`, `minAbs`.
 * @returns An arbitrary of {@link HostTensor}s.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { arbHostTensor } from 'typegrad/testing/arbitraries';
 * fc.assert(
 *   fc.property(arbHostTensor([2, 3], { min: 0, max: 1 }), (h) => h.data.every((v) => v >= 0 && v <= 1)),
 *   { numRuns: 20 },
 * );
 * ```
 */
export function arbHostTensor<const S extends readonly number[], D extends DType = 'f64'>(
  shape: S,
  opts: ArbTensorOptions<D> = {},
): fc.Arbitrary<HostTensor<S, D>> {
  checkShape('arbHostTensor', shape);
  const dtype = (opts.dtype ?? 'f64') as D;
  const n = sizeOf(shape);
  if (dtype === 'bool') {
    return fc
      .array(fc.boolean(), { minLength: n, maxLength: n })
      .map((v) => hostTensor(shape, dtype, Uint8Array.from(v, (b) => (b ? 1 : 0)) as TypedArrayFor[D]));
  }
  if (dtype === 'i32') {
    const min = Math.ceil(opts.min ?? -10);
    const max = Math.floor(opts.max ?? 10);
    return fc
      .array(fc.integer({ min, max }), { minLength: n, maxLength: n })
      .map((v) => hostTensor(shape, dtype, Int32Array.from(v) as TypedArrayFor[D]));
  }
  const min = opts.min ?? -1;
  const max = opts.max ?? 1;
  if (!(min <= max)) throw new Error(`arbTensor: min ${min} exceeds max ${max}`);
  const minAbs = opts.minAbs ?? 0;
  if (minAbs > 0 && min > -minAbs && max < minAbs)
    throw new Error(`arbTensor: no value in [${min}, ${max}] has |x| >= ${minAbs}`);
  const away = (x: number): number => {
    if (Math.abs(x) >= minAbs) return x;
    const up = x >= 0 ? minAbs : -minAbs;
    if (up >= min && up <= max) return up;
    return -up;
  };
  // Doubles from a uniform integer grid: no NaN, no subnormals, few accidental ties.
  const steps = 1 << 30;
  const value = fc.integer({ min: 0, max: steps }).map((i) => away(min + ((max - min) * i) / steps));
  return fc.array(value, { minLength: n, maxLength: n }).map((v) => {
    const data = dtype === 'f32' ? Float32Array.from(v) : Float64Array.from(v);
    return hostTensor(shape, dtype, data as TypedArrayFor[D]);
  });
}

/**
 * A tensor of a fixed (typed) shape: `arbTensor([2, 3])` yields `Tensor<[2, 3], 'f64'>`.
 *
 * @param shape - The dims.
 * @param opts - `dtype` (default f64), `min`, `max`, `minAbs`.
 * @returns An arbitrary of tensors.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { abs, max } from 'typegrad';
 * import { arbTensor } from 'typegrad/testing/arbitraries';
 * fc.assert(fc.property(arbTensor([3]), (t) => max(abs(t)).item() <= 1), { numRuns: 20 });
 * ```
 */
export function arbTensor<const S extends readonly number[], D extends DType = 'f64'>(
  shape: S,
  opts: ArbTensorOptions<D> = {},
): fc.Arbitrary<Tensor<Writable<S>, D>> {
  return arbHostTensor(shape, opts).map((h) => h.toTensor());
}

/** The options of `arbShape`. */
export interface ArbShapeOptions {
  /** largest dim (default 4) */
  readonly maxDim?: number;
  /** smallest dim (default 1; 0 allows empty tensors) */
  readonly minDim?: number;
}

/**
 * A shape of the given rank (or a rank in `[min, max]`).
 *
 * @param rank - The rank, or `{ min, max }`.
 * @param opts - `minDim` (default 1) and `maxDim` (default 4).
 * @returns An arbitrary of shapes.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { arbShape } from 'typegrad/testing/arbitraries';
 * fc.assert(fc.property(arbShape({ min: 1, max: 3 }), (s) => s.length >= 1 && s.length <= 3), { numRuns: 20 });
 * ```
 */
export function arbShape(
  rank: number | { readonly min: number; readonly max: number },
  opts: ArbShapeOptions = {},
): fc.Arbitrary<number[]> {
  const dim = fc.integer({ min: opts.minDim ?? 1, max: opts.maxDim ?? 4 });
  const [lo, hi] = typeof rank === 'number' ? [rank, rank] : [rank.min, rank.max];
  return fc.array(dim, { minLength: lo, maxLength: hi });
}

/** Two shapes that broadcast (from `arbBroadcastPair`). */
export interface BroadcastPair {
  /** the first operand's shape */
  readonly a: number[];
  /** the second operand's shape */
  readonly b: number[];
  /** the broadcast result shape */
  readonly out: number[];
}

/**
 * Two shapes that broadcast together (numpy rules): from a common output shape, each drops
 * some leading dims and sets some dims to 1.
 *
 * @param opts - `maxRank` and `maxDim`.
 * @returns An arbitrary of {@link BroadcastPair}s.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import fc from 'fast-check';
 * import { add, zeros } from 'typegrad';
 * import { arbBroadcastPair } from 'typegrad/testing/arbitraries';
 * fc.assert(
 *   fc.property(arbBroadcastPair(), ({ a, b, out }) => {
 *     assert.deepEqual(add(zeros(a), zeros(b)).shape, out);
 *   }),
 *   { numRuns: 20 },
 * );
 * ```
 */
export function arbBroadcastPair(opts: { readonly maxRank?: number; readonly maxDim?: number } = {}) {
  const maxRank = opts.maxRank ?? 3;
  return arbShape({ min: 0, max: maxRank }, { maxDim: opts.maxDim ?? 4 }).chain((out) => {
    const side = fc
      .record({
        drop: fc.integer({ min: 0, max: out.length }),
        ones: fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      })
      .map(({ drop, ones }) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
    return fc.tuple(side, side).map(([a, b]): BroadcastPair => {
      const r = Math.max(a.length, b.length);
      const res = Array.from({ length: r }, (_, i) => {
        const x = a[a.length - r + i] ?? 1;
        const y = b[b.length - r + i] ?? 1;
        return x === 1 ? y : x;
      });
      return { a, b, out: res };
    });
  });
}

/** Shapes for `matmul` (from `arbMatmulPair`). */
export interface MatmulPair {
  /** the left operand's shape */
  readonly a: number[];
  /** the right operand's shape */
  readonly b: number[];
  /** the product's shape */
  readonly out: number[];
}

/**
 * Shapes for numpy matmul: `[...batchA, M, K] @ [...batchB, K, N]` with broadcastable batch
 * dims; with `vectors`, either side may be 1-d.
 *
 * @param opts - `maxBatchRank`, `maxDim`, `vectors`.
 * @returns An arbitrary of {@link MatmulPair}s.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import fc from 'fast-check';
 * import { matmul, zeros } from 'typegrad';
 * import { arbMatmulPair } from 'typegrad/testing/arbitraries';
 * fc.assert(
 *   fc.property(arbMatmulPair({ vectors: true }), ({ a, b, out }) => {
 *     assert.deepEqual(matmul(zeros(a), zeros(b)).shape, out);
 *   }),
 *   { numRuns: 20 },
 * );
 * ```
 */
export function arbMatmulPair(
  opts: { readonly maxBatchRank?: number; readonly maxDim?: number; readonly vectors?: boolean } = {},
): fc.Arbitrary<MatmulPair> {
  const maxDim = opts.maxDim ?? 5;
  const dim = fc.integer({ min: 1, max: maxDim });
  return fc
    .record({
      m: dim,
      k: dim,
      n: dim,
      batch: arbBroadcastPair({ maxRank: opts.maxBatchRank ?? 2, maxDim: 3 }),
      aVec: opts.vectors ? fc.boolean() : fc.constant(false),
      bVec: opts.vectors ? fc.boolean() : fc.constant(false),
    })
    .map(({ m, k, n, batch, aVec, bVec }) => {
      const a = aVec ? [k] : [...batch.a, m, k];
      const b = bVec ? [k] : [...batch.b, k, n];
      let out: number[];
      if (aVec && bVec) out = [];
      else if (aVec) out = [...batch.b, n];
      else if (bVec) out = [...batch.a, m];
      else out = [...batch.out, m, n];
      return { a, b, out };
    });
}

/** A convolution's shapes and `conv_general` parameters (from `arbConvConfig`). */
export interface ConvConfig {
  /** [N, C, ...spatial] */
  readonly lhs: number[];
  /** [O, C / groups, ...window] */
  readonly rhs: number[];
  /** `[N, O, ...out]`, every dim at least 1 */
  readonly out: number[];
  /** strides, padding, dilations and groups, as the `conv_general` primitive takes them */
  readonly params: PrimParams['conv_general'];
}

/** The options of `arbConvConfig`: the ranges drawn from. */
export interface ArbConvOptions {
  /** number of spatial dims (default 1 or 2) */
  readonly spatial?:
    | number
    | {
        /** the fewest spatial dims */
        readonly min: number;
        /** the most spatial dims */
        readonly max: number;
      };
  /** largest batch N */
  readonly maxBatch?: number;
  /** largest channels per group (in and out) */
  readonly maxChannels?: number;
  /** largest number of groups */
  readonly maxGroups?: number;
  /** largest window (kernel) size per axis */
  readonly maxWindow?: number;
  /** largest stride */
  readonly maxStride?: number;
  /** largest rhs (kernel) dilation */
  readonly maxDilation?: number;
  /** largest lhs (input) dilation: > 1 is a transposed convolution (default 1) */
  readonly maxLhsDilation?: number;
  /** largest padding per side */
  readonly maxPadding?: number;
  /** allow negative padding (cropping), down to -maxPadding */
  readonly negativePadding?: boolean;
}

const convOut = (size: number, win: number, s: number, lo: number, hi: number, ld: number, rd: number) => {
  const dilIn = size === 0 ? 0 : (size - 1) * ld + 1;
  const dilWin = (win - 1) * rd + 1;
  return Math.floor((dilIn + lo + hi - dilWin) / s) + 1;
};

/**
 * A `conv_general` configuration (shapes and parameters) whose output is non-empty.
 *
 * @param opts - The ranges: `spatial`, `maxBatch`, `maxChannels`, `maxGroups`, `maxWindow` …
 * @returns An arbitrary of {@link ConvConfig}s.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { arbConvConfig } from 'typegrad/testing/arbitraries';
 * fc.assert(
 *   fc.property(arbConvConfig({ spatial: 2 }), (c) => c.lhs.length === 4 && c.out.every((d) => d >= 1)),
 *   { numRuns: 20 },
 * );
 * ```
 */
export function arbConvConfig(opts: ArbConvOptions = {}): fc.Arbitrary<ConvConfig> {
  const spatial = opts.spatial ?? { min: 1, max: 2 };
  const [slo, shi] = typeof spatial === 'number' ? [spatial, spatial] : [spatial.min, spatial.max];
  const maxPad = opts.maxPadding ?? 2;
  const axis = fc.record({
    window: fc.integer({ min: 1, max: opts.maxWindow ?? 3 }),
    stride: fc.integer({ min: 1, max: opts.maxStride ?? 2 }),
    rhsD: fc.integer({ min: 1, max: opts.maxDilation ?? 2 }),
    lhsD: fc.integer({ min: 1, max: opts.maxLhsDilation ?? 1 }),
    lo: fc.integer({ min: opts.negativePadding ? -maxPad : 0, max: maxPad }),
    hi: fc.integer({ min: opts.negativePadding ? -maxPad : 0, max: maxPad }),
    extra: fc.integer({ min: 0, max: 3 }),
  });
  return fc
    .record({
      n: fc.integer({ min: 1, max: opts.maxBatch ?? 2 }),
      groups: fc.integer({ min: 1, max: opts.maxGroups ?? 2 }),
      cin: fc.integer({ min: 1, max: opts.maxChannels ?? 2 }),
      cout: fc.integer({ min: 1, max: opts.maxChannels ?? 2 }),
      axes: fc.array(axis, { minLength: slo, maxLength: shi }),
    })
    .map(({ n, groups, cin, cout, axes }): ConvConfig => {
      const sizes = axes.map((a) => {
        // The smallest input whose (dilated, padded) extent covers the dilated window.
        const dilWin = (a.window - 1) * a.rhsD + 1;
        const need = dilWin - a.lo - a.hi; // dilated input length needed
        const minSize = need <= 1 ? 1 : Math.ceil((need - 1) / a.lhsD) + 1;
        return minSize + a.extra;
      });
      const params: PrimParams['conv_general'] = {
        strides: axes.map((a) => a.stride),
        padding: axes.map((a) => [a.lo, a.hi] as const),
        lhsDilation: axes.map((a) => a.lhsD),
        rhsDilation: axes.map((a) => a.rhsD),
        groups,
      };
      const outSp = axes.map((a, i) => convOut(sizes[i]!, a.window, a.stride, a.lo, a.hi, a.lhsD, a.rhsD));
      return {
        lhs: [n, cin * groups, ...sizes],
        rhs: [cout * groups, cin, ...axes.map((a) => a.window)],
        out: [n, cout * groups, ...outSp],
        params,
      };
    });
}

/**
 * A PRNG key from a random seed (`random.key`).
 *
 * @returns An arbitrary of keys.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { random } from 'typegrad';
 * import { arbKey } from 'typegrad/testing/arbitraries';
 * fc.assert(fc.property(arbKey(), (k) => random.uniform(k, [4]).size === 4), { numRuns: 10 });
 * ```
 */
export function arbKey(): fc.Arbitrary<Key> {
  return fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((seed) => key(seed));
}

/**
 * A seed for `random.key` (no tensor is made).
 *
 * @returns An arbitrary of safe non-negative integers.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { arbSeed } from 'typegrad/testing/arbitraries';
 * fc.assert(fc.property(arbSeed(), (s) => Number.isSafeInteger(s) && s >= 0), { numRuns: 20 });
 * ```
 */
export function arbSeed(): fc.Arbitrary<number> {
  return fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
}
