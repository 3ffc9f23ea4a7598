/**
 * f32 convolution as one SIMD GEMM per group: out[n, o, q] = Σ_(c, w) weight[o, c, w] ·
 * x[n, c, tap(w, q)], with the columns running over (image n, output position q) so the
 * weights are packed once for the whole batch and thin layers (one input channel: K = 9)
 * still make long products. The im2col matrix is never built: the packer gathers each
 * KC×NC panel straight into the kernel's NR-column slivers through the tap table.
 */
import type { TypedArray } from '../../../core/dtype.ts';
import type { ConvSizes } from '../conv.ts';
import { type PackB, sgemm } from './sgemm.ts';
import { NR as KERNEL_NR } from './sgemm-kernel.ts';

const NR = KERNEL_NR;

/**
 * x's planes of S floats copied each followed by a 0, so a padding tap reads that 0 through
 * the same indexed load as any other tap: plane i starts at i·(S + 1).
 */
function zeroEndedPlanes(x: TypedArray, planes: number, S: number): Float32Array {
  const xp = new Float32Array(planes * (S + 1));
  for (let i = 0, src = 0, dst = 0; i < planes; i++, dst++) for (let s = 0; s < S; s++) xp[dst++] = x[src++]!;
  return xp;
}

/**
 * The packer of the im2col columns of group `g`: row k = (c, w) and column j = (n, q) read
 * x[(n·C + g·Cg + c)·S + tab[w·P + q]], or 0 where the tap is -1 (padding). `padded` gives
 * x as `zeroEndedPlanes` (made on first use) for slivers whose columns span images.
 */
function im2colPacker(
  x: TypedArray,
  z: ConvSizes,
  g: number,
  tab: Int32Array,
  runs: Int32Array,
  padded: () => Float32Array,
): PackB {
  const { C, Cg, S, W, P } = z;
  const plane = S + 1;
  // per (tap w, column i) of a sliver spanning images: its index in the padded planes at channel 0
  const at0 = new Int32Array(W * NR);
  return (p0, kc, j0, nc, dst, at) => {
    let q = at;
    for (let jr = 0; jr < nc; jr += NR) {
      const cols = Math.min(NR, nc - jr);
      const n0 = Math.floor((j0 + jr) / P);
      const q0 = j0 + jr - n0 * P;
      // row k = (channel c, tap w), advanced without a division per row
      let c = Math.floor(p0 / W);
      let w = p0 - c * W;
      if (cols === NR && q0 + NR <= P) {
        // the columns are NR consecutive positions of one image
        const xb = (n0 * C + g * Cg) * S;
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
      const xp = padded();
      for (let i = 0; i < NR; i++) {
        // columns past the last read a padding 0 of the first column's image
        const j = j0 + jr + Math.min(i, cols - 1);
        const n = Math.floor(j / P);
        const base = (n * C + g * Cg) * plane;
        for (let v = 0; v < W; v++) {
          const tap = i < cols ? tab[v * P + j - n * P]! : -1;
          at0[v * NR + i] = base + (tap < 0 ? S : tap);
        }
      }
      for (let p = 0; p < kc; p++, q += NR) {
        const cp = c * plane;
        const t = w * NR;
        for (let i = 0; i < NR; i++) dst[q + i] = xp[at0[t + i]! + cp]!;
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
  let xp: Float32Array | undefined;
  const padded = () => (xp ??= zeroEndedPlanes(lhs, N * z.C, z.S));
  for (let g = 0; g < G; g++) {
    const packB = im2colPacker(lhs, z, g, tab, runs, padded);
    sgemm(Og, N * P, K, { data: rhs, off: g * Og * K, rs: K, cs: 1 }, packB, {
      data: out,
      off: g * Og * P,
      ldc: P,
      groups: { size: P, stride: O * P },
    });
  }
}
