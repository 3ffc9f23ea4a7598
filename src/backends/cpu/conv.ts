/**
 * conv_general by im2col + gemm, for any number of spatial dims.
 *
 * lhs [N, C, ...spatial], rhs [O, C/G, ...window], out [N, O, ...outSpatial]. Per spatial
 * axis, a table maps (window position k, output position o) to the input index read, or -1
 * where the tap falls on padding or between lhs-dilated elements. For each batch element and
 * group, the columns matrix [C/G · window, outSpatial] is gathered through those tables and
 * multiplied by the group's weights [O/G, C/G · window] with the blocked gemm.
 */
import type { DType, TypedArray } from '../../core/dtype.ts';
import type { PrimParams } from '../../core/primitives.ts';
import { gemm } from './matmul.ts';
import { fmtShape, sizeOf, stridesOf } from './strides.ts';

/** Per spatial axis: out size, window size, and tap table [k · outSize + o] → input index or -1. */
interface AxisPlan {
  outSize: number;
  win: number;
  tab: Int32Array;
}

function planAxis(
  axis: number,
  inSize: number,
  win: number,
  outSize: number,
  stride: number,
  lo: number,
  hi: number,
  lhsDil: number,
  rhsDil: number,
): AxisPlan {
  if (!(stride >= 1 && lhsDil >= 1 && rhsDil >= 1)) {
    throw new Error(
      `cpu conv_general: stride ${stride}, lhsDilation ${lhsDil}, rhsDilation ${rhsDil} of spatial axis ${axis} must be >= 1`,
    );
  }
  const dilIn = inSize === 0 ? 0 : (inSize - 1) * lhsDil + 1;
  const dilWin = win === 0 ? 0 : (win - 1) * rhsDil + 1;
  const expected = Math.max(0, Math.floor((dilIn + lo + hi - dilWin) / stride) + 1);
  if (outSize !== expected) {
    throw new Error(
      `cpu conv_general: output size ${outSize} on spatial axis ${axis} should be ${expected} (input ${inSize}, window ${win}, stride ${stride}, padding [${lo},${hi}])`,
    );
  }
  const tab = new Int32Array(win * outSize);
  for (let k = 0; k < win; k++) {
    for (let o = 0; o < outSize; o++) {
      const p = o * stride + k * rhsDil - lo;
      tab[k * outSize + o] = p >= 0 && p < dilIn && p % lhsDil === 0 ? p / lhsDil : -1;
    }
  }
  return { outSize, win, tab };
}

export function convGeneral(
  lhs: TypedArray,
  lhsShape: readonly number[],
  rhs: TypedArray,
  rhsShape: readonly number[],
  p: PrimParams['conv_general'],
  out: TypedArray,
  outShape: readonly number[],
  outDtype: DType,
): void {
  const rank = lhsShape.length;
  const nsp = rank - 2;
  const [N = 0, C = 0] = lhsShape;
  const [O = 0, Cg = 0] = rhsShape;
  const G = p.groups;
  const bad = (why: string) =>
    new Error(`cpu conv_general: ${why} (lhs ${fmtShape(lhsShape)}, rhs ${fmtShape(rhsShape)}, groups ${G})`);
  if (nsp < 1 || rhsShape.length !== rank || outShape.length !== rank)
    throw bad('ranks differ or no spatial dims');
  if (!Number.isInteger(G) || G < 1 || C !== Cg * G || O % G !== 0)
    throw bad('channels do not split into groups');
  if (outShape[0] !== N || outShape[1] !== O) throw bad(`output shape ${fmtShape(outShape)} is wrong`);
  const plans: AxisPlan[] = [];
  for (let d = 0; d < nsp; d++) {
    const pad = p.padding[d] ?? [0, 0];
    plans.push(
      planAxis(
        d,
        lhsShape[d + 2]!,
        rhsShape[d + 2]!,
        outShape[d + 2]!,
        p.strides[d] ?? 1,
        pad[0],
        pad[1],
        p.lhsDilation[d] ?? 1,
        p.rhsDilation[d] ?? 1,
      ),
    );
  }
  const acc = outDtype === 'f64' ? (out as Float64Array) : new Float64Array(out.length);
  if (out.length === 0) return;

  const Og = O / G;
  const inSpatial = lhsShape.slice(2);
  const S = sizeOf(inSpatial);
  const P = sizeOf(outShape.slice(2));
  const W = sizeOf(rhsShape.slice(2));
  const Kdim = Cg * W;
  const cols = new Float64Array(Kdim * P);
  const inStrides = stridesOf(inSpatial);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      im2col(lhs, (n * C + g * Cg) * S, Cg, S, inStrides, plans, cols);
      gemm(
        Og,
        P,
        Kdim,
        { data: rhs, off: g * Og * Kdim, rs: Kdim, cs: 1 },
        { data: cols, off: 0, rs: P, cs: 1 },
        { data: acc, off: (n * O + g * Og) * P, ldc: P },
      );
    }
  }
  if (acc !== out) out.set(acc);
}

/**
 * cols[(c, k…), (o…)] = x[base + c·S + Σ_d tab_d[k_d, o_d]·inStride_d], or 0 where any tap is
 * -1. Rows run over channel then window position (the rhs layout); the last spatial axis
 * (stride 1 in the contiguous input) is the tight inner loop.
 */
function im2col(
  x: TypedArray,
  base: number,
  channels: number,
  S: number,
  inStrides: readonly number[],
  plans: readonly AxisPlan[],
  cols: Float64Array,
): void {
  const nsp = plans.length;
  const last = plans[nsp - 1]!;
  const lastOut = last.outSize;
  const lastTab = last.tab;
  // window and output indices over the leading spatial axes (odometers)
  const winOuter = sizeOf(plans.slice(0, -1).map((a) => a.win));
  const outOuter = sizeOf(plans.slice(0, -1).map((a) => a.outSize));
  const k = new Array<number>(nsp).fill(0);
  const o = new Array<number>(nsp).fill(0);
  let q = 0;
  for (let c = 0; c < channels; c++) {
    const cb = base + c * S;
    k.fill(0);
    for (let wk = 0; wk < winOuter; wk++) {
      for (let kl = 0; kl < last.win; kl++) {
        const tabRow = kl * lastOut;
        o.fill(0);
        for (let wo = 0; wo < outOuter; wo++) {
          // input offset of the leading axes, or -1 if one of them is padding
          let off = cb;
          for (let d = 0; d < nsp - 1; d++) {
            const plan = plans[d]!;
            const t = plan.tab[k[d]! * plan.outSize + o[d]!]!;
            if (t < 0) {
              off = -1;
              break;
            }
            off += t * inStrides[d]!;
          }
          if (off < 0) {
            cols.fill(0, q, q + lastOut);
          } else {
            for (let ol = 0; ol < lastOut; ol++) {
              const t = lastTab[tabRow + ol]!;
              cols[q + ol] = t < 0 ? 0 : x[off + t]!;
            }
          }
          q += lastOut;
          step(o, plans, 'outSize');
        }
      }
      step(k, plans, 'win');
    }
  }
}

/** Advances an odometer over the leading (all but last) spatial axes. */
function step(idx: number[], plans: readonly AxisPlan[], key: 'outSize' | 'win'): void {
  for (let d = plans.length - 2; d >= 0; d--) {
    if (++idx[d]! < plans[d]![key]) return;
    idx[d] = 0;
  }
}
