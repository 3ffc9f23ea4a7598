/**
 * f32 2-D convolution with stride 1 and no input dilation, computed directly on the
 * `conv_taps` SIMD kernel: each image (one group's channels) is copied once into a
 * zero-padded plane in wasm memory, every output position of the padded grid is a tap sum
 * at fixed offsets, and the valid columns are copied out. No im2col panel is gathered, so
 * thin convolutions (one input channel: 9 or 25 taps) run at the kernel's speed. With a
 * worker pool, batches of images are staged at once and their (image, group) units split
 * across the threads; each unit is computed whole by one thread, so results are
 * bit-identical to one thread's.
 */
import type { TypedArray } from '../../../core/dtype.ts';
import type { ConvSizes } from '../conv.ts';
import { type ConvTaps, convTapsKernel, MR, NR, TAIL } from './conv-taps-kernel.ts';
import { gemmPool, type TapsJob } from './gemm-pool.ts';
import { wasmKernels } from './runtime.ts';

/** The 2-D geometry of a stride-1 convolution: sizes, window, rhs dilation, leading padding. */
export interface DirectGeometry {
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  kh: number;
  kw: number;
  dilH: number;
  dilW: number;
  padTop: number;
  padLeft: number;
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

/** The padded plane's width and height (the input plus its padding on both sides). */
function paddedSize(geo: DirectGeometry): [number, number] {
  return [geo.outH + (geo.kh - 1) * geo.dilH, geo.outW + (geo.kw - 1) * geo.dilW];
}

/**
 * The float layout in wasm memory: [packed weights of every group | tap offsets | padded
 * images | output planes], from float 0 (`floats` covers one unit; a batch of units takes
 * `xLen` and `oPad·ldo` more floats each).
 */
function layout(z: ConvSizes, geo: DirectGeometry) {
  const { G, Cg, Og } = z;
  const { outH, outW, kh, kw, dilH, dilW } = geo;
  const [Hp, Wp] = paddedSize(geo);
  const Sp = Hp * Wp;
  const T = Cg * kh * kw;
  const cols = roundUp(outW, NR);
  const oPad = roundUp(Og, TAIL);
  const maxOff = (Cg - 1) * Sp + (kh - 1) * dilH * Wp + (kw - 1) * dilW;
  // each output plane, with slack for the last row's spill
  const ldo = roundUp(outH * outW + cols, 4);
  const offAt = G * oPad * T;
  const xAt = roundUp(offAt + T, 4);
  const xLen = roundUp(Math.max(Cg * Sp, (outH - 1) * Wp + cols + maxOff), 4);
  const oAt = xAt + xLen;
  return { Wp, Sp, T, cols, oPad, ldo, offAt, xAt, xLen, oAt, floats: oAt + oPad * ldo };
}

/**
 * The most taps one `conv_taps` call runs: more input channels are split into chunks, each
 * adding onto the outputs so far. A 4-channel sliver of 288 taps' weights (4.5 KB) and the
 * input rows its 8-column tile reads stay in L1 across the tile; timed alone on W5's image
 * (3×3, 32²), 32 channels a call ran at 42 GF/s and all 64 at 31–34.
 */
const CHUNK_TAPS = 288;

/**
 * How many chunks the channels split into and the channels per chunk (the last may have
 * fewer). Only rows of whole 8-column runs (`whole`) split: a rounded-up row spills into
 * the next row's start, which a later chunk would load and add onto as if it were output.
 */
function channelChunks(Cg: number, win: number, whole: boolean): [number, number] {
  if (!whole) return [1, Cg];
  const chunks = Math.ceil((Cg * win) / Math.max(win, CHUNK_TAPS));
  const per = Math.ceil(Cg / chunks);
  return [Math.ceil(Cg / per), per];
}

/**
 * The most wasm memory a direct convolution may take (it is kept once grown): a weight
 * gradient's packed operand is as large as the output gradient, so large ones take the
 * blocked GEMM instead.
 */
const MAX_BYTES = 64 * 2 ** 20;

/**
 * Whether `convDirect` applies and pays: the padding is not negative (the input fits in
 * the padded plane), rounding each output row up to NR columns at most doubles it (the
 * kernel computes, then overwrites, those extra columns) or the window is wider than the
 * output (a weight gradient, whose alternative gathers transposed im2col columns in
 * JavaScript: tutorial 8's 3×3-output weight gradients ran 2.1–2.7× faster here despite
 * the 8/3 columns), and its wasm memory stays under 64 MiB.
 *
 * @example
 * const z = { N: 1, C: 1, O: 16, G: 1, Cg: 1, Og: 16, S: 784, P: 784, W: 9 };
 * directPays(z, { inH: 28, inW: 28, outH: 28, outW: 28, kh: 3, kw: 3, dilH: 1, dilW: 1, padTop: 1, padLeft: 1 }); // true
 */
export function directPays(z: ConvSizes, geo: DirectGeometry): boolean {
  const [Hp, Wp] = paddedSize(geo);
  return (
    geo.padTop >= 0 &&
    geo.padLeft >= 0 &&
    geo.padTop + geo.inH <= Hp &&
    geo.padLeft + geo.inW <= Wp &&
    (roundUp(geo.outW, NR) <= 2 * geo.outW || geo.kw > geo.outW) &&
    4 * layout(z, geo).floats <= MAX_BYTES
  );
}

/** Least multiply-adds worth splitting a convolution's images across the pool (a round trip costs ~20 µs). */
const THREAD_MIN = 1 << 21;

/** Most floats a batch of images takes in the pool's memory (16 MiB), unless one image per thread needs more. */
const BATCH_FLOATS = 1 << 22;

/**
 * Unit `u` of a `TapsJob` (an image's group, staged at its x plane): each chunk of input
 * channels adds onto its output planes. Self-contained: the pool's workers run its source.
 *
 * @example
 * tapsUnit({ conv_taps: convTapsKernel() }, job, 0);
 */
export function tapsUnit(ex: { conv_taps: ConvTaps }, job: TapsJob, u: number): void {
  const [, G, Cg, per, win, oPad, outH, cols, Wp, outW, T, offAt, Sp, xAt, xLen, oAt, oLen, ldo, wAt] =
    job as number[];
  const g = u % G!;
  // a chunk's taps are the first chunk's, shifted by its first channel's plane
  for (let i = 0, c0 = 0; c0 < Cg!; i++, c0 += per!) {
    const tc = Math.min(per!, Cg! - c0) * win!;
    const wp = 4 * (wAt! + g * oPad! * T! + oPad! * c0 * win!);
    const xp = 4 * (xAt! + u * xLen! + c0 * Sp!);
    ex.conv_taps(oPad!, outH!, cols!, Wp!, outW!, tc, wp, 4 * offAt!, xp, 4 * (oAt! + u * oLen!), ldo!, i);
  }
}

/**
 * Fills `out` ([N, O, outH, outW]) with the convolution of lhs [N, C, inH, inW] by rhs
 * [O, Cg, kh, kw] (stride 1, no input dilation; `directPays` must hold).
 *
 * @example
 * const z = { N: 1, C: 1, O: 1, G: 1, Cg: 1, Og: 1, S: 9, P: 9, W: 9 };
 * const geo = { inH: 3, inW: 3, outH: 3, outW: 3, kh: 3, kw: 3, dilH: 1, dilW: 1, padTop: 1, padLeft: 1 };
 * convDirect(x, w, z, geo, out);
 */
export function convDirect(
  lhs: TypedArray,
  rhs: TypedArray,
  z: ConvSizes,
  geo: DirectGeometry,
  out: Float32Array,
): void {
  const { N, O, G, Cg, Og } = z;
  const { inH, inW, outH, outW, kh, kw, dilH, dilW, padTop, padLeft } = geo;
  const { Wp, Sp, T, cols, oPad, ldo, offAt: offAt0, xAt: xAt0, xLen } = layout(z, geo);
  const outS = outH * outW;
  const oLen = oPad * ldo;
  // a pool splits images when there are two and enough work; one thread stages one image at a time
  const pool = gemmPool();
  const threaded = pool !== undefined && N >= 2 && N * O * outS * Cg * kh * kw >= THREAD_MIN;
  const base = threaded ? pool.base : 0;
  const wAt = base;
  const offAt = base + offAt0;
  const xAt = base + xAt0;
  const perImage = G * (xLen + oLen);
  // at least one image per thread, or a job of one large image would leave the workers idle
  const batch = threaded ? Math.min(N, Math.max(pool.threads, Math.floor(BATCH_FLOATS / perImage))) : 1;
  const oAt = xAt + batch * G * xLen;
  const k = threaded ? pool.kernels : wasmKernels();
  const taps = threaded ? undefined : { conv_taps: convTapsKernel() };
  k.reserve(4 * (oAt + batch * G * oLen));
  const mem = k.f32();
  const offs = new Int32Array(mem.buffer, 4 * offAt, T);
  for (let c = 0, t = 0; c < Cg; c++) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++, t++) offs[t] = c * Sp + ky * dilH * Wp + kx * dilW;
    }
  }
  const win = kh * kw;
  const [, per] = channelChunks(Cg, win, cols === outW);
  // per group, per chunk of channels: slivers of MR rows (the last one TAIL rows when MR
  // does not divide oPad), each the chunk's taps × its rows
  for (let g = 0; g < G; g++) {
    for (let c0 = 0; c0 < Cg; c0 += per) {
      const tc = Math.min(per, Cg - c0) * win;
      const chunkAt = wAt + g * oPad * T + oPad * c0 * win;
      for (let ob = 0; ob < oPad; ob += MR) {
        const mr = Math.min(MR, oPad - ob);
        for (let t = 0; t < tc; t++) {
          const q = chunkAt + ob * tc + t * mr;
          for (let r = 0; r < mr; r++) {
            const o = ob + r;
            mem[q + r] = o < Og ? rhs[(g * Og + o) * T + c0 * win + t]! : 0;
          }
        }
      }
    }
  }
  // the padding stays zero: every image writes the same interior positions
  mem.fill(0, xAt, xAt + batch * G * xLen);
  const inS = inH * inW;
  for (let n0 = 0; n0 < N; n0 += batch) {
    const units = Math.min(batch, N - n0) * G;
    for (let u = 0; u < units; u++) {
      for (let c = 0; c < Cg; c++) {
        const src = (n0 * G + u) * Cg * inS + c * inS;
        const dst = xAt + u * xLen + c * Sp + padTop * Wp + padLeft;
        for (let y = 0; y < inH; y++) {
          const s = src + y * inW;
          const d = dst + y * Wp;
          for (let x = 0; x < inW; x++) mem[d + x] = lhs[s + x]!;
        }
      }
    }
    const job = [
      units,
      G,
      Cg,
      per,
      win,
      oPad,
      outH,
      cols,
      Wp,
      outW,
      T,
      offAt,
      Sp,
      xAt,
      xLen,
      oAt,
      oLen,
      ldo,
      wAt,
    ];
    if (taps) for (let u = 0; u < units; u++) tapsUnit(taps, job, u);
    else pool!.taps(job);
    for (let u = 0; u < units; u++) {
      for (let o = 0; o < Og; o++) {
        const src = oAt + u * oLen + o * ldo;
        out.set(mem.subarray(src, src + outS), ((n0 * G + u) * Og + o) * outS);
      }
    }
  }
}
