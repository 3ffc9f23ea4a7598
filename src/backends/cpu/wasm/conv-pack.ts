/**
 * f32 convolution as one SIMD GEMM per (batch element, group): out[o, q] = Σ_(c, w)
 * weight[o, c, w] · x[c, tap(w, q)]. The im2col matrix is never built: its packer gathers
 * each KC×NC panel straight into the kernel's NR-column slivers through the tap table.
 */
import type { TypedArray } from '../../../core/dtype.ts';
import type { ConvSizes } from '../conv.ts';
import { type PackB, sgemm } from './sgemm.ts';
import { NR as KERNEL_NR } from './sgemm-kernel.ts';

const NR = KERNEL_NR;

/**
 * The packer of im2col columns of channels starting at `base` of x: row k = (c, w) and
 * column q read x[base + c·S + tab[w·P + q]], or 0 where the tap is -1 (padding).
 */
function im2colPacker(x: TypedArray, base: number, S: number, W: number, P: number, tab: Int32Array): PackB {
  return (p0, kc, j0, nc, dst, at) => {
    let q = at;
    for (let jr = 0; jr < nc; jr += NR) {
      const cols = Math.min(NR, nc - jr);
      const j = j0 + jr;
      for (let p = 0; p < kc; p++, q += NR) {
        const k = p0 + p;
        const c = (k / W) | 0;
        const xb = base + c * S;
        const t = (k - c * W) * P + j;
        for (let i = 0; i < NR; i++) {
          const v = i < cols ? tab[t + i]! : -1;
          dst[q + i] = v < 0 ? 0 : x[xb + v]!;
        }
      }
    }
  };
}

/**
 * Fills `out` ([N, O, P], zeroed) with the convolution of lhs [N, C, S] by rhs [O, Cg, W]
 * whose taps `tab` ([W, P] → input offset or -1) describes.
 *
 * @example
 * convPacked(x, w, { N: 1, C: 1, O: 1, G: 1, Cg: 1, Og: 1, S: 5, P: 3, W: 3 }, Int32Array.of(0, 1, 2, 1, 2, 3, 2, 3, 4), out);
 */
export function convPacked(
  lhs: TypedArray,
  rhs: TypedArray,
  z: ConvSizes,
  tab: Int32Array,
  out: Float32Array,
): void {
  const { N, C, O, G, Cg, Og, S, P, W } = z;
  const K = Cg * W;
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      const pack = im2colPacker(lhs, (n * C + g * Cg) * S, S, W, P, tab);
      sgemm(Og, P, K, { data: rhs, off: g * Og * K, rs: K, cs: 1 }, pack, {
        data: out,
        off: (n * O + g * Og) * P,
        ldc: P,
      });
    }
  }
}
