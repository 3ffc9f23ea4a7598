/**
 * The direct convolution micro-kernel, emitted as WebAssembly SIMD128: an MR×NR = 4×8 tile
 * (4 output channels × 8 positions) with its B vectors read straight from a zero-padded input
 * image instead of a packed panel.
 *
 * For stride 1, output position (y, x) reads tap t at input y·rowIn + x + off[t] of the
 * padded plane, so a whole convolution is out[o, y, x] = Σ_t w[o, t] · x[y·rowIn + x + off[t]]:
 * no im2col at all. `conv_taps(mc, rows, cols, rowIn, rowOut, taps, wp, offp, xp, outp, ldo,
 * accumulate)`
 * computes out[0:mc, 0:rows, 0:cols] (mc a multiple of TAIL, cols of NR) from weights packed
 * as MR-row slivers (taps values of MR each; the last one TAIL rows when MR does not divide
 * mc), the i32 tap offsets (in floats) at `offp` and
 * the plane at `xp`, into planes of `ldo` floats at `outp` whose rows are `rowOut` floats
 * apart. Columns past rowOut spill into the next row's start, which a later step
 * overwrites (the last row's spill needs slack after each plane). Pointers are byte
 * addresses; the accumulators start at zero, or with `accumulate` non-zero at the outputs
 * already there (a later chunk of input channels adds on), and accumulate in f32.
 */
import { Code, emitModule, I32, V128 } from './emitter.ts';
import { instantiateShared, wasmKernels } from './runtime.ts';

/**
 * The tile's output channels (the sgemm kernel's 4, for the same reason): a 6-row tile's 12
 * accumulators, two B vectors, the broadcast and the product's temporary want 16 xmm
 * registers where V8 allocates 15,
 * and timed alone on W5's image (64 → 64 channels, 32²) this kernel ran at 31–33 GF/s
 * (best of 40) with 4×8 against 15–25 with 6×8, and 28–30 against 18–20 on the one-channel
 * 28² image, whose 16 output channels 4 also divides with no padded rows.
 */
export const MR = 4;
/**
 * The last sliver's rows when MR does not divide the channels (LeNet's 6: 4 + 2, not 8):
 * `mc` is a multiple of TAIL, and a remainder of TAIL rows runs as a TAIL×NR tile.
 */
export const TAIL = 2;
/** The tile's output positions: two f32x4 vectors. */
export const NR = 8;

// params
const MC = 0;
const ROWS = 1;
const COLS = 2;
const ROW_IN = 3;
const ROW_OUT = 4;
const TAPS = 5;
const WP = 6;
const OFFP = 7;
const XP = 8;
const OUTP = 9;
const LDO = 10;
const ACCUMULATE = 11;
const PARAMS = 12;
const LOCAL_I32S = 11;
// i32 locals
const IR = 12;
const JR = 13;
const T = 14;
const A = 15;
const OFF = 16;
const B = 17;
const XJ = 18;
const CP = 19;
const LDO4 = 20;
const Y = 21;
const OJ = 22;
// v128 locals: acc[r][v] at ACC + 2r + v, then the two input vectors and the weight broadcast
const ACC = PARAMS + LOCAL_I32S;
const B0 = ACC + 2 * MR;
const B1 = B0 + 1;
const AV = B1 + 1;

function rowAddress(code: Code, r: number): Code {
  code.get(CP);
  if (r > 0) code.get(LDO4).i32(r).op('i32Mul').op('i32Add');
  return code;
}

/** One tap of an `mr`-row sliver: acc[r][v] += w[r, t] · x[i + off[t] + 4v…]. */
function tapStep(code: Code, mr: number): void {
  code.get(XJ).get(OFF).mem('i32Load').i32(4).op('i32Mul').op('i32Add').set(B);
  code.get(B).mem('v128Load').set(B0);
  code.get(B).mem('v128Load', 16).set(B1);
  for (let r = 0; r < mr; r++) {
    code
      .get(A)
      .mem('v128Load32Splat', 4 * r)
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

/**
 * The tile of output channels IR…IR+mr: its weights start at WP + IR·TAPS floats (the
 * slivers before it are whole, MR·TAPS floats each) and its outputs at row IR of the planes.
 */
function sliver(code: Code, mr: number): void {
  code.get(WP).get(IR).get(TAPS).op('i32Mul').i32(4).op('i32Mul').op('i32Add').set(A);
  code.get(OUTP).get(IR).get(LDO).op('i32Mul').get(OJ).op('i32Add').i32(4).op('i32Mul').op('i32Add').set(CP);
  code.get(OFFP).set(OFF);
  // the accumulators start at zero, or (a later chunk of channels) at the outputs so far
  code.get(ACCUMULATE).open('if');
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < 2; v++)
      rowAddress(code, r)
        .mem('v128Load', 16 * v)
        .set(ACC + 2 * r + v);
  }
  code.op('else');
  for (let a = 0; a < 2 * mr; a++)
    code
      .f32(0)
      .simd('f32x4Splat')
      .set(ACC + a);
  code.end();
  code.get(TAPS).tee(T).op('i32Eqz').op('i32Eqz').open('if').open('loop');
  tapStep(code, mr);
  code.addTo(A, 4 * mr).addTo(OFF, 4);
  code.get(T).i32(1).op('i32Sub').tee(T).brIf(0);
  code.end().end();
  for (let r = 0; r < mr; r++) {
    for (let v = 0; v < 2; v++)
      rowAddress(code, r)
        .get(ACC + 2 * r + v)
        .mem('v128Store', 16 * v);
  }
}

