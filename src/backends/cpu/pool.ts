/**
 * window_argmax and window_max: the flat index or the value of each pooling window's first
 * maximum (PyTorch's max-pool kernel: a value wins when it is larger or NaN). Spatial ranks
 * 1 and 2 run one 2-d loop nest (a missing axis has extent 1); rank 3 adds the depth loops.
 */
import type { TypedArray } from '../../core/dtype.ts';
import type { WindowParams } from '../../core/primitives.ts';
import { type AxisTaps, windowTaps } from '../../core/window.ts';
import { sizeOf } from './strides.ts';
import { pool2x2Kernels } from './wasm/pool-kernel.ts';
import { wasmKernels } from './wasm/runtime.ts';

const UNIT: AxisTaps = { size: 1, out: 1, step: 1, first: new Int32Array([0]), count: new Int32Array([1]) };

/**
 * Writes each window's first-maximum index (`values` false) or value (`values` true) into
 * `out`; with `simd`, f32 2×2 stride-2 pools run on the WebAssembly SIMD kernel.
 */
export function windowMax(
  x: TypedArray,
  shape: readonly number[],
  p: WindowParams,
  out: TypedArray,
  values: boolean,
  simd = false,
): void {
  const nsp = p.out.length;
  const taps = windowTaps('cpu window pooling', p, shape.slice(shape.length - nsp));
  while (taps.length < 3) taps.unshift(UNIT);
  const [td, th, tw] = taps as [AxisTaps, AxisTaps, AxisTaps];
  const planes = sizeOf(shape.slice(0, shape.length - nsp));
  if (out.length !== planes * td.out * th.out * tw.out)
    throw new Error('cpu window pooling: output has the wrong size');
  const HW = th.size * tw.size;
  if (nsp === 2 && isTiled2x2(p, th, tw)) {
    if (simd && x instanceof Float32Array && tw.out >= 4) tiled2x2Simd(x, out, planes, th, tw, values);
    else tiled2x2(x, out, planes, th, tw, values);
    return;
  }
  let q = 0;
  for (let n = 0; n < planes; n++) {
    for (let od = 0; od < td.out; od++) {
      const base = n * td.size * HW + td.first[od]! * HW;
      q =
        td.count[od] === 1 && nsp < 3
          ? windows2d(x, out, q, base, th, tw, values)
          : windows3d(x, out, q, base, td.count[od]!, td.step * HW, th, tw, values);
    }
  }
}

/** Whole 2×2 windows with stride 2 and no padding or dilation: the common case (LeNet's pools). */
function isTiled2x2(p: WindowParams, th: AxisTaps, tw: AxisTaps): boolean {
  if (!th.count.every((c) => c === 2) || !tw.count.every((c) => c === 2)) return false;
  const two = (v: readonly number[]) => v[0] === 2 && v[1] === 2;
  const one = (v: readonly number[]) => v[0] === 1 && v[1] === 1;
  return (
    !p.adaptive &&
    two(p.window) &&
    two(p.strides) &&
    one(p.dilation) &&
    p.padding[0] === 0 &&
    p.padding[1] === 0
  );
}

/** Planes per wasm call: about 256 KB of input, so a chunk stays in cache while it is pooled. */
const CHUNK_FLOATS = 65536;

/** `tiled2x2` on the wasm kernel, a chunk of whole planes at a time. */
function tiled2x2Simd(
  x: Float32Array,
  out: TypedArray,
  planes: number,
  th: AxisTaps,
  tw: AxisTaps,
  values: boolean,
): void {
  const hw = th.size * tw.size;
  const ohw = th.out * tw.out;
  const per = Math.max(1, Math.floor(CHUNK_FLOATS / hw));
  const k = wasmKernels();
  const pool2x2 = pool2x2Kernels();
  const outAt = per * hw; // in floats, after the input chunk
  k.reserve(4 * (outAt + per * ohw));
  const mem = k.f32();
  const memI = new Int32Array(mem.buffer);
  for (let n0 = 0; n0 < planes; n0 += per) {
    const n = Math.min(per, planes - n0);
    mem.set(x.subarray(n0 * hw, (n0 + n) * hw), 0);
    if (values) pool2x2.pool2x2_values(n, th.out, tw.out, tw.size, hw, 0, 4 * outAt, n0 * hw);
    else pool2x2.pool2x2_argmax(n, th.out, tw.out, tw.size, hw, 0, 4 * outAt, n0 * hw);
    const src = values ? mem : memI;
    out.set(src.subarray(outAt, outAt + n * ohw), n0 * ohw);
  }
}

