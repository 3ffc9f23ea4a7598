/**
 * f32 convolution as one SIMD GEMM per group: out[n, o, q] = Σ_(c, w) weight[o, c, w] ·
 * x[n, c, tap(w, q)], with the columns running over (image n, output position q) so the
 * weights are packed once for the whole batch and thin layers (one input channel: K = 9)
 * still make long products. The im2col matrix is never built: the packer gathers each
 * KC×NC panel straight into the kernel's NR-column slivers through the tap table.
 */
import type { TypedArray } from '../../../core/dtype.ts';
import type { ConvSizes } from '../conv.ts';
import { type Im2colGather, im2colGatherKernel } from './im2col-gather-kernel.ts';
import { wasmKernels } from './runtime.ts';
import { type PackB, sgemm } from './sgemm.ts';
import { NR as KERNEL_NR } from './sgemm-kernel.ts';

const NR = KERNEL_NR;

/**
 * Group g's input planes (image n, channel c < Cg: N·Cg planes of S floats) written into
 * `dst` from float `at`, each followed by a 0, so a padding tap reads that 0 through the
 * same indexed load as any other tap: plane (n, c) starts at at + (n·Cg + c)·(S + 1).
 */
function zeroEndedPlanes(x: TypedArray, z: ConvSizes, g: number, dst: Float32Array, at: number): void {
  const { N, C, Cg, S } = z;
  for (let n = 0; n < N; n++) {
    for (let c = 0, src = (n * C + g * Cg) * S; c < Cg; c++) {
      // a subarray costs ~0.1 µs: a plane copy only pays past a few dozen floats
      if (S >= 32) dst.set(x.subarray(src, src + S), at);
      else for (let s = 0; s < S; s++) dst[at + s] = x[src + s]!;
      src += S;
      at += S;
      dst[at++] = 0;
    }
  }
}

/** Most index-table entries precomputed for every sliver start (256 KiB of i32). */
const TABLES_MAX = 1 << 16;

/**
 * The index table of a sliver whose first column is position q0 of some image n0, with
 * `cols` columns: entry w·NR + i is the byte offset, from image n0's first zero-ended plane,
 * of tap w of column i (past `cols`, a padding 0 of column cols - 1's image).
 */
function sliverTable(
  q0: number,
  cols: number,
  z: ConvSizes,
  tab: Int32Array,
  out: Int32Array,
  at: number,
): void {
  const { Cg, S, W, P } = z;
  for (let i = 0; i < NR; i++) {
    const pos = q0 + Math.min(i, cols - 1);
    const images = Math.floor(pos / P);
    const base = images * Cg * (S + 1);
    for (let w = 0; w < W; w++) {
      const tap = i < cols ? tab[w * P + pos - images * P]! : -1;
      out[at + w * NR + i] = 4 * (base + (tap < 0 ? S : tap));
    }
  }
}

/**
 * The packer of the im2col columns of group `g`, gathering in wasm: row k = (c, w) and
 * column j = (n, q) read x[(n·C + g·Cg + c)·S + tab[w·P + q]], or 0 where the tap is -1
 * (padding). Its scratch holds the group's `zeroEndedPlanes`, the index tables of full
 * slivers for each start position q0 (when they fit TABLES_MAX) and one for a sliver built
 * on the spot; a sliver is one `gather` call over its kc rows.
 */
function wasmPacker(
  x: TypedArray,
  z: ConvSizes,
  g: number,
  tab: Int32Array,
  gather: Im2colGather,
): PackB & { readonly scratchFloats: number } {
  const { N, Cg, S, W, P } = z;
  const plane = S + 1;
  const planeFloats = N * Cg * plane;
  const sliver = W * NR;
  const tables = P * sliver <= TABLES_MAX ? P : 0;
  // the scratch float where the planes and tables were last written
  let builtAt = -1;
  const pack = (
    p0: number,
    kc: number,
    j0: number,
    nc: number,
    dst: Float32Array,
    at: number,
    scratch: number,
  ) => {
    const tablesAt = scratch + planeFloats;
    const spotAt = tablesAt + tables * sliver;
    const idx = new Int32Array(dst.buffer, 4 * tablesAt, (tables + 1) * sliver);
    if (builtAt !== scratch) {
      zeroEndedPlanes(x, z, g, dst, scratch);
      for (let q0 = 0; q0 < tables; q0++) sliverTable(q0, NR, z, tab, idx, q0 * sliver);
      builtAt = scratch;
    }
    // row k = (channel c, tap w)
    const c = Math.floor(p0 / W);
    const w = p0 - c * W;
    for (let jr = 0, q = at; jr < nc; jr += NR, q += kc * NR) {
      const cols = Math.min(NR, nc - jr);
      const n0 = Math.floor((j0 + jr) / P);
      const q0 = j0 + jr - n0 * P;
      let table = tablesAt + q0 * sliver;
      if (cols < NR || !tables) {
        sliverTable(q0, cols, z, tab, idx, tables * sliver);
        table = spotAt;
      }
      gather(4 * q, 4 * scratch, 4 * table, kc, w, W, 4 * plane, 4 * (n0 * Cg + c) * plane);
    }
  };
  return Object.assign(pack, { scratchFloats: planeFloats + (tables + 1) * sliver });
}

