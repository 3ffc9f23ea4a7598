/**
 * Slow, obviously correct reference loops, written straight from the primitive definitions,
 * that the fast kernels are tested against (also usable for backend-agreement tests).
 */
import type { PrimParams } from '../../core/primitives.ts';
import { sizeOf, stridesOf } from './strides.ts';

/** C = A·B for row-major A: M×K and B: K×N, by the textbook i-j-k triple loop. */
export function naiveMatmul(
  M: number,
  N: number,
  K: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): number[] {
  const c = new Array<number>(M * N).fill(0);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * K + k]! * b[k * N + j]!;
      c[i * N + j] = s;
    }
  }
  return c;
}

/** Unravels a flat row-major index into a multi-index. */
function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    idx[d] = i % n;
    i = Math.floor(i / n);
  }
  return idx;
}

/** Output spatial size of one conv axis. */
export function convOutSize(
  inSize: number,
  win: number,
  stride: number,
  pad: readonly [number, number],
  lhsDil: number,
  rhsDil: number,
): number {
  const dilIn = inSize === 0 ? 0 : (inSize - 1) * lhsDil + 1;
  const dilWin = win === 0 ? 0 : (win - 1) * rhsDil + 1;
  return Math.max(0, Math.floor((dilIn + pad[0] + pad[1] - dilWin) / stride) + 1);
}

/** conv_general straight from its definition: one sum per output element. */
export function naiveConv(
  x: ArrayLike<number>,
  xShape: readonly number[],
  w: ArrayLike<number>,
  wShape: readonly number[],
  p: PrimParams['conv_general'],
): { data: number[]; shape: number[] } {
  const nsp = xShape.length - 2;
  const N = xShape[0] ?? 0;
  const [O = 0, Cg = 0] = wShape;
  const Og = O / p.groups;
  const outSp: number[] = [];
  for (let d = 0; d < nsp; d++) {
    outSp.push(
      convOutSize(
        xShape[d + 2]!,
        wShape[d + 2]!,
        p.strides[d]!,
        p.padding[d]!,
        p.lhsDilation[d]!,
        p.rhsDilation[d]!,
      ),
    );
  }
  const outShape = [N, O, ...outSp];
  const winShape = wShape.slice(2);
  const xs = stridesOf(xShape);
  const ws = stridesOf(wShape);
  const data = new Array<number>(sizeOf(outShape)).fill(0);
  for (let i = 0; i < data.length; i++) {
    const [n = 0, o = 0, ...os] = unravel(i, outShape);
    const g = Math.floor(o / Og);
    let s = 0;
    for (let c = 0; c < Cg; c++) {
      for (let k = 0; k < sizeOf(winShape); k++) {
        const ks = unravel(k, winShape);
        let xo = n * xs[0]! + (g * Cg + c) * xs[1]!;
        let ok = true;
        for (let d = 0; d < nsp; d++) {
          const dilIn = (xShape[d + 2]! - 1) * p.lhsDilation[d]! + 1;
          const pos = os[d]! * p.strides[d]! + ks[d]! * p.rhsDilation[d]! - p.padding[d]![0];
          if (pos < 0 || pos >= dilIn || pos % p.lhsDilation[d]! !== 0) ok = false;
          xo += (pos / p.lhsDilation[d]!) * xs[d + 2]!;
        }
        if (!ok) continue;
        let wo = o * ws[0]! + c * ws[1]!;
        for (let d = 0; d < nsp; d++) wo += ks[d]! * ws[d + 2]!;
        s += x[xo]! * w[wo]!;
      }
    }
    data[i] = s;
  }
  return { data, shape: outShape };
}

/** dot_general straight from its definition: one sum per output element. */
export function naiveDotGeneral(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
  p: PrimParams['dot_general'],
): { data: number[]; shape: number[] } {
  const aFree = aShape.map((_, d) => d).filter((d) => !p.lhsContract.includes(d) && !p.lhsBatch.includes(d));
  const bFree = bShape.map((_, d) => d).filter((d) => !p.rhsContract.includes(d) && !p.rhsBatch.includes(d));
  const batchShape = p.lhsBatch.map((d) => aShape[d]!);
  const shape = [...batchShape, ...aFree.map((d) => aShape[d]!), ...bFree.map((d) => bShape[d]!)];
  const kShape = p.lhsContract.map((d) => aShape[d]!);
  const as = stridesOf(aShape);
  const bs = stridesOf(bShape);
  const data = new Array<number>(sizeOf(shape)).fill(0);
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    let ao = 0;
    let bo = 0;
    p.lhsBatch.forEach((d, j) => {
      ao += idx[j]! * as[d]!;
      bo += idx[j]! * bs[p.rhsBatch[j]!]!;
    });
    aFree.forEach((d, j) => {
      ao += idx[batchShape.length + j]! * as[d]!;
    });
    bFree.forEach((d, j) => {
      bo += idx[batchShape.length + aFree.length + j]! * bs[d]!;
    });
    let s = 0;
    for (let k = 0; k < sizeOf(kShape); k++) {
      const ks = unravel(k, kShape);
      let ak = ao;
      let bk = bo;
      ks.forEach((v, j) => {
        ak += v * as[p.lhsContract[j]!]!;
        bk += v * bs[p.rhsContract[j]!]!;
      });
      s += a[ak]! * b[bk]!;
    }
    data[i] = s;
  }
  return { data, shape };
}
