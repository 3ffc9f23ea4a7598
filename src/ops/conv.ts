import type { DType } from '../core/dtype.ts';
import { isFloat } from '../core/dtype.ts';
import * as lax from '../core/lax.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import type {
  Conv1d,
  Conv1dCheck,
  Conv2d,
  Conv2dCheck,
  Conv3d,
  Conv3dCheck,
  ConvChannelsCheck,
  ConvOptions,
} from '../shapes/conv.ts';
import { convShape } from '../shapes/conv.ts';
import type {
  ConvTranspose1d,
  ConvTranspose1dCheck,
  ConvTranspose2d,
  ConvTranspose2dCheck,
  ConvTranspose3d,
  ConvTranspose3dCheck,
  ConvTransposeOptions,
} from '../shapes/conv-transpose.ts';
import { convTransposeShape } from '../shapes/conv-transpose.ts';

export type { ConvTransposeOptions } from '../shapes/conv-transpose.ts';

import type { Checked, Shape } from '../shapes/dim.ts';
import { axisValues, resolvePadding } from '../shapes/spatial.ts';
import { checkArg } from './coerce.ts';
import { checkConvOptions } from './spatial-options.ts';

type Dims = readonly number[];

/** Explicit conv_general parameters from the user options (after the shape check). */
function convParams(op: string, x: Dims, w: Dims, opts: ConvOptions, nd: number) {
  const strides = axisValues(op, 'stride', opts.stride, nd, 1);
  const dilations = axisValues(op, 'dilation', opts.dilation, nd, 1);
  for (const v of [...strides, ...dilations])
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`${op}: stride and dilation must be positive integers, got ${v}`);
  const padding = resolvePadding(opts.padding, x.slice(2), w.slice(2), strides, dilations, op);
  for (const [lo, hi] of padding)
    if (lo < 0 || hi < 0) throw new Error(`${op}: padding [${lo}, ${hi}] must be non-negative`);
  return {
    strides,
    padding,
    lhsDilation: strides.map(() => 1),
    rhsDilation: dilations,
    groups: opts.groups ?? 1,
  };
}

const CONV_KEYS = optionKeys<ConvOptions>({ stride: true, padding: true, dilation: true, groups: true });

function convN(op: string, x: Tensor, w: Tensor, opts: ConvOptions, nd: number): Tensor {
  checkArg(op, x, 'x');
  checkArg(op, w, 'w');
  checkConvOptions(op, opts);
  checkOptions(op, opts, CONV_KEYS);
  convShape(op, x.shape as Dims, w.shape as Dims, opts, nd);
  if (x.dtype !== w.dtype)
    throw new Error(`${op}: input dtype ${x.dtype} and weight dtype ${w.dtype} differ`);
  if (!isFloat(x.dtype)) throw new Error(`${op}: needs float tensors, got ${x.dtype}`);
  return lax.convGeneral(x, w, convParams(op, x.shape as Dims, w.shape as Dims, opts, nd));
}

/**
 * 2-d convolution (cross-correlation, as PyTorch's `conv2d`): x `[N, C, H, W]`, w
 * `[O, C/groups, kH, kW]` → `[N, O, H', W']` with `H' = floor((H + padTop + padBottom -
 * dilation·(kH - 1) - 1) / stride) + 1`. Literal shapes give literal result dims; a channel
 * mismatch is a compile error on `w`.
 *
 * @param x - The input, `[N, C, H, W]`.
 * @param w - The kernel, `[O, C/groups, kH, kW]`.
 * @param opts - `stride`, `padding` (a number, per axis, `[before, after]` pairs or `'same'`),
 *   `dilation`, `groups`.
 * @returns The output, `[N, O, H', W']`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { conv2d, ones, tensor } from 'typegrad';
 * const x = tensor([[[[1, 2], [3, 4]]]]); // [1, 1, 2, 2]
 * assert.deepEqual(conv2d(x, ones([1, 1, 2, 2])).toArray(), [[[[10]]]]);
 * assert.deepEqual(conv2d(ones([1, 3, 8, 8]), ones([4, 3, 3, 3]), { padding: 'same' }).shape, [1, 4, 8, 8]);
 * ```
 */
export function conv2d<X extends Shape, W extends Shape, D extends DType, const O extends ConvOptions = {}>(
  x: Tensor<X, D>,
  w: Checked<Tensor<W, D>, ConvChannelsCheck<'conv2d', 4, X, W, O>, Conv2dCheck<X, W, O>>,
  opts?: O,
): Tensor<Conv2d<X, W, O>, D> {
  return convN('conv2d', x, w as Tensor, opts ?? {}, 2) as never;
}

