/**
 * Movement kernels. Each one is a strided view of its input copied by `copyStrided`:
 * broadcast (stride 0), transpose (permuted strides), slice (offset + scaled strides), rev
 * (negative strides); pad and concatenate copy their inputs into strided views of the output.
 *
 * The core has checked the parameters; these kernels re-check everything they index with
 * (O(rank) work), so a wrong shape throws instead of reading or writing garbage.
 */
import type { TypedArray } from '../../core/dtype.ts';
import { copyStrided, fmtShape, stridesOf } from './strides.ts';

function fail(prim: string, why: string): never {
  throw new Error(`cpu ${prim}: ${why}`);
}

function checkAxes(prim: string, axes: readonly number[], rank: number): void {
  const seen = new Set<number>();
  for (const a of axes) {
    if (!Number.isInteger(a) || a < 0 || a >= rank || seen.has(a)) {
      fail(prim, `axes [${axes}] are not distinct axes of a rank-${rank} operand`);
    }
    seen.add(a);
  }
}

/** A fresh copy: buffers are never shared between tensors, so disposing one frees only it. */
export function reshape(x: TypedArray, out: TypedArray): void {
  if (x.length !== out.length) fail('reshape', `cannot reshape ${x.length} elements into ${out.length}`);
  out.set(x);
}

export function broadcastInDim(
  x: TypedArray,
  inShape: readonly number[],
  outShape: readonly number[],
  dims: readonly number[],
  out: TypedArray,
): void {
  if (dims.length !== inShape.length) {
    fail('broadcast_in_dim', `dims [${dims}] do not match operand shape ${fmtShape(inShape)}`);
  }
  checkAxes('broadcast_in_dim', dims, outShape.length);
  const inStrides = stridesOf(inShape);
  const src = new Array<number>(outShape.length).fill(0);
  dims.forEach((d, i) => {
    const n = inShape[i]!;
    if (n !== 1 && n !== outShape[d]) {
      fail(
        'broadcast_in_dim',
        `operand dim ${i} (size ${n}) cannot map to dim ${d} of ${fmtShape(outShape)}`,
      );
    }
    src[d] = n === 1 ? 0 : inStrides[i]!;
  });
  copyStrided(outShape, x, 0, src, out, 0, stridesOf(outShape));
}

export function transpose(
  x: TypedArray,
  inShape: readonly number[],
  outShape: readonly number[],
  perm: readonly number[],
  out: TypedArray,
): void {
  if (perm.length !== inShape.length) fail('transpose', `perm [${perm}] does not fit ${fmtShape(inShape)}`);
  checkAxes('transpose', perm, inShape.length);
  if (perm.some((p, i) => inShape[p] !== outShape[i])) {
    fail('transpose', `perm [${perm}] of ${fmtShape(inShape)} does not give ${fmtShape(outShape)}`);
  }
  const inStrides = stridesOf(inShape);
  copyStrided(
    outShape,
    x,
    0,
    perm.map((p) => inStrides[p]!),
    out,
    0,
    stridesOf(outShape),
  );
}

export function slice(
  x: TypedArray,
  inShape: readonly number[],
  outShape: readonly number[],
  start: readonly number[],
  limit: readonly number[],
  stride: readonly number[],
  out: TypedArray,
): void {
  const rank = inShape.length;
  if (start.length !== rank || limit.length !== rank || stride.length !== rank || outShape.length !== rank) {
    fail('slice', `start/limit/stride must each have ${rank} entries for ${fmtShape(inShape)}`);
  }
  const inStrides = stridesOf(inShape);
  let off = 0;
  for (let d = 0; d < rank; d++) {
    const s = start[d]!;
    const l = limit[d]!;
    const st = stride[d]!;
    const n = Math.max(0, Math.ceil((l - s) / st));
    if (!(st >= 1) || s < 0 || l > inShape[d]! || n !== outShape[d]) {
      fail('slice', `${s}:${l}:${st} on dim ${d} of ${fmtShape(inShape)} does not give size ${outShape[d]}`);
    }
    off += n > 0 ? s * inStrides[d]! : 0;
  }
  copyStrided(
    outShape,
    x,
    off,
    inStrides.map((s, d) => s * stride[d]!),
    out,
    0,
    stridesOf(outShape),
  );
}

/** `out` must be zero-filled (fresh storage is). */
export function pad(
  x: TypedArray,
  inShape: readonly number[],
  outShape: readonly number[],
  lo: readonly number[],
  hi: readonly number[],
  interior: readonly number[],
  out: TypedArray,
): void {
  const rank = inShape.length;
  if (lo.length !== rank || hi.length !== rank || interior.length !== rank || outShape.length !== rank) {
    fail('pad', `lo/hi/interior must each have ${rank} entries for ${fmtShape(inShape)}`);
  }
  const outStrides = stridesOf(outShape);
  let off = 0;
  for (let d = 0; d < rank; d++) {
    const l = lo[d]!;
    const h = hi[d]!;
    const it = interior[d]!;
    const n = inShape[d]!;
    const size = l + h + (n > 0 ? n + (n - 1) * it : 0);
    if (l < 0 || h < 0 || it < 0 || size !== outShape[d]) {
      fail(
        'pad',
        `lo ${l} hi ${h} interior ${it} on dim ${d} of ${fmtShape(inShape)} give ${size}, not ${outShape[d]}`,
      );
    }
    off += l * outStrides[d]!;
  }
  copyStrided(
    inShape,
    x,
    0,
    stridesOf(inShape),
    out,
    off,
    outStrides.map((s, d) => s * (interior[d]! + 1)),
  );
}

export function concatenate(
  xs: readonly TypedArray[],
  shapes: readonly (readonly number[])[],
  axis: number,
  outShape: readonly number[],
  out: TypedArray,
): void {
  const rank = outShape.length;
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) fail('concatenate', `axis ${axis} out of range`);
  let total = 0;
  for (const shape of shapes) {
    if (shape.length !== rank || shape.some((n, d) => d !== axis && n !== outShape[d])) {
      fail(
        'concatenate',
        `input ${fmtShape(shape)} does not fit output ${fmtShape(outShape)} along axis ${axis}`,
      );
    }
    total += shape[axis]!;
  }
  if (total !== outShape[axis]) {
    fail('concatenate', `inputs sum to ${total} along axis ${axis}, output has ${outShape[axis]}`);
  }
  const outStrides = stridesOf(outShape);
  let at = 0;
  xs.forEach((x, i) => {
    const shape = shapes[i]!;
    copyStrided(shape, x, 0, stridesOf(shape), out, at * outStrides[axis]!, outStrides);
    at += shape[axis]!;
  });
}

export function rev(x: TypedArray, shape: readonly number[], axes: readonly number[], out: TypedArray): void {
  checkAxes('rev', axes, shape.length);
  const strides = stridesOf(shape);
  let off = 0;
  for (const a of axes) {
    off += Math.max(0, shape[a]! - 1) * strides[a]!;
    strides[a] = -strides[a]!;
  }
  copyStrided(shape, x, off, strides, out, 0, stridesOf(shape));
}
