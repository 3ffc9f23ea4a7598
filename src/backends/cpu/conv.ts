/**
 * conv_general by im2col + gemm, for any number of spatial dims.
 *
 * lhs [N, C, ...spatial], rhs [O, C/G, ...window], out [N, O, ...outSpatial]. Per spatial
 * axis, a table maps (window position k, output position o) to the input index read, or -1
 * where the tap falls on padding or between lhs-dilated elements. For each batch element and
 * group, the columns matrix [C/G · window, outSpatial] is gathered through those tables and
 * multiplied by the group's weights [O/G, C/G · window] with the blocked gemm.
 *
 * The columns are gathered in runs along the last spatial axis; where the window is longer
 * than the output on that axis (weight gradients: a large "window" over a small output) the
 * matrix is built transposed, [outSpatial, C/G · window], so the runs stay long, and gemm
 * reads it through its strides. Without lhs dilation a run is an affine, contiguous stretch
 * of the input between zero edges; with it, a run reads through the table.
 */
import type { DType, TypedArray } from '../../core/dtype.ts';
import type { PrimParams } from '../../core/primitives.ts';
import type { GemmEngine } from './dot.ts';
import { gemm, type MatView } from './matmul.ts';
import { fmtShape, sizeOf, stridesOf } from './strides.ts';
import { convDirect, type DirectGeometry, directPays } from './wasm/conv-direct.ts';
import { convPacked } from './wasm/conv-pack.ts';
import { forgetPacked } from './wasm/packed-cache.ts';
import { sgemm } from './wasm/sgemm.ts';

/** Per spatial axis: out size, window size, and tap table [k · outSize + o] → input index or -1. */
interface AxisPlan {
  outSize: number;
  win: number;
  stride: number;
  lhsDil: number;
  rhsDil: number;
  /** padding before the input */
  lo: number;
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
  return { outSize, win, stride, lhsDil, rhsDil, lo, tab };
}

/**
 * The last-axis runs: run r has `count` taps; tap t reads input index idx[r·count + t] (or
 * -1). When `affine`, the valid taps are exactly [a[r], b[r]) and read base[r] + t·step.
 */
interface Runs {
  count: number;
  idx: Int32Array;
  a: Int32Array;
  b: Int32Array;
  base: Int32Array;
  step: number;
  affine: boolean;
}

/** Runs over output positions per window tap (`transposed` false) or over taps per output. */
function lastAxisRuns(plan: AxisPlan, transposed: boolean): Runs {
  const { outSize, win, tab } = plan;
  const nRuns = transposed ? outSize : win;
  const count = transposed ? win : outSize;
  const idx = new Int32Array(nRuns * count);
  const a = new Int32Array(nRuns);
  const b = new Int32Array(nRuns);
  const base = new Int32Array(nRuns);
  // Without lhs dilation, tap t of run r reads base + t·step: step is the stride between
  // output positions, or the window dilation between taps.
  const step = transposed ? plan.rhsDil : plan.stride;
  for (let r = 0; r < nRuns; r++) {
    let first = -1;
    let last = -1;
    for (let t = 0; t < count; t++) {
      const v = transposed ? tab[t * outSize + r]! : tab[r * outSize + t]!;
      idx[r * count + t] = v;
      if (v >= 0) {
        if (first < 0) first = t;
        last = t;
      }
    }
    if (first >= 0) {
      a[r] = first;
      b[r] = last + 1;
      base[r] = idx[r * count + first]! - first * step;
    }
  }
  return { count, idx, a, b, base, step, affine: plan.lhsDil === 1 };
}