/** The 2×2 windows unrolled: same taps, same order, same tie and NaN rule as `windows2d`. */
function tiled2x2(
  x: TypedArray,
  out: TypedArray,
  planes: number,
  th: AxisTaps,
  tw: AxisTaps,
  values: boolean,
): void {
  const W = tw.size;
  let q = 0;
  if (values) {
    // Branch-free: Math.max is NaN-propagating like the compare chain, and random data
    // makes the chain's branches unpredictable (3× slower here).
    for (let n = 0; n < planes; n++) {
      for (let oh = 0; oh < th.out; oh++) {
        let i = (n * th.size + 2 * oh) * W;
        for (let ow = 0; ow < tw.out; ow++, i += 2)
          out[q++] = Math.max(Math.max(x[i]!, x[i + 1]!), Math.max(x[i + W]!, x[i + W + 1]!));
      }
    }
    return;
  }
  for (let n = 0; n < planes; n++) {
    for (let oh = 0; oh < th.out; oh++) {
      let i = (n * th.size + 2 * oh) * W;
      for (let ow = 0; ow < tw.out; ow++, i += 2) {
        let best = x[i]!;
        let at = i;
        let v = x[i + 1]!;
        // biome-ignore lint/suspicious/noSelfCompare: NaN test without a call in the hot loop
        if (v > best || v !== v) {
          best = v;
          at = i + 1;
        }
        v = x[i + W]!;
        // biome-ignore lint/suspicious/noSelfCompare: as above
        if (v > best || v !== v) {
          best = v;
          at = i + W;
        }
        v = x[i + W + 1]!;
        // biome-ignore lint/suspicious/noSelfCompare: as above
        if (v > best || v !== v) {
          best = v;
          at = i + W + 1;
        }
        out[q++] = values ? best : at;
      }
    }
  }
}

/** One plane's windows; returns the next output position. */
function windows2d(
  x: TypedArray,
  out: TypedArray,
  q: number,
  base: number,
  th: AxisTaps,
  tw: AxisTaps,
  values: boolean,
): number {
  const W = tw.size;
  const sh = th.step * W;
  const sw = tw.step;
  const { first: fh, count: nh0 } = th;
  const { first: fw, count: nw0 } = tw;
  for (let oh = 0; oh < th.out; oh++) {
    const h0 = base + fh[oh]! * W;
    const nh = nh0[oh]!;
    for (let ow = 0; ow < tw.out; ow++) {
      const w0 = h0 + fw[ow]!;
      const nw = nw0[ow]!;
      let best = Number.NEGATIVE_INFINITY;
      let at = w0;
      for (let b = 0; b < nh; b++) {
        const row = w0 + b * sh;
        for (let c = 0; c < nw; c++) {
          const i = row + c * sw;
          const v = x[i]!;
          // biome-ignore lint/suspicious/noSelfCompare: NaN test without a call in the hot loop
          if (v > best || v !== v) {
            best = v;
            at = i;
          }
        }
      }
      out[q++] = values ? x[at]! : at;
    }
  }
  return q;
}

/** As `windows2d` with `nd` depth taps `sd` elements apart. */
function windows3d(
  x: TypedArray,
  out: TypedArray,
  q: number,
  base: number,
  nd: number,
  sd: number,
  th: AxisTaps,
  tw: AxisTaps,
  values: boolean,
): number {
  const W = tw.size;
  const sh = th.step * W;
  for (let oh = 0; oh < th.out; oh++) {
    for (let ow = 0; ow < tw.out; ow++) {
      const w0 = base + th.first[oh]! * W + tw.first[ow]!;
      let best = Number.NEGATIVE_INFINITY;
      let at = w0;
      for (let a = 0; a < nd; a++)
        for (let b = 0; b < th.count[oh]!; b++)
          for (let c = 0; c < tw.count[ow]!; c++) {
            const i = w0 + a * sd + b * sh + c * tw.step;
            const v = x[i]!;
            // biome-ignore lint/suspicious/noSelfCompare: NaN test without a call in the hot loop
            if (v > best || v !== v) {
              best = v;
              at = i;
            }
          }
      out[q++] = values ? x[at]! : at;
    }
  }
  return q;
}