/**
 * 1-d convolution: x `[N, C, L]`, w `[O, C/groups, k]` → `[N, O, L']`; options and sizes as
 * `conv2d`'s.
 *
 * @param x - The input, `[N, C, L]`.
 * @param w - The kernel, `[O, C/groups, k]`.
 * @param opts - `stride`, `padding`, `dilation`, `groups`.
 * @returns The output, `[N, O, L']`.
 *
 * @example
 * ```ts
 * import { conv1d, tensor } from 'typegrad';
 * const y = conv1d(tensor([[[1, 2, 3, 4]]]), tensor([[[1, 1]]]));
 * console.log(y.toArray()); // [[[3, 5, 7]]]
 * ```
 */
export function conv1d<X extends Shape, W extends Shape, D extends DType, const O extends ConvOptions = {}>(
  x: Tensor<X, D>,
  w: Checked<Tensor<W, D>, ConvChannelsCheck<'conv1d', 3, X, W, O>, Conv1dCheck<X, W, O>>,
  opts?: O,
): Tensor<Conv1d<X, W, O>, D> {
  return convN('conv1d', x, w as Tensor, opts ?? {}, 1) as never;
}

/**
 * 3-d convolution (video, volumes): x `[N, C, D, H, W]`, w `[O, C/groups, kD, kH, kW]` →
 * `[N, O, D', H', W']`, with stride, padding (`'same'` or per axis), dilation and groups as
 * `conv2d`.
 *
 * @param x - The input, `[N, C, D, H, W]`.
 * @param w - The kernel, `[O, C/groups, kD, kH, kW]`.
 * @param opts - `stride`, `padding`, `dilation`, `groups`.
 * @returns The output, `[N, O, D', H', W']`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { conv3d, ones } from 'typegrad';
 * const y = conv3d(ones([1, 1, 4, 4, 4]), ones([2, 1, 2, 2, 2]), { stride: 2 });
 * assert.deepEqual(y.shape, [1, 2, 2, 2, 2]);
 * assert.equal(y.dataSync()[0], 8);
 * ```
 */
export function conv3d<X extends Shape, W extends Shape, D extends DType, const O extends ConvOptions = {}>(
  x: Tensor<X, D>,
  w: Checked<Tensor<W, D>, ConvChannelsCheck<'conv3d', 5, X, W, O>, Conv3dCheck<X, W, O>>,
  opts?: O,
): Tensor<Conv3d<X, W, O>, D> {
  return convN('conv3d', x, w as Tensor, opts ?? {}, 3) as never;
}

const CONV_TRANSPOSE_KEYS = optionKeys<ConvTransposeOptions>({
  stride: true,
  padding: true,
  outputPadding: true,
  dilation: true,
  groups: true,
});

function convTransposeN(op: string, x: Tensor, w: Tensor, opts: ConvTransposeOptions, nd: number): Tensor {
  checkArg(op, x, 'x');
  checkArg(op, w, 'w');
  checkConvOptions(op, opts);
  if (!isFloat(x.dtype) || x.dtype !== w.dtype)
    throw new Error(`${op}: needs float tensors of one dtype, got ${x.dtype} and ${w.dtype}`);
  checkOptions(op, opts, CONV_TRANSPOSE_KEYS);
  const { params } = convTransposeShape(op, x.shape as Dims, w.shape as Dims, opts, nd);
  const { stride, padding: pad, outputPadding: outPad, dilation: dil, groups: g } = params;
  const [, c] = x.shape as Dims as [number, number];
  const [, og, ...k] = w.shape as Dims as [number, number, ...number[]];
  // [C, O/g, k…] -> [g, C/g, O/g, k…] -> [g, O/g, C/g, k…] -> [O, C/g, k…], flipped spatially.
  const ig = c / g;
  const spatial = k.map((_, i) => i + 3);
  const grouped = lax.reshape(w, [g, ig, og, ...k]);
  const kernel = lax.rev(
    lax.reshape(lax.transpose(grouped, [0, 2, 1, ...spatial]), [g * og, ig, ...k]),
    k.map((_, i) => i + 2),
  );
  const padding = k.map((kk, i): [number, number] => {
    const edge = dil[i]! * (kk - 1) - pad[i]!;
    return [edge, edge + outPad[i]!];
  });
  return lax.convGeneral(x, kernel, {
    strides: k.map(() => 1),
    padding,
    lhsDilation: stride,
    rhsDilation: dil,
    groups: g,
  });
}

