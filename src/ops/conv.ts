import type { DType } from '../core/dtype.ts';
import { isFloat } from '../core/dtype.ts';
import { fromHost } from '../core/eval.ts';
import * as lax from '../core/lax.ts';
import { checkOptions, optionKeys } from '../core/options.ts';
import type { Tensor } from '../core/tensor.ts';
import type { Conv1d, Conv1dCheck, Conv2d, Conv2dCheck, ConvOptions } from '../shapes/conv.ts';
import { convShape } from '../shapes/conv.ts';
import type { Guard, Shape } from '../shapes/dim.ts';
import type { Pool2d, Pool2dCheck, PoolOptions } from '../shapes/pool.ts';
import { pool2dShape } from '../shapes/pool.ts';
import { axisValues, resolvePadding } from '../shapes/spatial.ts';

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
  w: Tensor<W, D> & Guard<Conv2dCheck<X, W, O>>,
  opts?: O,
): Tensor<Conv2d<X, W, O>, D> {
  return convN('conv2d', x, w as Tensor, opts ?? {}, 2) as never;
}

/** 1-d convolution: x [N, C, L], w [O, C/groups, k] -> [N, O, L']. */
export function conv1d<X extends Shape, W extends Shape, D extends DType, const O extends ConvOptions = {}>(
  x: Tensor<X, D>,
  w: Tensor<W, D> & Guard<Conv1dCheck<X, W, O>>,
  opts?: O,
): Tensor<Conv1d<X, W, O>, D> {
  return convN('conv1d', x, w as Tensor, opts ?? {}, 1) as never;
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

/**
 * Transposed 2-d convolution (the gradient of conv2d w.r.t. its input, as a layer):
 * x [N, C, H, W], w [C, O/groups, kH, kW] (PyTorch's layout) -> [N, O, H', W'] with
 * H' = (H - 1) * stride - 2 * padding + dilation * (kH - 1) + outputPadding + 1.
 */
export function convTranspose2d<D extends DType>(
  x: Tensor<Shape, D>,
  w: Tensor<Shape, D>,
  opts: ConvTransposeOptions = {},
): Tensor<number[], D> {
  const op = 'convTranspose2d';
  if (!isFloat(x.dtype) || x.dtype !== w.dtype)
    throw new Error(`${op}: needs float tensors of one dtype, got ${x.dtype} and ${w.dtype}`);
  const xs = x.shape as Dims;
  const ws = w.shape as Dims;
  if (xs.length !== 4 || ws.length !== 4)
    throw new Error(`${op}: input [${xs.join(', ')}] and weight [${ws.join(', ')}] must both have rank 4`);
  checkOptions(op, opts, CONV_TRANSPOSE_KEYS);
  const g = opts.groups ?? 1;
  const [, c] = xs as [number, number];
  const [ci, og, ...k] = ws as [number, number, number, number];
  if (c !== ci) throw new Error(`${op}: input channels ${c} and weight in-channels ${ci} differ`);
  if (c % g !== 0) throw new Error(`${op}: input channels ${c} not divisible by groups ${g}`);
  const stride = axisValues(op, 'stride', opts.stride, 2, 1);
  const pad = axisValues(op, 'padding', opts.padding, 2, 0);
  const outPad = axisValues(op, 'outputPadding', opts.outputPadding, 2, 0);
  const dil = axisValues(op, 'dilation', opts.dilation, 2, 1);
  for (const v of [...stride, ...dil])
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`${op}: stride and dilation must be positive integers, got ${v}`);
  for (const v of pad)
    if (!Number.isInteger(v) || v < 0) throw new Error(`${op}: padding ${v} must be a non-negative integer`);
  outPad.forEach((p, i) => {
    if (p < 0 || (p >= stride[i]! && p >= dil[i]!))
      throw new Error(`${op}: outputPadding ${p} must be smaller than stride or dilation`);
  });
  // [C, O/g, k] -> [g, C/g, O/g, k] -> [g, O/g, C/g, k] -> [O, C/g, k], flipped spatially.
  const ig = c / g;
  const grouped = lax.reshape(w, [g, ig, og, ...k]);
  const kernel = lax.rev(lax.reshape(lax.transpose(grouped, [0, 2, 1, 3, 4]), [g * og, ig, ...k]), [2, 3]);
  const padding = k.map((kk, i): [number, number] => {
    const edge = dil[i]! * (kk - 1) - pad[i]!;
    return [edge, edge + outPad[i]!];
  });
  for (const [lo] of padding) if (lo < 0) throw new Error(`${op}: padding larger than the dilated kernel`);
  return lax.convGeneral(x, kernel, {
    strides: [1, 1],
    padding,
    lhsDilation: stride,
    rhsDilation: dil,
    groups: g,
  }) as never;
}

