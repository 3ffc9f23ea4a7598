import * as lax from '../core/lax.ts';
import type { PrimParams } from '../core/primitives.ts';
import type { Tensor } from '../core/tensor.ts';

/**
 * The two transposes of conv_general, themselves convolutions (so gradients of gradients
 * stay convolutions). The padding arithmetic follows XLA's conv gradient definitions.
 */
type ConvParams = PrimParams['conv_general'];

const dilate = (n: number, d: number) => (n === 0 ? 0 : (n - 1) * d + 1);
const range = (n: number, start = 0) => Array.from({ length: n }, (_, i) => start + i);

/** Cotangent of the input: ct convolved with the flipped, in/out-swapped kernel. */
export function convTransposeLhs(ct: Tensor, w: Tensor, xShape: readonly number[], p: ConvParams): Tensor {
  const nd = xShape.length - 2;
  const [o, ig, ...window] = w.shape as readonly number[] as [number, number, ...number[]];
  const g = p.groups;
  const og = o / g;
  // [O, I/g, k...] -> [g, O/g, I/g, k...] -> [g, I/g, O/g, k...] -> [I, O/g, k...]
  const grouped = lax.reshape(w, [g, og, ig, ...window]);
  const swapped = lax.transpose(grouped, [0, 2, 1, ...range(nd, 3)]);
  const kernel = lax.rev(lax.reshape(swapped, [g * ig, og, ...window]), range(nd, 2));
  const ctSpatial = (ct.shape as readonly number[]).slice(2);
  const padding = range(nd).map((i): [number, number] => {
    const dilIn = dilate(xShape[i + 2]!, p.lhsDilation[i]!);
    const dilWin = dilate(window[i]!, p.rhsDilation[i]!);
    const dilOut = dilate(ctSpatial[i]!, p.strides[i]!);
    const before = dilWin - p.padding[i]![0] - 1;
    return [before, dilIn + dilWin - 1 - dilOut - before];
  });
  return lax.convGeneral(ct, kernel, {
    strides: p.lhsDilation,
    padding,
    lhsDilation: p.strides,
    rhsDilation: p.rhsDilation,
    groups: g,
  });
}

/** Cotangent of the kernel: the input convolved with ct, batch and feature axes swapped. */
export function convTransposeRhs(ct: Tensor, x: Tensor, wShape: readonly number[], p: ConvParams): Tensor {
  const nd = wShape.length - 2;
  const [n, c, ...inSpatial] = x.shape as readonly number[] as [number, number, ...number[]];
  const [o, , ...window] = wShape as [number, number, ...number[]];
  const ctSpatial = (ct.shape as readonly number[]).slice(2);
  const g = p.groups;
  const ig = c / g;
  const og = o / g;
  const sp = range(nd, 3);
  // lhs: [N, g, I/g, S...] -> [I/g, g, N, S...] -> [I/g, g*N, S...]
  const lhs = lax.reshape(lax.transpose(lax.reshape(x, [n, g, ig, ...inSpatial]), [2, 1, 0, ...sp]), [
    ig,
    g * n,
    ...inSpatial,
  ]);
  // rhs: [N, g, O/g, S'...] -> [g, O/g, N, S'...] -> [O, N, S'...]
  const rhs = lax.reshape(lax.transpose(lax.reshape(ct, [n, g, og, ...ctSpatial]), [1, 2, 0, ...sp]), [
    o,
    n,
    ...ctSpatial,
  ]);
  const padding = range(nd).map((i): [number, number] => {
    const dilIn = dilate(inSpatial[i]!, p.lhsDilation[i]!);
    const dilWin = dilate(window[i]!, p.rhsDilation[i]!);
    const dilOut = dilate(ctSpatial[i]!, p.strides[i]!);
    const lo = p.padding[i]![0];
    return [lo, dilOut - dilIn + (dilWin - lo - 1)];
  });
  const out = lax.convGeneral(lhs, rhs, {
    strides: p.rhsDilation,
    padding,
    lhsDilation: p.lhsDilation,
    rhsDilation: p.strides,
    groups: g,
  });
  // [I/g, O, k...] -> [O, I/g, k...]
  return lax.transpose(out, [1, 0, ...range(nd, 2)]);
}