/** dst[q + t] = tap t of run r read from x at off (0 for padding taps), t < runs.count. */
function copyRun(
  x: TypedArray,
  off: number,
  runs: Runs,
  r: number,
  dst: Float64Array | Float32Array,
  q: number,
): void {
  const count = runs.count;
  if (runs.affine) {
    const a = runs.a[r]!;
    const b = runs.b[r]!;
    const step = runs.step;
    for (let t = 0; t < a; t++) dst[q + t] = 0;
    if (step === 1) {
      const i0 = off + runs.base[r]!;
      for (let t = a; t < b; t++) dst[q + t] = x[i0 + t]!;
    } else {
      for (let t = a, i = off + runs.base[r]! + a * step; t < b; t++, i += step) dst[q + t] = x[i]!;
    }
    for (let t = b; t < count; t++) dst[q + t] = 0;
  } else {
    const idx = runs.idx;
    const row = r * count;
    for (let t = 0; t < count; t++) {
      const v = idx[row + t]!;
      dst[q + t] = v < 0 ? 0 : x[off + v]!;
    }
  }
}

/**
 * For one index `o` over the leading (all but last) output axes: for every index over the
 * leading window axes, the input offset of those axes, or -1 if one of their taps is padding.
 */
function leadingOffsets(
  plans: readonly AxisPlan[],
  inStrides: readonly number[],
  o: readonly number[],
  out: Int32Array,
): void {
  const lead = plans.length - 1;
  const k = new Array<number>(lead).fill(0);
  for (let w = 0; w < out.length; w++) {
    let off = 0;
    for (let d = 0; d < lead; d++) {
      const plan = plans[d]!;
      const t = plan.tab[k[d]! * plan.outSize + o[d]!]!;
      if (t < 0) {
        off = -1;
        break;
      }
      off += t * inStrides[d]!;
    }
    out[w] = off;
    advance(k, plans, 'win');
  }
}

/** Advances an odometer over the leading (all but last) spatial axes. */
function advance(idx: number[], plans: readonly AxisPlan[], key: 'outSize' | 'win'): void {
  for (let d = plans.length - 2; d >= 0; d--) {
    if (++idx[d]! < plans[d]![key]) return;
    idx[d] = 0;
  }
}

/**
 * Fills `out` (zeroed, [N, O, ...outSpatial]) with the convolution of lhs by rhs. The `wasm`
 * engine runs f32 convolutions on the SIMD GEMM, gathering im2col columns straight into its
 * packed panels; f64 (and the `js` engine) build columns and use the f64 gemm.
 *
 * @example
 * const p = { strides: [1], padding: [[0, 0]], lhsDilation: [1], rhsDilation: [1], groups: 1 };
 * convGeneral(x, [1, 1, 5], w, [1, 1, 3], p, out, [1, 1, 3], 'f32', 'wasm');
 */
