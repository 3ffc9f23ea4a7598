/**
 * Shape and stride arithmetic shared by the CPU kernels, and the one strided copy that every
 * movement kernel is built on.
 */

/** Any array a kernel reads or writes by index. */
export interface NumArray {
  readonly length: number;
  [i: number]: number;
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major contiguous strides of a shape, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** A strided view: the shape walked, plus where each of several arrays starts and steps. */
export interface StridedLoop {
  shape: number[];
  /** strides[a][d]: the step of array `a` along dim `d` */
  strides: number[][];
}

/**
 * Simplifies a strided loop without changing the order in which elements are visited:
 * drops size-1 dims and merges neighbouring dims that every array steps through as one.
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): StridedLoop {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = outShape.length - 1;
    let merge = last >= 0;
    if (merge) {
      for (let a = 0; a < strides.length; a++) {
        if (outStrides[a]![last] !== strides[a]![d]! * n) {
          merge = false;
          break;
        }
      }
    }
    if (merge) {
      outShape[last] = outShape[last]! * n;
      for (let a = 0; a < strides.length; a++) outStrides[a]![last] = strides[a]![d]!;
    } else {
      outShape.push(n);
      for (let a = 0; a < strides.length; a++) outStrides[a]!.push(strides[a]![d]!);
    }
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * dst[dstOff + Σ i_d·dstStrides[d]] = src[srcOff + Σ i_d·srcStrides[d]] for every index i of
 * `shape`. Strides may be zero (broadcast) or negative (reversal). Converts between element
 * types by assignment (a typed array store).
 */
export function copyStrided(
  shape: readonly number[],
  src: NumArray,
  srcOff: number,
  srcStrides: readonly number[],
  dst: NumArray,
  dstOff: number,
  dstStrides: readonly number[],
): void {
  if (sizeOf(shape) === 0) return;
  const loop = coalesce(shape, [srcStrides, dstStrides]);
  const rank = loop.shape.length;
  if (rank === 0) {
    dst[dstOff] = src[srcOff]!;
    return;
  }
  const ss = loop.strides[0]!;
  const ds = loop.strides[1]!;
  const inner = loop.shape[rank - 1]!;
  const sIn = ss[rank - 1]!;
  const dIn = ds[rank - 1]!;
  const outer = sizeOf(loop.shape) / inner;
  const idx = new Array<number>(rank).fill(0);
  let s = srcOff;
  let t = dstOff;
  for (let o = 0; o < outer; o++) {
    if (sIn === 1 && dIn === 1) {
      for (let j = 0; j < inner; j++) dst[t + j] = src[s + j]!;
    } else {
      for (let j = 0, sj = s, tj = t; j < inner; j++, sj += sIn, tj += dIn) dst[tj] = src[sj]!;
    }
    // odometer over the outer dims
    for (let d = rank - 2; d >= 0; d--) {
      const n = loop.shape[d]!;
      if (++idx[d]! < n) {
        s += ss[d]!;
        t += ds[d]!;
        break;
      }
      idx[d] = 0;
      s -= ss[d]! * (n - 1);
      t -= ds[d]! * (n - 1);
    }
  }
}

/**
 * Calls `fn(offsets)` for every index of `shape` in row-major order, where offsets[a] is
 * Σ i_d·strides[a][d]. For outer loops (batches, groups) only; hot loops inline their own.
 */
export function forEachOffset(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  fn: (offsets: readonly number[]) => void,
): void {
  const total = sizeOf(shape);
  if (total === 0) return;
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  const off = strides.map(() => 0);
  for (let o = 0; o < total; o++) {
    fn(off);
    for (let d = rank - 1; d >= 0; d--) {
      const n = shape[d]!;
      if (++idx[d]! < n) {
        for (let a = 0; a < off.length; a++) off[a] = off[a]! + strides[a]![d]!;
        break;
      }
      idx[d] = 0;
      for (let a = 0; a < off.length; a++) off[a] = off[a]! - strides[a]![d]! * (n - 1);
    }
  }
}

/** Formats a shape for error messages: `[2,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
