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
  ConvOptions,
} from '../shapes/conv.ts';
import { convShape } from '../shapes/conv.ts';
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

/** 2-d convolution: x [N, C, H, W], w [O, C/groups, kH, kW] -> [N, O, H', W']. */
export function conv2d<X extends Shape, W extends Shape, D extends DType, const O extends ConvOptions = {}>(
  x: Tensor<X, D>,
  w: Checked<Tensor<W, D>, Conv2dCheck<X, W, O>>,
  opts?: O,
): Tensor<Conv2d<X, W, O>, D> {
  return convN('conv2d', x, w as Tensor, opts ?? {}, 2) as never;
}

/** 1-d convolution: x [N, C, L], w [O, C/groups, k] -> [N, O, L']. */
export function conv1d<X extends Shape, W extends Shape, D extends DType, const O extends ConvOptions = {}>(
  x: Tensor<X, D>,
  w: Checked<Tensor<W, D>, Conv1dCheck<X, W, O>>,
  opts?: O,
): Tensor<Conv1d<X, W, O>, D> {
  return convN('conv1d', x, w as Tensor, opts ?? {}, 1) as never;
}

/**
 * 3-d convolution (video, volumes): x [N, C, D, H, W], w [O, C/groups, kD, kH, kW] ->
 * [N, O, D', H', W'], with stride, padding ('same' or per axis), dilation and groups as conv2d.
 * @example conv3d(x, w, { stride: 2, padding: 1 }) // x [N, C, 8, 8, 8] -> [N, O, 4, 4, 4]
 */
export function conv3d<X extends Shape, W extends Shape, D extends DType, const O extends ConvOptions = {}>(
  x: Tensor<X, D>,
  w: Checked<Tensor<W, D>, Conv3dCheck<X, W, O>>,
  opts?: O,
): Tensor<Conv3d<X, W, O>, D> {
  return convN('conv3d', x, w as Tensor, opts ?? {}, 3) as never;
}

export interface ConvTransposeOptions {
  readonly stride?: number | readonly number[];
  readonly padding?: number | readonly number[];
  readonly outputPadding?: number | readonly number[];
  readonly dilation?: number | readonly number[];
  readonly groups?: number;
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
  const xs = x.shape as Dims;
  const ws = w.shape as Dims;
  if (xs.length !== nd + 2 || ws.length !== nd + 2)
    throw new Error(
      `${op}: input [${xs.join(', ')}] and weight [${ws.join(', ')}] must both have rank ${nd + 2}`,
    );
  checkOptions(op, opts, CONV_TRANSPOSE_KEYS);
  const g = opts.groups ?? 1;
  const [, c] = xs as [number, number];
  const [ci, og, ...k] = ws as [number, number, ...number[]];
  if (c !== ci) throw new Error(`${op}: input channels ${c} and weight in-channels ${ci} differ`);
  if (c % g !== 0) throw new Error(`${op}: input channels ${c} not divisible by groups ${g}`);
  const stride = axisValues(op, 'stride', opts.stride, nd, 1);
  const pad = axisValues(op, 'padding', opts.padding, nd, 0);
  const outPad = axisValues(op, 'outputPadding', opts.outputPadding, nd, 0);
  const dil = axisValues(op, 'dilation', opts.dilation, nd, 1);
  for (const v of [...stride, ...dil])
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`${op}: stride and dilation must be positive integers, got ${v}`);
  for (const v of pad)
    if (!Number.isInteger(v) || v < 0) throw new Error(`${op}: padding ${v} must be a non-negative integer`);
  outPad.forEach((p, i) => {
    if (p < 0 || (p >= stride[i]! && p >= dil[i]!))
      throw new Error(`${op}: outputPadding ${p} must be smaller than stride or dilation`);
  });
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
  for (const [lo] of padding) if (lo < 0) throw new Error(`${op}: padding larger than the dilated kernel`);
  return lax.convGeneral(x, kernel, {
    strides: k.map(() => 1),
    padding,
    lhsDilation: stride,
    rhsDilation: dil,
    groups: g,
  });
}

/**
 * Transposed 2-d convolution (the gradient of conv2d w.r.t. its input, as a layer):
 * x [N, C, H, W], w [C, O/groups, kH, kW] (PyTorch's layout) -> [N, O, H', W'] with
 * H' = (H - 1) * stride - 2 * padding + dilation * (kH - 1) + outputPadding + 1.
 * @example convTranspose2d(x, w, { stride: 2, padding: 1, outputPadding: 1 }) // doubles H and W
 */
export function convTranspose2d<D extends DType>(
  x: Tensor<Shape, D>,
  w: Tensor<Shape, D>,
  opts: ConvTransposeOptions = {},
): Tensor<number[], D> {
  return convTransposeN('convTranspose2d', x, w, opts, 2) as never;
}

/**
 * Transposed 1-d convolution: x [N, C, L], w [C, O/groups, k] (PyTorch's layout) -> [N, O, L']
 * with L' = (L - 1) * stride - 2 * padding + dilation * (k - 1) + outputPadding + 1.
 * @example convTranspose1d(x, w, { stride: 2 }) // x [N, C, 8], w [C, O, 2] -> [N, O, 16]
 */
export function convTranspose1d<D extends DType>(
  x: Tensor<Shape, D>,
  w: Tensor<Shape, D>,
  opts: ConvTransposeOptions = {},
): Tensor<number[], D> {
  return convTransposeN('convTranspose1d', x, w, opts, 1) as never;
}

/**
 * Transposed 3-d convolution: x [N, C, D, H, W], w [C, O/groups, kD, kH, kW] -> [N, O, D', H', W']
 * with each size as in `convTranspose2d`.
 * @example convTranspose3d(x, w, { stride: 2 }) // x [N, C, 4, 4, 4], w [C, O, 2, 2, 2] -> [N, O, 8, 8, 8]
 */
export function convTranspose3d<D extends DType>(
  x: Tensor<Shape, D>,
  w: Tensor<Shape, D>,
  opts: ConvTransposeOptions = {},
): Tensor<number[], D> {
  return convTransposeN('convTranspose3d', x, w, opts, 3) as never;
}