/**
 * The packer of the im2col columns of group `g` in JavaScript, for a product on another
 * memory (the worker pool's): row k = (c, w) and column j = (n, q) read
 * x[(n·C + g·Cg + c)·S + tab[w·P + q]], or 0 where the tap is -1 (padding).
 */
function jsPacker(x: TypedArray, z: ConvSizes, g: number, tab: Int32Array, runs: Int32Array): PackB {
  const { C, Cg, S, W, P } = z;
  // per column of a sliver: its image's input offset and its position's tap-table column
  const imageBase = new Int32Array(NR);
  const position = new Int32Array(NR);
  return (p0, kc, j0, nc, dst, at) => {
    let q = at;
    for (let jr = 0; jr < nc; jr += NR) {
      const cols = Math.min(NR, nc - jr);
      for (let i = 0; i < NR; i++) {
        const j = j0 + jr + Math.min(i, cols - 1);
        const n = Math.floor(j / P);
        imageBase[i] = (n * C + g * Cg) * S;
        position[i] = j - n * P;
      }
      const oneImage = cols === NR && imageBase[0] === imageBase[NR - 1];
      // row k = (channel c, tap w), advanced without a division per row
      let c = Math.floor(p0 / W);
      let w = p0 - c * W;
      if (oneImage) {
        // the columns are NR consecutive positions of one image
        const q0 = position[0]!;
        const xb = imageBase[0]!;
        for (let p = 0; p < kc; p++, q += NR) {
          const t = w * P + q0;
          const xc = xb + c * S;
          if (runs[t]! >= NR) {
            // NR consecutive input elements (stride 1, away from padding)
            const src = xc + tab[t]!;
            for (let i = 0; i < NR; i++) dst[q + i] = x[src + i]!;
          } else {
            for (let i = 0; i < NR; i++) {
              const v = tab[t + i]!;
              dst[q + i] = v < 0 ? 0 : x[xc + v]!;
            }
          }
          if (++w === W) {
            w = 0;
            c++;
          }
        }
        continue;
      }
      for (let p = 0; p < kc; p++, q += NR) {
        const cs = c * S;
        const t = w * P;
        for (let i = 0; i < NR; i++) {
          const v = i < cols ? tab[t + position[i]!]! : -1;
          dst[q + i] = v < 0 ? 0 : x[imageBase[i]! + cs + v]!;
        }
        if (++w === W) {
          w = 0;
          c++;
        }
      }
    }
  };
}

/**
 * runs[w·P + q]: how many taps from q on (within row w of the table) read consecutive
 * input elements, 0 where tap q is padding.
 */
function contiguousRuns(tab: Int32Array, W: number, P: number): Int32Array {
  const runs = new Int32Array(W * P);
  for (let w = 0; w < W; w++) {
    for (let q = P - 1; q >= 0; q--) {
      const i = w * P + q;
      if (tab[i]! < 0) continue;
      runs[i] = q + 1 < P && tab[i + 1] === tab[i]! + 1 ? runs[i + 1]! + 1 : 1;
    }
  }
  return runs;
}

/**
 * Fills `out` ([N, O, P], zeroed) with the convolution of lhs [N, C, S] by rhs [O, Cg, W]
 * whose taps `tab` ([W, P] → input offset or -1) describes.
 *
 * @example
 * const z = { N: 1, C: 1, O: 1, G: 1, Cg: 1, Og: 1, S: 5, P: 3, W: 3 };
 * convPacked(x, w, z, Int32Array.of(0, 1, 2, 1, 2, 3, 2, 3, 4), out);
 */
export function convPacked(
  lhs: TypedArray,
  rhs: TypedArray,
  z: ConvSizes,
  tab: Int32Array,
  out: Float32Array,
): void {
  const { N, O, G, Cg, Og, P, W } = z;
  const K = Cg * W;
  const runs = contiguousRuns(tab, W, P);
  // before sgemm writes this call's data: the first use warms the kernel up on that memory
  const gather = im2colGatherKernel();
  const kernels = wasmKernels();
  for (let g = 0; g < G; g++) {
    const onWasm = wasmPacker(lhs, z, g, tab, gather);
    const onPool = jsPacker(lhs, z, g, tab, runs);
    // threaded products pack on the pool's memory, where the gather kernel is not
    const packB: PackB = Object.assign(
      (p0: number, kc: number, j0: number, nc: number, dst: Float32Array, at: number, scratch: number) =>
        (dst.buffer === kernels.memory.buffer ? onWasm : onPool)(p0, kc, j0, nc, dst, at, scratch),
      { scratchFloats: onWasm.scratchFloats },
    );
    sgemm(Og, N * P, K, { data: rhs, off: g * Og * K, rs: K, cs: 1 }, packB, {
      data: out,
      off: g * Og * P,
      ldc: P,
      groups: { size: P, stride: O * P },
    });
  }
}