export function convGeneral(
  lhs: TypedArray,
  lhsShape: readonly number[],
  rhs: TypedArray,
  rhsShape: readonly number[],
  p: PrimParams['conv_general'],
  out: TypedArray,
  outShape: readonly number[],
  outDtype: DType,
  engine: GemmEngine = 'js',
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
  const f32Wasm = engine === 'wasm' && outDtype === 'f32';
  const acc =
    outDtype === 'f64' || f32Wasm ? (out as Float64Array | Float32Array) : new Float64Array(out.length);
  if (out.length === 0) return;

  const Og = O / G;
  const inSpatial = lhsShape.slice(2);
  const S = sizeOf(inSpatial);
  const P = sizeOf(outShape.slice(2));
  const W = sizeOf(rhsShape.slice(2));
  const Kdim = Cg * W;
  const sizes: ConvSizes = { N, C, O, G, Cg, Og, S, P, W };
  const direct = f32Wasm ? directGeometry(plans, inSpatial, sizes) : undefined;
  if (direct) {
    convDirect(lhs, rhs, sizes, direct, out as Float32Array);
    return;
  }
  if (scatterPays(plans, S, P)) {
    convScatter(lhs, rhs, sizes, plans, inSpatial, acc);
    if (acc !== out) out.set(acc);
    return;
  }
  const last = plans[nsp - 1]!;
  const transposed = last.win > last.outSize;
  // Weight gradients (transposed columns: a long window over few outputs) gather faster as
  // affine runs here than through the tap table, so only the others take convPacked.
  if (f32Wasm && !transposed) {
    convPacked(lhs, rhs, sizes, tapTable(plans, stridesOf(inSpatial)), out as Float32Array);
    return;
  }
  // The columns are built for a chunk of channels at a time, small enough to stay in cache
  // while gemm packs them (weight gradients have ~10^5 columns per output position).
  const chunk = Math.max(1, Math.min(Cg, Math.floor(COLS_CHUNK / (W * P))));
  const cols = f32Wasm ? new Float32Array(chunk * W * P) : new Float64Array(chunk * W * P);
  const im2col = new Im2col(plans, stridesOf(inSpatial), S, transposed);
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      for (let c0 = 0; c0 < Cg; c0 += chunk) {
        const nc = Math.min(chunk, Cg - c0);
        const kc = nc * W;
        im2col.fill(lhs, (n * C + g * Cg + c0) * S, nc, cols);
        // the scratch changes every chunk: no packed copy of an earlier chunk may stand in for it
        forgetPacked(cols);
        const B = im2col.transposed
          ? { data: cols, off: 0, rs: 1, cs: kc }
          : { data: cols, off: 0, rs: P, cs: 1 };
        const A: MatView = { data: rhs, off: g * Og * Kdim + c0 * W, rs: Kdim, cs: 1 };
        const at = (n * O + g * Og) * P;
        if (f32Wasm) sgemm(Og, P, kc, A, B, { data: acc, off: at, ldc: P, accumulate: true });
        else gemm(Og, P, kc, A, B, { data: acc as Float64Array, off: at, ldc: P });
      }
    }
  }
  if (acc !== out) out.set(acc);
}

/**
 * The geometry for `convDirect` when a convolution is 2-D, stride 1, without input
 * dilation, and `directPays` (weight gradients too: their taps run over batch × output).
 */
function directGeometry(
  plans: readonly AxisPlan[],
  inSpatial: readonly number[],
  sizes: ConvSizes,
): DirectGeometry | undefined {
  const [h, w] = plans;
  if (plans.length !== 2 || !h || !w) return undefined;
  if (plans.some((p) => p.stride !== 1 || p.lhsDil !== 1)) return undefined;
  const geo: DirectGeometry = {
    inH: inSpatial[0]!,
    inW: inSpatial[1]!,
    outH: h.outSize,
    outW: w.outSize,
    kh: h.win,
    kw: w.win,
    dilH: h.rhsDil,
    dilW: w.rhsDil,
    padTop: h.lo,
    padLeft: w.lo,
  };
  return directPays(sizes, geo) ? geo : undefined;
}

/** Doubles of im2col columns built at once (256 KiB), see convGeneral. */
const COLS_CHUNK = 32768;

/**
 * Gathers the columns of `channels` channels of one (batch element, group), starting at
 * `base`, into `cols`; see the module comment.
 */
class Im2col {
  private readonly lead: Int32Array;
  private readonly runs: Runs;
  private readonly winLead: number;
  private readonly outLead: number;
  private readonly winLast: number;
  private readonly outLast: number;

  constructor(
    private readonly plans: readonly AxisPlan[],
    private readonly inStrides: readonly number[],
    private readonly S: number,
    readonly transposed: boolean,
  ) {
    const last = plans[plans.length - 1]!;
    this.winLead = sizeOf(plans.slice(0, -1).map((p) => p.win));
    this.outLead = sizeOf(plans.slice(0, -1).map((p) => p.outSize));
    this.winLast = last.win;
    this.outLast = last.outSize;
    this.lead = new Int32Array(this.winLead);
    this.runs = lastAxisRuns(last, transposed);
  }

