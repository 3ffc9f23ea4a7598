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

/** Side of the square tiles in which transposing copies walk their two inner dims. */
const TILE = 32;

/**
 * dst[dstOff + Σ i_d·dstStrides[d]] = src[srcOff + Σ i_d·srcStrides[d]] for every index i of
 * `shape`. Strides may be zero (broadcast) or negative (reversal). Converts between element
 * types by assignment (a typed array store). Transposing copies (one side contiguous along
 * the last dim, the other along the one before) go tile by tile, to stay in cache.
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
  const n1 = loop.shape[rank - 1]!;
  const s1 = ss[rank - 1]!;
  const d1 = ds[rank - 1]!;
  const n2 = rank >= 2 ? loop.shape[rank - 2]! : 1;
  const s2 = rank >= 2 ? ss[rank - 2]! : 0;
  const d2 = rank >= 2 ? ds[rank - 2]! : 0;
  const transposing = n1 >= TILE && n2 >= TILE && ((s2 === 1 && d1 === 1) || (s1 === 1 && d2 === 1));
  if (transposing) {
    outerLoop(loop.shape, ss, ds, rank - 2, srcOff, dstOff, (s, t) => {
      for (let i0 = 0; i0 < n2; i0 += TILE) {
        const i1 = Math.min(n2, i0 + TILE);
        for (let j0 = 0; j0 < n1; j0 += TILE) {
          const j1 = Math.min(n1, j0 + TILE);
          for (let i = i0; i < i1; i++) {
            for (
              let j = j0, sj = s + i * s2 + j0 * s1, tj = t + i * d2 + j0 * d1;
              j < j1;
              j++, sj += s1, tj += d1
            ) {
              dst[tj] = src[sj]!;
            }
          }
        }
      }
    });
  } else if (rank === 1 && s1 === 0 && d1 === 1 && isTypedArray(dst)) {
    // broadcasting one value (a scalar, after coalescing) into a contiguous run
    dst.fill(src[srcOff]!, dstOff, dstOff + n1);
  } else if (
    s1 === 1 &&
    d1 === 1 &&
    n1 >= 64 &&
    src.constructor === dst.constructor &&
    ArrayBuffer.isView(src)
  ) {
    // contiguous runs (at least 64: a subarray costs ~0.1 µs) between typed arrays of one
    // type, as a concatenation's: a memcpy each, where the element loop is polymorphic
    outerLoop(loop.shape, ss, ds, rank - 1, srcOff, dstOff, (s, t) =>
      (dst as Float32Array).set((src as Float32Array).subarray(s, s + n1), t),
    );
  } else if (s1 === 1 && d1 === 1 && n1 >= SHORT) {
    outerLoop(loop.shape, ss, ds, rank - 1, srcOff, dstOff, (s, t) => {
      for (let j = 0; j < n1; j++) dst[t + j] = src[s + j]!;
    });
  } else if (s1 === 0 && d1 === 1 && n1 >= SHORT && isTypedArray(dst)) {
    // a value broadcast along a contiguous run (a bias over an image's pixels)
    outerLoop(loop.shape, ss, ds, rank - 1, srcOff, dstOff, (s, t) => {
      dst.fill(src[s]!, t, t + n1);
    });
  } else if (n1 >= SHORT || rank === 1) {
    outerLoop(loop.shape, ss, ds, rank - 1, srcOff, dstOff, (s, t) => {
      for (let j = 0, sj = s, tj = t; j < n1; j++, sj += s1, tj += d1) dst[tj] = src[sj]!;
    });
  } else {
    // Short inner runs (pooling windows broadcast back: [..., 14, 2, 14, 2] with 2s of
    // stride 0): the body walks the last two or three dims, so one call covers many runs.
    const k = rank >= 3 ? rank - 3 : 0;
    const n3 = rank >= 3 ? loop.shape[rank - 3]! : 1;
    const s3 = rank >= 3 ? ss[rank - 3]! : 0;
    const d3 = rank >= 3 ? ds[rank - 3]! : 0;
    outerLoop(loop.shape, ss, ds, k, srcOff, dstOff, (s, t) => {
      for (let i3 = 0, s3i = s, t3i = t; i3 < n3; i3++, s3i += s3, t3i += d3) {
        for (let i2 = 0, s2i = s3i, t2i = t3i; i2 < n2; i2++, s2i += s2, t2i += d2) {
          for (let j = 0, sj = s2i, tj = t2i; j < n1; j++, sj += s1, tj += d1) dst[tj] = src[sj]!;
        }
      }
    });
  }
}

/** Inner runs shorter than this are walked together with the next dims (see copyStrided). */
const SHORT = 16;

function isTypedArray(a: NumArray): a is NumArray & { fill(v: number, start: number, end: number): unknown } {
  return ArrayBuffer.isView(a) && !(a instanceof DataView);
}

/** Calls body(srcOffset, dstOffset) for every index of the first `k` dims, in row-major order. */
function outerLoop(
  shape: readonly number[],
  ss: readonly number[],
  ds: readonly number[],
  k: number,
  srcOff: number,
  dstOff: number,
  body: (s: number, t: number) => void,
): void {
  const idx = new Array<number>(k).fill(0);
  let count = 1;
  for (let d = 0; d < k; d++) count *= shape[d]!;
  let s = srcOff;
  let t = dstOff;
  for (let o = 0; o < count; o++) {
    body(s, t);
    for (let d = k - 1; d >= 0; d--) {
      const n = shape[d]!;
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