function body(): Code {
  const code = new Code();
  code.get(LDO).i32(4).op('i32Mul').set(LDO4);
  code.i32(0).set(Y);
  code.open('loop'); // over output rows
  code.i32(0).set(JR);
  code.open('loop'); // over NR-column runs of the row
  code.get(XP).get(Y).get(ROW_IN).op('i32Mul').get(JR).op('i32Add').i32(4).op('i32Mul').op('i32Add').set(XJ);
  code.get(Y).get(ROW_OUT).op('i32Mul').get(JR).op('i32Add').set(OJ);
  code.i32(0).set(IR);
  code.open('block');
  code.open('loop'); // over the whole MR-row slivers of the weights
  code.get(IR).i32(MR).op('i32Add').get(MC).op('i32GtS').brIf(1);
  sliver(code, MR);
  code.addTo(IR, MR).br(0);
  code.end();
  code.end();
  // the TAIL rows left over
  code.get(IR).get(MC).op('i32LtS').open('if');
  sliver(code, TAIL);
  code.end();
  code.addTo(JR, NR).get(JR).get(COLS).op('i32LtS').brIf(0);
  code.end();
  code.addTo(Y, 1).get(Y).get(ROWS).op('i32LtS').brIf(0);
  code.end();
  return code;
}

/** The direct-convolution module's bytes (validated); `shared` imports a shared memory (the worker pool's). */
export function convTapsModuleBytes(shared = false): Uint8Array {
  return emitModule(
    [
      {
        name: 'conv_taps',
        params: Array<typeof I32>(PARAMS).fill(I32),
        locals: [...Array<typeof I32>(LOCAL_I32S).fill(I32), ...Array<typeof V128>(2 * MR + 3).fill(V128)],
        body: body(),
      },
    ],
    1,
    shared,
  );
}

/** The `conv_taps` export: pointers are byte addresses into the shared memory. */
export type ConvTaps = (
  mc: number,
  rows: number,
  cols: number,
  rowIn: number,
  rowOut: number,
  taps: number,
  wp: number,
  offp: number,
  xp: number,
  outp: number,
  ldo: number,
  accumulate: number,
) => void;

/**
 * Tiers `conv_taps` up (as runtime.ts `warmUp` does the GEMM's), scribbling on bytes
 * [0, 16 KiB) of `memory` only: the 64 tap offsets at byte 12288 are zeroed so every read
 * stays in bounds. Self-contained: the pool's workers run its source (worker-pool.ts).
 *
 * @example
 * warmUpTaps(new WebAssembly.Instance(module, { env: { memory } }).exports, memory);
 */
export function warmUpTaps(ex: { conv_taps: ConvTaps }, memory: WebAssembly.Memory): void {
  new Int32Array(memory.buffer, 12288, 64).fill(0);
  for (let i = 0; i < 400; i++) ex.conv_taps(6, 1, 8, 8, 8, 64, 0, 12288, 4096, 8192, 16, i & 1);
}

let convTaps: ConvTaps | undefined;

/**
 * The shared `conv_taps` kernel (instantiated and warmed up on first use: take it before
 * writing a call's data into memory).
 *
 * @example
 * const taps = convTapsKernel();
 */
export function convTapsKernel(): ConvTaps {
  convTaps ??= instantiateShared<{ conv_taps: ConvTaps }>(convTapsModuleBytes(), (ex) =>
    warmUpTaps(ex, wasmKernels().memory),
  ).conv_taps;
  return convTaps;
}