  // cols[(c, k…), (o…)] (or its transpose) = x[base + c·S + taps], 0 on padding.
  fill(x: TypedArray, base: number, channels: number, cols: Float64Array | Float32Array): void {
    const { plans, inStrides, S, lead, runs, winLead, outLead, winLast, outLast } = this;
    const P = outLead * outLast;
    const Kdim = channels * winLead * winLast;
    const o = new Array<number>(plans.length - 1).fill(0);
    for (let ol = 0; ol < outLead; ol++) {
      leadingOffsets(plans, inStrides, o, lead);
      if (this.transposed) {
        // rows: output positions; each row: channels × leading taps × a run over last-axis taps
        for (let t = 0; t < outLast; t++) {
          let q = (ol * outLast + t) * Kdim;
          for (let c = 0; c < channels; c++) {
            const cb = base + c * S;
            for (let w = 0; w < winLead; w++, q += winLast) {
              const off = lead[w]!;
              if (off < 0) cols.fill(0, q, q + winLast);
              else copyRun(x, cb + off, runs, t, cols, q);
            }
          }
        }
      } else {
        // rows: (channel, tap); within a row, this leading output index owns a run of outLast
        for (let c = 0; c < channels; c++) {
          const cb = base + c * S;
          for (let w = 0; w < winLead; w++) {
            const off = lead[w]!;
            const row0 = (c * winLead + w) * winLast;
            for (let k = 0; k < winLast; k++) {
              const q = (row0 + k) * P + ol * outLast;
              if (off < 0) cols.fill(0, q, q + outLast);
              else copyRun(x, cb + off, runs, k, cols, q);
            }
          }
        }
      }
      advance(o, plans, 'outSize');
    }
  }
}

/**
 * Whether to convolve by scattering (below) instead of im2col: for stride 1 without lhs
 * dilation, when the output is much larger than the input, as in the input gradient of a
 * valid convolution (a "full" convolution, padded by the window on each side), where most
 * columns of im2col would be padding zeros.
 */
function scatterPays(plans: readonly AxisPlan[], S: number, P: number): boolean {
  return plans.every((p) => p.stride === 1 && p.lhsDil === 1 && p.win > 1) && 3 * S < 2 * P;
}

/**
 * For every window index w and output index o (both row-major over the spatial axes),
 * table[w · P + o] is the input's spatial offset read by that tap, or -1 on padding.
 */
function tapTable(plans: readonly AxisPlan[], inStrides: readonly number[]): Int32Array {
  let table = Int32Array.of(0);
  let win = 1;
  let outs = 1;
  plans.forEach((plan, d) => {
    const w2 = win * plan.win;
    const o2 = outs * plan.outSize;
    const next = new Int32Array(w2 * o2);
    for (let w = 0; w < win; w++) {
      for (let k = 0; k < plan.win; k++) {
        for (let o = 0; o < outs; o++) {
          for (let q = 0; q < plan.outSize; q++) {
            const prev = table[w * outs + o]!;
            const t = plan.tab[k * plan.outSize + q]!;
            next[(w * plan.win + k) * o2 + o * plan.outSize + q] =
              prev < 0 || t < 0 ? -1 : prev + t * inStrides[d]!;
          }
        }
      }
    }
    table = next;
    win = w2;
    outs = o2;
  });
  return table;
}

/** The sizes of a convolution: batch, channels, groups, and spatial element counts. */
export interface ConvSizes {
  N: number;
  C: number;
  O: number;
  G: number;
  Cg: number;
  Og: number;
  S: number;
  P: number;
  W: number;
}

/**
 * Convolution as a product then a scatter (col2im): for stride 1 and no lhs dilation, output
 * position q receives input position p through window tap k when q = p - k·rhsDil + lo. Per
 * (batch element, group), Z[(o, k), p] = Σ_c w[o, c, k] · x[c, p] is one gemm over the
 * input positions (no padding taps), and each row of Z is added into the output shifted by
 * its tap, dropping positions outside the output. Work ∝ input size instead of output size.
 */
