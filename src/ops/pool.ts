/**
 * Pooling in 1, 2 and 3 dimensions over the trailing axes (NC…), with PyTorch's semantics.
 * Max pooling is the `window_max` primitive, whose tangent is gathered at `window_argmax`
 * (the first maximum of each window, row-major), so its gradient goes entirely to that
 * element, as PyTorch's kernel sends it. Average pooling
 * is separable: one [out, in] averaging matrix per axis, contracted in turn, which expresses
 * padding, `ceilMode`, `countIncludePad` and adaptive windows exactly; windows that tile the
 * input take a reshape and a sum instead.
 */
import type { DType } from '../core/dtype.ts';
import { allocArray, isFloat } from '../core/dtype.ts';
import { fromHost } from '../core/eval.ts';
import * as lax from '../core/lax.ts';
import { checkOptions } from '../core/options.ts';
import type { WindowParams } from '../core/primitives.ts';
import type { Tensor } from '../core/tensor.ts';
import type { AxisTaps } from '../core/window.ts';
import { axisTaps } from '../core/window.ts';
import type { Checked, Shape } from '../shapes/dim.ts';
import type {
  AdaptivePool2d,
  AdaptivePool2dCheck,
  Pool1d,
  Pool1dCheck,
  Pool2d,
  Pool2dCheck,
  Pool3d,
  Pool3dCheck,
  PoolOptions,
} from '../shapes/pool.ts';
import { adaptivePoolShape, poolShape } from '../shapes/pool.ts';
import type { PerAxis } from '../shapes/spatial.ts';
import { axisValues, resolvePadding } from '../shapes/spatial.ts';
import { checkArg, describeArg } from './coerce.ts';
import { checkPoolOptions } from './spatial-options.ts';

type Dims = readonly number[];

/** Max pooling options: window, stride (default: the window), padding, dilation, ceilMode. */
export type MaxPoolOptions = PoolOptions;

/** Average pooling options: `countIncludePad` (default true, as PyTorch) divides by the padded window size. */
export interface AvgPoolOptions extends Omit<PoolOptions, 'dilation'> {
  /** Divide by the window size including padding (default true, as PyTorch); false: by the taps inside the input. */
  readonly countIncludePad?: boolean;
}

const MAX_KEYS = ['window', 'stride', 'padding', 'dilation', 'ceilMode'];
const AVG_KEYS = ['window', 'stride', 'padding', 'ceilMode', 'countIncludePad'];

/** The input, the option keys (a misspelt option must not be ignored) and their values. */
function checkKeys(op: string, x: Tensor, opts: object, known: readonly string[]): void {
  checkArg(op, x, 'x');
  if (typeof opts !== 'object' || opts === null) throw new Error(`${op}: options must be an object`);
  checkOptions(op, opts, known);
  checkPoolOptions(op, opts);
}

/** The window_argmax parameters for the options (after the shape check). */
function windowParams(op: string, x: Dims, opts: PoolOptions, nsp: number): WindowParams {
  const out = poolShape(op, x, opts, nsp).slice(x.length - nsp);
  const window = axisValues(op, 'window', opts.window, nsp, 1);
  const strides = axisValues(op, 'stride', opts.stride ?? opts.window, nsp, 1);
  const dilation = axisValues(op, 'dilation', opts.dilation, nsp, 1);
  const padding = resolvePadding(opts.padding, x.slice(x.length - nsp), window, strides, dilation, op);
  padding.forEach(([lo, hi], i) => {
    // As PyTorch: a window must overlap the input, so padding is at most half the window.
    if (lo < 0 || hi < 0 || lo > window[i]! / 2 || hi > window[i]! / 2)
      throw new Error(`${op}: padding [${lo}, ${hi}] must be between 0 and half the window ${window[i]}`);
  });
  return { out, window, strides, padding: padding.map((p) => p[0]), dilation, adaptive: false };
}

function maxPoolN(op: string, x: Tensor, opts: PoolOptions, nsp: number): Tensor {
  checkKeys(op, x, opts, MAX_KEYS);
  return gatherArgmax(x, windowParams(op, x.shape as Dims, opts, nsp));
}

/** Each window's first maximum; its gradient flows to exactly that element (`window_max`'s jvp). */
function gatherArgmax(x: Tensor, p: WindowParams): Tensor {
  return lax.windowMax(x, p);
}