/** Index tensor [out, k]: the input position read by output o at window offset j. */
function windowIndex(out: number, k: number, stride: number): Tensor {
  const data = new Int32Array(out * k);
  for (let o = 0; o < out; o++) for (let j = 0; j < k; j++) data[o * k + j] = o * stride + j;
  return fromHost(data, { shape: [out, k], dtype: 'i32' }, 'pool');
}

/** Windows of the last two axes: [..., H, W] -> [..., OH, kH, OW, kW] (padding applied by the caller). */
function windows(x: Tensor, out: Dims, k: Dims, s: Dims): Tensor {
  const nd = x.ndim;
  const [oh, ow] = out.slice(-2) as [number, number];
  const [kh, kw] = k as [number, number];
  const [sh, sw] = s as [number, number];
  const h = x.shape[nd - 2] as number;
  const w = x.shape[nd - 1] as number;
  if (sh === kh && sw === kw && h === oh * kh && w === ow * kw) {
    // Non-overlapping windows that tile the input: a reshape, no copy of indices.
    return lax.reshape(x, [...(x.shape as Dims).slice(0, -2), oh, kh, ow, kw]);
  }
  const rows = lax.gather(x, windowIndex(oh, kh, sh), nd - 2); // [..., OH, kH, W]
  return lax.gather(rows, windowIndex(ow, kw, sw), nd); // [..., OH, kH, OW, kW]
}

const POOL_KEYS = optionKeys<PoolOptions>({ window: true, stride: true, padding: true });

function poolPlan(op: string, x: Tensor, opts: PoolOptions) {
  checkOptions(op, opts, POOL_KEYS);
  const out = pool2dShape(op, x.shape as Dims, opts);
  const k = axisValues(op, 'window', opts.window, 2, 1);
  const s = axisValues(op, 'stride', opts.stride ?? opts.window, 2, 1);
  const spatial = (x.shape as Dims).slice(-2);
  const padding = resolvePadding(opts.padding, spatial, k, s, [1, 1], op);
  padding.forEach(([lo, hi], i) => {
    // As PyTorch: a window must overlap the input, so padding is at most half the window.
    if (lo < 0 || hi < 0 || lo > k[i]! / 2 || hi > k[i]! / 2)
      throw new Error(`${op}: padding [${lo}, ${hi}] must be between 0 and half the window ${k[i]}`);
  });
  const nd = x.ndim;
  return { out, k, s, padding, windowAxes: [nd - 1, nd + 1] };
}

function padSpatial(x: Tensor, padding: readonly (readonly [number, number])[], value: number): Tensor {
  if (padding.every(([a, b]) => a === 0 && b === 0)) return x;
  const lead = (x.shape as Dims).slice(0, -2).map(() => 0);
  const lo = [...lead, ...padding.map((p) => p[0])];
  const hi = [...lead, ...padding.map((p) => p[1])];
  const interior = lo.map(() => 0);
  const padded = lax.pad(x, { lo, hi, interior });
  if (value === 0) return padded;
  const inside = lax.pad(lax.fullLike({ shape: x.shape as Dims, dtype: 'bool' }, 1), { lo, hi, interior });
  return lax.select(inside, padded, lax.fullLike(padded.aval, value));
}

/** Max pooling over the last two axes (NCHW); stride defaults to the window; padding reads as -inf. */
export function maxPool2d<X extends Shape, D extends DType, const O extends PoolOptions>(
  x: Tensor<X, D>,
  opts: O & Guard<Pool2dCheck<'maxPool2d', X, O>>,
): Tensor<Pool2d<X, O>, D> {
  const p = poolPlan('maxPool2d', x, opts);
  const padded = padSpatial(x, p.padding, Number.NEGATIVE_INFINITY);
  return lax.reduceMax(windows(padded, p.out, p.k, p.s), p.windowAxes) as never;
}

/** Average pooling over the last two axes; padding counts as zeros in the average (PyTorch's default). */
export function avgPool2d<X extends Shape, D extends DType, const O extends PoolOptions>(
  x: Tensor<X, D>,
  opts: O & Guard<Pool2dCheck<'avgPool2d', X, O>>,
): Tensor<Pool2d<X, O>, D> {
  const p = poolPlan('avgPool2d', x, opts);
  if (!isFloat(x.dtype)) throw new Error(`avgPool2d: needs a float tensor, got ${x.dtype}`);
  const padded = padSpatial(x, p.padding, 0);
  const s = lax.reduceSum(windows(padded, p.out, p.k, p.s), p.windowAxes);
  return lax.div(s, lax.fullLike(s.aval, p.k[0]! * p.k[1]!)) as never;
}