function convScatter(
  lhs: TypedArray,
  rhs: TypedArray,
  z: ConvSizes,
  plans: readonly AxisPlan[],
  inSpatial: readonly number[],
  acc: Float64Array | Float32Array,
): void {
  const { N, C, O, G, Cg, Og, S, P, W } = z;
  const nsp = plans.length;
  // f32 outputs take the f32 product (the wasm engine); f64 scratch goes through the f64 gemm
  const f32 = acc instanceof Float32Array;
  const Scratch = f32 ? Float32Array : Float64Array;
  const product = (
    M: number,
    Nn: number,
    K: number,
    A: MatView,
    B: MatView,
    out: Float64Array | Float32Array,
  ) =>
    f32
      ? sgemm(M, Nn, K, A, B, { data: out, off: 0, ldc: Nn })
      : gemm(M, Nn, K, A, B, { data: out as Float64Array, off: 0, ldc: Nn });
  // weights as [G·Og·W, Cg]: row (o, k) holds w[o, :, k]
  const wt = new Scratch(G * Og * W * Cg);
  for (let o = 0; o < G * Og; o++) {
    for (let c = 0; c < Cg; c++) {
      const src = (o * Cg + c) * W;
      for (let k = 0; k < W; k++) wt[(o * W + k) * Cg + c] = rhs[src + k]!;
    }
  }
  const zs = new Scratch(Og * W * S);
  const inStrides = stridesOf(inSpatial);
  const outSpatial = plans.map((p) => p.outSize);
  const outStrides = stridesOf(outSpatial);
  const last = plans[nsp - 1]!;
  const inLast = inSpatial[nsp - 1]!;
  const outLast = last.outSize;
  // odometers over the window (all axes) and the input's leading axes
  const k = new Array<number>(nsp).fill(0);
  const pl = new Array<number>(nsp).fill(0);
  const lo = plans.map((p) => p.lo);
  const leadIn = S / inLast;
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      zs.fill(0);
      product(
        Og * W,
        S,
        Cg,
        { data: wt, off: g * Og * W * Cg, rs: Cg, cs: 1 },
        { data: lhs, off: (n * C + g * Cg) * S, rs: S, cs: 1 },
        zs,
      );
      for (let o = 0; o < Og; o++) {
        const obase = (n * O + g * Og + o) * P;
        k.fill(0);
        for (let kw = 0; kw < W; kw++) {
          const zrow = (o * W + kw) * S;
          const shift = lo[nsp - 1]! - k[nsp - 1]! * last.rhsDil;
          const p0 = Math.max(0, -shift);
          const p1 = Math.min(inLast, outLast - shift);
          pl.fill(0);
          for (let r = 0; r < leadIn; r++) {
            // output offset of the leading axes, or -1 when one falls outside the output
            let qOff = 0;
            let pOff = 0;
            for (let d = 0; d < nsp - 1; d++) {
              const q = pl[d]! - k[d]! * plans[d]!.rhsDil + lo[d]!;
              if (q < 0 || q >= outSpatial[d]!) {
                qOff = -1;
                break;
              }
              qOff += q * outStrides[d]!;
              pOff += pl[d]! * inStrides[d]!;
            }
            if (qOff >= 0) {
              const zi = zrow + pOff;
              const oi = obase + qOff + shift;
              for (let p = p0; p < p1; p++) acc[oi + p] = acc[oi + p]! + zs[zi + p]!;
            }
            for (let d = nsp - 2; d >= 0; d--) {
              if (++pl[d]! < inSpatial[d]!) break;
              pl[d] = 0;
            }
          }
          for (let d = nsp - 1; d >= 0; d--) {
            if (++k[d]! < plans[d]!.win) break;
            k[d] = 0;
          }
        }
      }
    }
  }
}