/** [out, in] matrix averaging each window's taps with weight 1 / divisor[o]. */
function averagingMatrix(t: AxisTaps, divisor: (o: number) => number, dtype: DType, op: string): Tensor {
  const m = allocArray(dtype, t.out * t.size);
  for (let o = 0; o < t.out; o++) {
    const w = 1 / divisor(o);
    for (let j = 0, i = t.first[o]!; j < t.count[o]!; j++, i += t.step) m[o * t.size + i] = w;
  }
  return fromHost(m, { shape: [t.out, t.size], dtype }, op);
}

/** Contracts the spatial axes with one matrix each; each result axis lands at the end, so the order is kept. */
function contractAxes(x: Tensor, mats: readonly Tensor[]): Tensor {
  const lead = x.ndim - mats.length;
  return mats.reduce(
    (acc, m) => lax.dotGeneral(acc, m, { lhsContract: [lead], rhsContract: [1], lhsBatch: [], rhsBatch: [] }),
    x,
  );
}

function needFloat(op: string, x: Tensor): void {
  if (!isFloat(x.dtype)) throw new Error(`${op}: needs a float tensor, got ${x.dtype}`);
}

function avgPoolN(op: string, x: Tensor, opts: AvgPoolOptions, nsp: number): Tensor {
  checkKeys(op, x, opts, AVG_KEYS);
  needFloat(op, x);
  const p = windowParams(op, x.shape as Dims, opts, nsp);
  const spatial = (x.shape as Dims).slice(x.ndim - nsp);
  const lead = (x.shape as Dims).slice(0, x.ndim - nsp);
  if (
    spatial.every(
      (n, i) => p.padding[i] === 0 && p.strides[i] === p.window[i] && n === p.out[i]! * p.window[i]!,
    )
  ) {
    // Windows that tile the input: a reshape and one sum.
    const tiled = lax.reshape(x, [...lead, ...p.out.flatMap((o, i) => [o, p.window[i]!])]);
    const s = lax.reduceSum(
      tiled,
      p.out.map((_, i) => lead.length + 2 * i + 1),
    );
    return lax.div(
      s,
      lax.fullLike(
        s.aval,
        p.window.reduce((a, b) => a * b, 1),
      ),
    );
  }
  const includePad = opts.countIncludePad ?? true;
  const padding = resolvePadding(opts.padding, spatial, p.window, p.strides, p.dilation, op);
  const mats = spatial.map((n, i) => {
    const t = axisTaps(p, i, n);
    const k = p.window[i]!;
    const hi = padding[i]![1];
    // PyTorch: the divisor counts the window inside input + padding (count_include_pad) or inside the input.
    const padded = (o: number) => {
      const start = o * p.strides[i]! - p.padding[i]!;
      return Math.min(start + k, n + hi) - start;
    };
    return averagingMatrix(t, includePad ? padded : (o) => t.count[o]!, x.dtype, op);
  });
  return contractAxes(x, mats);
}

function adaptiveParams(op: string, x: Tensor, size: PerAxis, nsp: number): WindowParams {
  checkArg(op, x, 'x');
  const sizes: readonly unknown[] = Array.isArray(size) ? size : [size];
  for (const s of sizes)
    if (typeof s !== 'number')
      throw new Error(`${op}: outputSize must be a number or an array of numbers, got ${describeArg(size)}`);
  const out = adaptivePoolShape(op, x.shape as Dims, size, nsp).slice(x.ndim - nsp);
  const none = out.map(() => 1);
  return { out, window: none, strides: none, padding: none.map(() => 0), dilation: none, adaptive: true };
}

/**
 * 2-d max pooling over the last two axes (NCHW), PyTorch's `max_pool2d`: stride defaults to
 * the window, padding reads as -inf, `dilation` spaces the taps, `ceilMode` keeps a last
 * partial window. The gradient goes to the first maximum of each window (row-major).
 *
 * @param x - The input, `[..., H, W]` (usually `[N, C, H, W]`).
 * @param opts - `window` (required), `stride`, `padding`, `dilation`, `ceilMode`.
 * @returns `[..., H', W']`, e.g. `[N, C, 28, 28]` → `[N, C, 14, 14]` for `window: 2`.
 *
 * @example
 * ```ts
 * import { maxPool2d, tensor } from 'typegrad';
 * const x = tensor([[[[1, 2, 5, 6], [3, 4, 7, 0]]]]); // [1, 1, 2, 4]
 * console.log(maxPool2d(x, { window: 2 }).toArray()); // [[[[4, 7]]]]
 * ```
 */
