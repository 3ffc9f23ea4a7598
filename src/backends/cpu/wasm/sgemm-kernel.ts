/**
 * The f32 GEMM micro-kernel, emitted as WebAssembly SIMD128.
 *
 * `sgemm_block(mc, nc, kc, ap, bp, c, ldc)` does C[0:mc, 0:nc] += Ap · Bp over kc (and
 * `sgemm_block0` C = Ap · Bp, for a first k block: C is never read, so needs no zero-fill), where
 * Ap holds mc/MR slivers of MR rows (kc columns of MR values each), Bp holds nc/NR
 * slivers of NR columns (kc rows of NR values each), C has row stride `ldc` floats, and mc,
 * nc are multiples of MR, NR (the packers zero-pad). Pointers are byte addresses.
 *
 * The tile is MR×NR = 4×8: 8 f32x4 accumulators. TurboFan issues every load of a k step
 * before its arithmetic, so all MR broadcasts are live at once: 8 + 2 B vectors + 4
 * broadcasts + a product temporary fill the 15 xmm registers V8 allocates on x64. XNNPACK's
 * 6×8 tile needs 21 there and spills accumulators to the stack every k step (seen in
 * `node --print-wasm-code`). No FMA exists outside relaxed SIMD, so each step is a mul and
 * an add; f32 accumulates in f32.
 */
import { Code, emitModule, I32, V128 } from './emitter.ts';
import { packFunc } from './sgemm-pack-kernel.ts';

export const MR = 4;
export const NR = 8;

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
// v128 locals: acc[r][v] at ACC + 2r + v, then the two B vectors and the A broadcast
const ACC = 14;
const B0 = ACC + 2 * MR;
const B1 = B0 + 1;
const AV = B1 + 1;

/** Pushes the byte address of C row `r` of the current tile. */
function cRow(code: Code, r: number): Code {
  code.get(CP);
  if (r > 0) code.get(LDC4).i32(r).op('i32Mul').op('i32Add');
  return code;
}

/**
 * k steps per loop trip. Measured (interleaved, 120×1024×256 blocks, process CPU time): with
 * the 4×8 tile, unrolling by 2 or 4 is 27% or 41% slower than none (with 6×8 it was 8%, 28%),
 * as V8 then hoists both steps' loads and spills.
 */
const UNROLL = 1;

/** k step `u` past the A and B pointers: acc[r][v] += A[r] · B[v] for the tile. */
function kStep(code: Code, u: number): void {
  code
    .get(B)
    .mem('v128Load', 4 * NR * u)
    .set(B0);
  code
    .get(B)
    .mem('v128Load', 4 * NR * u + 16)
    .set(B1);
  for (let r = 0; r < MR; r++) {
    code
      .get(A)
      .mem('v128Load32Splat', 4 * (MR * u + r))
      .set(AV);
    for (let v = 0; v < 2; v++) {
      const acc = ACC + 2 * r + v;
      code
        .get(acc)
        .get(AV)
        .get(v === 0 ? B0 : B1)
        .simd('f32x4Mul')
        .simd('f32x4Add')
        .set(acc);
    }
  }
}

/** A loop running `steps` k steps per trip, `trips` (an i32 on the stack) times; none if 0. */
function kLoop(code: Code, steps: number): void {
  code.tee(P).op('i32Eqz').op('i32Eqz').open('if').open('loop');
  for (let u = 0; u < steps; u++) kStep(code, u);
  code.addTo(A, 4 * MR * steps).addTo(B, 4 * NR * steps);
  code.get(P).i32(1).op('i32Sub').tee(P).brIf(0);
  code.end().end();
}

/** With `zero`, the accumulators start at 0 and C's old values are never read. */
function blockBody(unroll: number, zero: boolean): Code {
  const code = new Code();
  code.get(LDC).i32(4).op('i32Mul').set(LDC4);
  code.i32(0).set(JR);
  code.open('loop'); // over NR-column slivers of B
  code.i32(0).set(IR);
  code.open('loop'); // over MR-row slivers of A
  code.get(AP).get(IR).get(KC).op('i32Mul').i32(4).op('i32Mul').op('i32Add').set(A);
  code.get(BP).get(JR).get(KC).op('i32Mul').i32(4).op('i32Mul').op('i32Add').set(B);
  code.get(C).get(IR).get(LDC).op('i32Mul').get(JR).op('i32Add').i32(4).op('i32Mul').op('i32Add').set(CP);
  for (let r = 0; r < MR; r++) {
    for (let v = 0; v < 2; v++) {
      if (zero) code.i32x4([0, 0, 0, 0]);
      else cRow(code, r).mem('v128Load', 16 * v);
      code.set(ACC + 2 * r + v);
    }
  }
  code.get(KC).i32(unroll).op('i32DivU');
  kLoop(code, unroll);
  code
    .get(KC)
    .i32(unroll - 1)
    .op('i32And');
  kLoop(code, 1);
  for (let r = 0; r < MR; r++) {
    for (let v = 0; v < 2; v++)
      cRow(code, r)
        .get(ACC + 2 * r + v)
        .mem('v128Store', 16 * v);
  }
  code.addTo(IR, MR).get(IR).get(MC).op('i32LtS').brIf(0);
  code.end();
  code.addTo(JR, NR).get(JR).get(NC).op('i32LtS').brIf(0);
  code.end();
  return code;
}

/**
 * The kernel module's bytes (validated): `sgemm_block`, `sgemm_block0` with `unroll` (a power
 * of 2) k steps per loop trip, and the packer (sgemm-pack-kernel.ts); `shared` imports a shared
 * memory (the worker pool's, thread-pool.ts).
 *
 * @example
 * const ok = WebAssembly.validate(sgemmModuleBytes());
 */
export function sgemmModuleBytes(unroll = UNROLL, shared = false): Uint8Array {
  return emitModule(
    [
      ...['sgemm_block', 'sgemm_block0'].map((name, zero) => ({
        name,
        params: Array(7).fill(I32),
        locals: [...Array<typeof I32>(7).fill(I32), ...Array<typeof V128>(2 * MR + 3).fill(V128)],
        body: blockBody(unroll, zero > 0),
      })),
      packFunc(),
    ],
    1,
    shared,
  );
}