/**
 * Transposed 2-d convolution (the gradient of `conv2d` w.r.t. its input, as a layer):
 * x `[N, C, H, W]`, w `[C, O/groups, kH, kW]` (PyTorch's layout) → `[N, O, H', W']` with
 * `H' = (H - 1)·stride - 2·padding + dilation·(kH - 1) + outputPadding + 1`.
 *
 * @param x - The input, `[N, C, H, W]`.
 * @param w - The kernel, `[C, O/groups, kH, kW]`.
 * @param opts - `stride`, `padding`, `outputPadding`, `dilation`, `groups`.
 * @returns The output, `[N, O, H', W']`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { convTranspose2d, ones, sum } from 'typegrad';
 * const y = convTranspose2d(ones([1, 1, 2, 2]), ones([1, 1, 2, 2]), { stride: 2 });
 * assert.deepEqual(y.shape, [1, 1, 4, 4]);
 * assert.equal(sum(y).item(), 16);
 * ```
 */
export function convTranspose2d<
  X extends Shape,
  W extends Shape,
  D extends DType,
  const O extends ConvTransposeOptions = {},
>(
  x: Tensor<X, D>,
  w: Checked<
    Tensor<W, D>,
    ConvChannelsCheck<'convTranspose2d', 4, X, W, O, 0>,
    ConvTranspose2dCheck<X, W, O>
  >,
  opts?: O,
): Tensor<NoInfer<ConvTranspose2d<X, W, O>>, D> {
  return convTransposeN('convTranspose2d', x, w as Tensor, opts ?? {}, 2) as never;
}

/**
 * Transposed 1-d convolution: x `[N, C, L]`, w `[C, O/groups, k]` (PyTorch's layout) →
 * `[N, O, L']` with `L' = (L - 1)·stride - 2·padding + dilation·(k - 1) + outputPadding + 1`.
 *
 * @param x - The input, `[N, C, L]`.
 * @param w - The kernel, `[C, O/groups, k]`.
 * @param opts - `stride`, `padding`, `outputPadding`, `dilation`, `groups`.
 * @returns The output, `[N, O, L']`.
 *
 * @example
 * ```ts
 * import { convTranspose1d, tensor } from 'typegrad';
 * const y = convTranspose1d(tensor([[[1, 2]]]), tensor([[[1, 1]]]), { stride: 2 });
 * console.log(y.toArray()); // [[[1, 1, 2, 2]]]
 * ```
 */
export function convTranspose1d<
  X extends Shape,
  W extends Shape,
  D extends DType,
  const O extends ConvTransposeOptions = {},
>(
  x: Tensor<X, D>,
  w: Checked<
    Tensor<W, D>,
    ConvChannelsCheck<'convTranspose1d', 3, X, W, O, 0>,
    ConvTranspose1dCheck<X, W, O>
  >,
  opts?: O,
): Tensor<NoInfer<ConvTranspose1d<X, W, O>>, D> {
  return convTransposeN('convTranspose1d', x, w as Tensor, opts ?? {}, 1) as never;
}

/**
 * Transposed 3-d convolution: x `[N, C, D, H, W]`, w `[C, O/groups, kD, kH, kW]` →
 * `[N, O, D', H', W']`, each size as in `convTranspose2d`.
 *
 * @param x - The input, `[N, C, D, H, W]`.
 * @param w - The kernel, `[C, O/groups, kD, kH, kW]`.
 * @param opts - `stride`, `padding`, `outputPadding`, `dilation`, `groups`.
 * @returns The output, `[N, O, D', H', W']`.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { convTranspose3d, ones } from 'typegrad';
 * const y = convTranspose3d(ones([1, 2, 2, 2, 2]), ones([2, 3, 2, 2, 2]), { stride: 2 });
 * assert.deepEqual(y.shape, [1, 3, 4, 4, 4]);
 * ```
 */
export function convTranspose3d<
  X extends Shape,
  W extends Shape,
  D extends DType,
  const O extends ConvTransposeOptions = {},
>(
  x: Tensor<X, D>,
  w: Checked<
    Tensor<W, D>,
    ConvChannelsCheck<'convTranspose3d', 5, X, W, O, 0>,
    ConvTranspose3dCheck<X, W, O>
  >,
  opts?: O,
): Tensor<NoInfer<ConvTranspose3d<X, W, O>>, D> {
  return convTransposeN('convTranspose3d', x, w as Tensor, opts ?? {}, 3) as never;
}