export function maxPool2d<X extends Shape, D extends DType, const O extends MaxPoolOptions>(
  x: Tensor<X, D>,
  opts: Checked<O, Pool2dCheck<'maxPool2d', X, O>>,
): Tensor<Pool2d<X, O>, D> {
  return maxPoolN('maxPool2d', x, opts as O, 2) as never;
}

/**
 * 1-d max pooling over the last axis (NCL); options as `maxPool2d`.
 *
 * @param x - The input, `[..., L]` (usually `[N, C, L]`).
 * @param opts - `window` (required), `stride`, `padding`, `dilation`, `ceilMode`.
 * @returns `[..., L']`.
 *
 * @example
 * ```ts
 * import { maxPool1d, tensor } from 'typegrad';
 * console.log(maxPool1d(tensor([[[1, 3, 2, 5, 4]]]), { window: 2 }).toArray()); // [[[3, 5]]]
 * ```
 */
export function maxPool1d<X extends Shape, D extends DType, const O extends MaxPoolOptions>(
  x: Tensor<X, D>,
  opts: Checked<O, Pool1dCheck<'maxPool1d', X, O>>,
): Tensor<Pool1d<X, O>, D> {
  return maxPoolN('maxPool1d', x, opts as O, 1) as never;
}

/**
 * 3-d max pooling over the last three axes (NCDHW); options as `maxPool2d`.
 *
 * @param x - The input, `[..., D, H, W]`.
 * @param opts - `window` (required), `stride`, `padding`, `dilation`, `ceilMode`.
 * @returns `[..., D', H', W']`.
 *
 * @example
 * ```ts
 * import { arange, maxPool3d, reshape } from 'typegrad';
 * const x = reshape(arange(8, { dtype: 'f32' }), [1, 1, 2, 2, 2]);
 * console.log(maxPool3d(x, { window: 2 }).toArray()); // [[[[[7]]]]]
 * ```
 */
export function maxPool3d<X extends Shape, D extends DType, const O extends MaxPoolOptions>(
  x: Tensor<X, D>,
  opts: Checked<O, Pool3dCheck<'maxPool3d', X, O>>,
): Tensor<Pool3d<X, O>, D> {
  return maxPoolN('maxPool3d', x, opts as O, 3) as never;
}

/**
 * 2-d average pooling over the last two axes, PyTorch's `avg_pool2d`: padding counts as zeros
 * in the divisor unless `countIncludePad: false`; `ceilMode` keeps a last partial window (its
 * overhang past the padding is never counted).
 *
 * @param x - The input, `[..., H, W]` (usually `[N, C, H, W]`).
 * @param opts - `window` (required), `stride`, `padding`, `ceilMode`, `countIncludePad`.
 * @returns `[..., H', W']`.
 *
 * @example
 * ```ts
 * import { avgPool2d, tensor } from 'typegrad';
 * const x = tensor([[[[1, 2, 5, 6], [3, 4, 7, 0]]]]); // [1, 1, 2, 4]
 * console.log(avgPool2d(x, { window: 2 }).toArray()); // [[[[2.5, 4.5]]]]
 * ```
 */
export function avgPool2d<X extends Shape, D extends DType, const O extends AvgPoolOptions>(
  x: Tensor<X, D>,
  opts: Checked<O, Pool2dCheck<'avgPool2d', X, O>>,
): Tensor<Pool2d<X, O>, D> {
  return avgPoolN('avgPool2d', x, opts as O, 2) as never;
}

/**
 * 1-d average pooling over the last axis; options as `avgPool2d`.
 *
 * @param x - The input, `[..., L]` (usually `[N, C, L]`).
 * @param opts - `window` (required), `stride`, `padding`, `ceilMode`, `countIncludePad`.
 * @returns `[..., L']`.
 *
 * @example
 * ```ts
 * import { avgPool1d, tensor } from 'typegrad';
 * console.log(avgPool1d(tensor([[[1, 3, 2, 6]]]), { window: 2 }).toArray()); // [[[2, 4]]]
 * ```
 */
