/**
 * The f32 GEMM micro-kernel, emitted as WebAssembly SIMD128.
 *
 * `sgemm_block(mc, nc, kc, ap, bp, c, ldc)` does C[0:mc, 0:nc] += Ap · Bp over kc, where
 * Ap holds mc/GEMM_MR slivers of GEMM_MR rows (kc columns of GEMM_MR values each), Bp holds
 * nc/NR slivers of NR columns (kc rows of NR values each), C has row stride `ldc` floats,
 * and mc, nc are multiples of GEMM_MR, NR (the packers zero-pad). Pointers are byte addresses.
 *
 * The tile is GEMM_MR×NR = 4×8: 8 f32x4 accumulators, two B vectors and four A broadcasts.
 * TurboFan issues every load of a k step before its arithmetic, so all MR broadcasts are
 * live at once: 8 + 2 + 4 plus one product temporary is exactly the 15 xmm registers V8
 * allocates on x64 (xmm15 is its scratch). XNNPACK's 6×8 tile needs 21 there and spills 4
 * accumulators and 2 broadcasts to the stack each k step (read off `--print-wasm-code`):
 * measured 26 vs 44 GF/s for the loop alone. No FMA exists outside relaxed SIMD, so each
 * step is a mul and an add; f32 accumulates in f32.
 */
import { Code, emitModule, type FuncDef, I32, V128 } from './emitter.ts';
import { packFuncs } from './sgemm-pack-kernel.ts';

/** Rows of the GEMM tile. */
export const GEMM_MR = 4;
/** Columns of the GEMM tile (and of the conv taps tile): two f32x4 vectors. */
export const NR = 8;
/**
 * Rows of the direct-convolution tile (conv-taps-kernel.ts), which keeps the 6×8 shape it
 * was written for; the GEMM no longer uses it.
 */
export const MR = 6;

/** B vectors per row of the tile. */
const NV = NR / 4;

// params
const MC = 0;
const NC = 1;
const KC = 2;
const AP = 3;
const BP = 4;
const C = 5;
const LDC = 6;
// i32 locals
const IR = 7;
const JR = 8;
const P = 9;
const A = 10;
const B = 11;
const CP = 12;
const LDC4 = 13;
// v128 locals: acc[r][v] at ACC + NV·r + v, then the B vectors and the A broadcast
const ACC = 14;

/** Pushes the byte address of C row `r` of the current tile. */
function cRow(code: Code, r: number): Code {
  code.get(CP);
  if (r > 0) code.get(LDC4).i32(r).op('i32Mul').op('i32Add');
  return code;
}

/**
 * k steps per loop trip. Measured (interleaved, 120×512×256 blocks): unrolling the 4×8
 * tile by 2 or 4 is 40% and 55% slower than none, as TurboFan then issues both steps'
 * loads first and spills.
 */
const UNROLL = 1;

/** k step `u` past the A and B pointers of an mr-row tile: acc[r][v] += A[r] · B[v]. */
function kStep(code: Code, mr: number, u: number): void {
  const bv = ACC + mr * NV;
  const av = bv + NV;
  for (let v = 0; v < NV; v++)
    code
      .get(B)
      .mem('v128Load', 4 * NR * u + 16 * v)
      .set(bv + v);
  for (let r = 0; r < mr; r++) {
    code
      .get(A)
      .mem('v128Load32Splat', 4 * (mr * u + r))
      .set(av);
    for (let v = 0; v < NV; v++) {
      const acc = ACC + NV * r + v;
      code
        .get(acc)
        .get(av)
        .get(bv + v)
        .simd('f32x4Mul')
        .simd('f32x4Add')
        .set(acc);
    }
  }
}

/** A loop running `steps` k steps per trip, `trips` (an i32 on the stack) times; none if 0. */
function kLoop(code: Code, mr: number, steps: number): void {
  code.tee(P).op('i32Eqz').op('i32Eqz').open('if').open('loop');
  for (let u = 0; u < steps; u++) kStep(code, mr, u);
  code.addTo(A, 4 * mr * steps).addTo(B, 4 * NR * steps);
  code.get(P).i32(1).op('i32Sub').tee(P).brIf(0);
  code.end().end();
}

/** With `zero`, the accumulators start at 0 and C's old values are never read (C = Ap·Bp). */
function blockBody(mr: number, unroll: number, zero: boolean): Code {
  const code = new Code();
  code.get(LDC).i32(4).op('i32Mul').set(LDC4);
  code.i32(0).set(JR);
  code.open('loop'); // over NR-column slivers of B
  code.i32(0).set(IR);
  code.open('loop'); // over mr-row slivers of A
  code.get(AP).get(IR).get(KC).op('i32Mul').i32(4).op('i32Mul').op('i32Add').set(A);
  code.get(BP).get(JR).get(KC).op('i32Mul').i32(4).op('i32Mul').op('i32Add').set(B);
  code.get(C).get(IR).get(LDC).op('i32Mul').get(JR).op('i32Add').i32(4).op('i32Mul').op('i32Add').set(CP);
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < NV; v++) {
      if (zero) code.i32x4([0, 0, 0, 0]);
      else cRow(code, r).mem('v128Load', 16 * v);
      code.set(ACC + NV * r + v);
    }
  }
  code.get(KC).i32(unroll).op('i32DivU');
  kLoop(code, mr, unroll);
  code
    .get(KC)
    .i32(unroll - 1)
    .op('i32And');
  kLoop(code, mr, 1);
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < NV; v++)
      cRow(code, r)
        .get(ACC + NV * r + v)
        .mem('v128Store', 16 * v);
  }
  code.addTo(IR, mr).get(IR).get(MC).op('i32LtS').brIf(0);
  code.end();
  code.addTo(JR, NR).get(JR).get(NC).op('i32LtS').brIf(0);
  code.end();
  return code;
}

/**
 * The kernel module's bytes (validated): `sgemm_block` (C += Ap·Bp) and `sgemm_block0`
 * (C = Ap·Bp, for a first k block: the scratch needs no zero-fill) with `unroll` (a power of 2) k steps
 * per loop trip and `mr` rows per tile (the A packing must use the same), and the packers of
 * sgemm-pack-kernel.ts.
 *
 * @example
 * const bytes = sgemmModuleBytes();
 * const ok = WebAssembly.validate(bytes);
 */
export function sgemmModuleBytes(unroll = UNROLL, mr = GEMM_MR): Uint8Array {
  if (!Number.isInteger(mr) || mr < 1 || mr > 8)
    throw new Error(`sgemmModuleBytes: mr must be an integer in [1, 8], got ${mr}`);
  if (!Number.isInteger(unroll) || unroll < 1 || (unroll & (unroll - 1)) !== 0)
    throw new Error(`sgemmModuleBytes: unroll must be a power of 2, got ${unroll}`);
  const block = (name: string, zero: boolean): FuncDef => ({
    name,
    params: [I32, I32, I32, I32, I32, I32, I32],
    locals: [...Array<typeof I32>(7).fill(I32), ...Array<typeof V128>(mr * NV + NV + 1).fill(V128)],
    body: blockBody(mr, unroll, zero),
  });
  return emitModule([block('sgemm_block', false), block('sgemm_block0', true), ...packFuncs()]);
}
