/**
 * 2×2 stride-2 max pooling (LeNet's pools), emitted as WebAssembly SIMD128: four windows per
 * step, their taps gathered from two input rows by shuffles, and the same first-maximum rule
 * as the JavaScript kernel (a tap wins when it is larger or NaN, taps in row-major order),
 * as compare-and-select, so random data costs no mispredicted branches.
 *
 * `pool2x2_values(planes, outH, outW, W, HW, inp, outp, indexBase)` writes each window's
 * maximum, `pool2x2_argmax(…)` its flat index `indexBase + plane·HW + row·W + col` (as i32).
 * Planes of HW floats start at `inp`; outputs are planes of outH·outW at `outp`; W is the
 * input row length. outW must be at least 4: the last step of a row is moved back to end at
 * the row's end, recomputing a few windows instead of a scalar tail. Pointers are byte addresses.
 */
import { Code, emitModule, I32, V128 } from './emitter.ts';
import { instantiateShared } from './runtime.ts';

// params
const PLANES = 0;
const OUT_H = 1;
const OUT_W = 2;
const W = 3;
const HW = 4;
const INP = 5;
const OUTP = 6;
const INDEX_BASE = 7;
// i32 locals
const P = 8;
const OH = 9;
const J = 10;
const JJ = 11;
const ROW0 = 12;
const ORow = 13;
const IB = 14;
const W4 = 15;
const A = 16;
// v128 locals: the four loads, the four taps, best, mask, first tap's index, best index, a tap's index
const L0 = 17;
const TAP = L0 + 4;
const BEST = TAP + 4;
const MASK = BEST + 1;
const FIRST = MASK + 1;
const IDX = FIRST + 1;
const TAPIDX = IDX + 1;
const V128_LOCALS = TAPIDX + 1 - L0;

const EVENS = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];
const ODDS = EVENS.map((l) => l + 4);

/** One output row: four windows a step, the last step moved back to end at the row's end. */
function rowLoop(c: Code, argmax: boolean): void {
  c.i32(0).set(J);
  c.open('loop');
  // jj = min(j, outW - 4)
  c.get(J).get(OUT_W).i32(4).op('i32Sub').tee(JJ).get(J).get(JJ).op('i32LeS').op('select').set(JJ);
  c.get(ROW0).get(JJ).i32(8).op('i32Mul').op('i32Add').set(A);
  c.get(A).mem('v128Load').set(L0);
  c.get(A)
    .mem('v128Load', 16)
    .set(L0 + 1);
  c.get(A)
    .get(W4)
    .op('i32Add')
    .tee(A)
    .mem('v128Load')
    .set(L0 + 2);
  c.get(A)
    .mem('v128Load', 16)
    .set(L0 + 3);
  for (let r = 0; r < 2; r++) {
    c.get(L0 + 2 * r)
      .get(L0 + 2 * r + 1)
      .shuffle(EVENS)
      .set(TAP + 2 * r);
    c.get(L0 + 2 * r)
      .get(L0 + 2 * r + 1)
      .shuffle(ODDS)
      .set(TAP + 2 * r + 1);
  }
  c.get(TAP).set(BEST);
  if (argmax) {
    c.get(IB)
      .get(JJ)
      .i32(2)
      .op('i32Mul')
      .op('i32Add')
      .simd('i32x4Splat')
      .i32x4([0, 2, 4, 6])
      .simd('i32x4Add');
    c.tee(FIRST).set(IDX);
  }
  for (let t = 1; t < 4; t++) {
    // a tap wins where it is larger than the best so far, or NaN
    c.get(TAP + t)
      .get(BEST)
      .simd('f32x4Gt')
      .get(TAP + t)
      .get(TAP + t)
      .simd('f32x4Ne')
      .simd('v128Or')
      .set(MASK);
    c.get(TAP + t)
      .get(BEST)
      .get(MASK)
      .simd('v128Bitselect')
      .set(BEST);
    if (!argmax) continue;
    // taps 1, 2, 3 sit 1, W and W + 1 elements after tap 0
    c.get(FIRST);
    if (t === 1) c.i32x4([1, 1, 1, 1]);
    else
      c.get(W)
        .i32(t - 2)
        .op('i32Add')
        .simd('i32x4Splat');
    c.simd('i32x4Add').get(IDX).get(MASK).simd('v128Bitselect').set(IDX);
  }
  c.get(ORow)
    .get(JJ)
    .i32(4)
    .op('i32Mul')
    .op('i32Add')
    .get(argmax ? IDX : BEST)
    .mem('v128Store');
  c.addTo(J, 4).get(J).get(OUT_W).op('i32LtS').brIf(0);
  c.end();
}

function body(argmax: boolean): Code {
  const c = new Code();
  c.get(W).i32(4).op('i32Mul').set(W4);
  c.i32(0).set(P);
  c.open('loop'); // planes
  c.i32(0).set(OH);
  c.open('loop'); // output rows
  // the row pair's first element: its flat index in the chunk, byte address, and global index
  c.get(P).get(HW).op('i32Mul').get(OH).get(W).op('i32Mul').i32(2).op('i32Mul').op('i32Add').set(IB);
  c.get(INP).get(IB).i32(4).op('i32Mul').op('i32Add').set(ROW0);
  c.get(IB).get(INDEX_BASE).op('i32Add').set(IB);
  c.get(OUTP).get(P).get(OUT_H).op('i32Mul').get(OH).op('i32Add').get(OUT_W).op('i32Mul').i32(4).op('i32Mul');
  c.op('i32Add').set(ORow);
  rowLoop(c, argmax);
  c.addTo(OH, 1).get(OH).get(OUT_H).op('i32LtS').brIf(0);
  c.end();
  c.addTo(P, 1).get(P).get(PLANES).op('i32LtS').brIf(0);
  c.end();
  return c;
}

/** The pooling module's bytes (validated): `pool2x2_values` and `pool2x2_argmax`. */
export function poolModuleBytes(): Uint8Array {
  const locals = [...Array<typeof I32>(9).fill(I32), ...Array<typeof V128>(V128_LOCALS).fill(V128)];
  const params = Array<typeof I32>(8).fill(I32);
  return emitModule([
    { name: 'pool2x2_values', params, locals, body: body(false) },
    { name: 'pool2x2_argmax', params, locals, body: body(true) },
  ]);
}

/** A 2×2 pooling export: planes of `hw` floats at `inp`, rows `w` long, into `outp` (byte addresses). */
export type Pool2x2Kernel = (
  planes: number,
  outH: number,
  outW: number,
  w: number,
  hw: number,
  inp: number,
  outp: number,
  indexBase: number,
) => void;

/** The pooling module's exports: the window maxima, and their flat first-maximum indices (i32). */
export interface Pool2x2Kernels {
  pool2x2_values: Pool2x2Kernel;
  pool2x2_argmax: Pool2x2Kernel;
}

let pools: Pool2x2Kernels | undefined;

/**
 * The shared 2×2 pooling kernels (instantiated and warmed up on first use: take them before
 * writing a call's data into memory).
 *
 * @example
 * const { pool2x2_values } = pool2x2Kernels();
 */
export function pool2x2Kernels(): Pool2x2Kernels {
  pools ??= instantiateShared<Pool2x2Kernels>(poolModuleBytes(), (ex) => {
    for (let i = 0; i < 200; i++) {
      ex.pool2x2_values(4, 8, 8, 16, 256, 0, 8192, 0);
      ex.pool2x2_argmax(4, 8, 8, 16, 256, 0, 8192, 0);
    }
  });
  return pools;
}