export function avgPool1d<X extends Shape, D extends DType, const O extends AvgPoolOptions>(
  x: Tensor<X, D>,
  opts: Checked<O, Pool1dCheck<'avgPool1d', X, O>>,
): Tensor<Pool1d<X, O>, D> {
  return avgPoolN('avgPool1d', x, opts as O, 1) as never;
}

/**
 * 3-d average pooling over the last three axes; options as `avgPool2d`.
 *
 * @param x - The input, `[..., D, H, W]`.
 * @param opts - `window` (required), `stride`, `padding`, `ceilMode`, `countIncludePad`.
 * @returns `[..., D', H', W']`.
 *
 * @example
 * ```ts
 * import { arange, avgPool3d, reshape } from 'typegrad';
 * const x = reshape(arange(8, { dtype: 'f32' }), [1, 1, 2, 2, 2]);
 * console.log(avgPool3d(x, { window: 2 }).toArray()); // [[[[[3.5]]]]]
 * ```
 */
export function avgPool3d<X extends Shape, D extends DType, const O extends AvgPoolOptions>(
  x: Tensor<X, D>,
  opts: Checked<O, Pool3dCheck<'avgPool3d', X, O>>,
): Tensor<Pool3d<X, O>, D> {
  return avgPoolN('avgPool3d', x, opts as O, 3) as never;
}

/**
 * PyTorch's `adaptive_avg_pool2d`: the output size is given, and output position `o` of an
 * axis of extent `n` averages inputs `[floor(o·n / out), ceil((o + 1)·n / out))`.
 *
 * @param x - A float input, `[..., H, W]`.
 * @param outputSize - `[outH, outW]`, or one number for both.
 * @returns `[..., outH, outW]`; `[1, 1]` is the global average.
 *
 * @example
 * ```ts
 * import { adaptiveAvgPool2d, tensor } from 'typegrad';
 * const x = tensor([[[[1, 2, 5, 6], [3, 4, 7, 0]]]]); // [1, 1, 2, 4]
 * console.log(adaptiveAvgPool2d(x, [1, 1]).toArray()); // [[[[3.5]]]]
 * console.log(adaptiveAvgPool2d(x, [1, 2]).toArray()); // [[[[2.5, 4.5]]]]
 * ```
 */
export function adaptiveAvgPool2d<X extends Shape, D extends DType, const S extends PerAxis>(
  x: Tensor<X, D>,
  outputSize: Checked<S, AdaptivePool2dCheck<'adaptiveAvgPool2d', X, S>>,
): Tensor<AdaptivePool2d<X, S>, D> {
  const op = 'adaptiveAvgPool2d';
  needFloat(op, x);
  const p = adaptiveParams(op, x, outputSize as S, 2);
  const spatial = (x.shape as Dims).slice(x.ndim - 2);
  const mats = spatial.map((n, i) => {
    const t = axisTaps(p, i, n);
    return averagingMatrix(t, (o) => t.count[o]!, x.dtype, op);
  });
  return contractAxes(x, mats) as never;
}

/**
 * PyTorch's `adaptive_max_pool2d` (windows as `adaptiveAvgPool2d`'s); the gradient goes to
 * each window's first maximum.
 *
 * @param x - The input, `[..., H, W]`.
 * @param outputSize - `[outH, outW]`, or one number for both.
 * @returns `[..., outH, outW]`.
 *
 * @example
 * ```ts
 * import { adaptiveMaxPool2d, tensor } from 'typegrad';
 * const x = tensor([[[[1, 2, 5, 6], [3, 4, 7, 0]]]]); // [1, 1, 2, 4]
 * console.log(adaptiveMaxPool2d(x, [1, 2]).toArray()); // [[[[4, 7]]]]
 * ```
 */
export function adaptiveMaxPool2d<X extends Shape, D extends DType, const S extends PerAxis>(
  x: Tensor<X, D>,
  outputSize: Checked<S, AdaptivePool2dCheck<'adaptiveMaxPool2d', X, S>>,
): Tensor<AdaptivePool2d<X, S>, D> {
  return gatherArgmax(x, adaptiveParams('adaptiveMaxPool2d', x, outputSize as S, 2)) as never;
}
