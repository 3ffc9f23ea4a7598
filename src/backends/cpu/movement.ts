/**
 * Movement kernels. Each one is a strided view of its input copied by `copyStrided`:
 * broadcast (stride 0), transpose (permuted strides), slice (offset + scaled strides), rev
 * (negative strides); pad and concatenate copy their inputs into strided views of the output.
 */
import type { TypedArray } from '../../core/dtype.ts';
import { copyStrided, fmtShape, stridesOf } from './strides.ts';

/** A fresh copy: buffers are never shared between tensors, so disposing one frees only it. */
export function reshape(x: TypedArray, out: TypedArray): void {
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
    throw new Error(`cpu broadcast_in_dim: dims [${dims}] do not match operand shape ${fmtShape(inShape)}`);
  }
  const inStrides = stridesOf(inShape);
  const src = new Array<number>(outShape.length).fill(0);
  dims.forEach((d, i) => {
    const n = inShape[i]!;
    if (outShape[d] === undefined || (n !== 1 && n !== outShape[d])) {
      throw new Error(
        `cpu broadcast_in_dim: operand dim ${i} (size ${n}) cannot map to dim ${d} of ${fmtShape(outShape)}`,
      );
    }
    src[d] = n === 1 ? 0 : inStrides[i]!;
  });
  copyStrided(outShape, x, 0, src, out, 0, stridesOf(outShape));
}

export function transpose(
  x: TypedArray,
  inShape: readonly number[],
  perm: readonly number[],
  out: TypedArray,
): void {
  const inStrides = stridesOf(inShape);
  const outShape = perm.map((p) => inShape[p]!);
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
  stride: readonly number[],
  out: TypedArray,
): void {
  const inStrides = stridesOf(inShape);
  let off = 0;
  for (let d = 0; d < inShape.length; d++) {
    const s = start[d] ?? 0;
    const st = stride[d] ?? 1;
    const n = outShape[d]!;
    if (st < 1 || s < 0 || (n > 0 && s + (n - 1) * st >= inShape[d]!)) {
      throw new Error(
        `cpu slice: start ${s} stride ${st} size ${n} out of range for dim ${d} of ${fmtShape(inShape)}`,
      );
    }
    off += s * inStrides[d]!;
  }
  copyStrided(
    outShape,
    x,
    off,
    inStrides.map((s, d) => s * (stride[d] ?? 1)),
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
  interior: readonly number[],
  out: TypedArray,
): void {
  const outStrides = stridesOf(outShape);
  let off = 0;
  for (let d = 0; d < inShape.length; d++) {
    const l = lo[d] ?? 0;
    const it = interior[d] ?? 0;
    const n = inShape[d]!;
    if (l < 0 || it < 0 || (n > 0 && l + n + (n - 1) * it > outShape[d]!)) {
      throw new Error(`cpu pad: lo ${l} interior ${it} do not fit dim ${d} of ${fmtShape(outShape)}`);
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
    outStrides.map((s, d) => s * ((interior[d] ?? 0) + 1)),
  );
}

export function concatenate(
  xs: readonly TypedArray[],
  shapes: readonly (readonly number[])[],
  axis: number,
  outShape: readonly number[],
  out: TypedArray,
): void {
  const total = shapes.reduce((s, shape) => s + shape[axis]!, 0);
  if (xs.length !== shapes.length || total !== outShape[axis]) {
    throw new Error(
      `cpu concatenate: inputs sum to ${total} along axis ${axis}, output has ${outShape[axis]}`,
    );
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
  const strides = stridesOf(shape);
  let off = 0;
  for (const a of axes) {
    off += (shape[a]! - 1) * strides[a]!;
    strides[a] = -strides[a]!;
  }
  copyStrided(shape, x, off, strides, out, 0, stridesOf(shape));
}
