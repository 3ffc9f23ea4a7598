/**
 * The GEMM packer, emitted as WebAssembly: one strided gather that writes an operand block
 * (already copied into wasm memory) as the micro-kernel's slivers. Both operands use it: A
 * as MR-lane slivers (lanes = rows, steps along k), B as NR-lane slivers (lanes = columns),
 * with any strides, so transposed operands need no special case. Packing in JavaScript cost
 * 2–4 ns per float; this loop is a load and a store (a v128 of each where the lanes are
 * contiguous).
 *
 * `pack(src, ls, ss, kc, lanes, w, dst)`: for each sliver s of `w` lanes and each step p <
 * kc, dst receives the w values at src + (s·w + l)·ls + p·ss (l < w), zeros past `lanes`.
 * Addresses and strides are in bytes; kc and lanes are at least 1.
 */
import { Code, type FuncDef, I32 } from './emitter.ts';

// params
const SRC = 0;
const LS = 1;
const SS = 2;
const KC = 3;
const LANES = 4;
const W = 5;
const DST = 6;
// locals
const S = 7;
const REM = 8;
const ROW = 9;
const P = 10;
const Q = 11;
const L = 12;

const VEC = 13;

/** `a += b` for two i32 locals. */
function addLocal(code: Code, a: number, b: number): Code {
  return code.get(a).get(b).op('i32Add').set(a);
}

/** `while (L < limit) { body; L += step }`, limit an i32 local. */
function whileLess(code: Code, limit: number, step: number, body: () => void): void {
  code.open('block').get(L).get(limit).op('i32GeS').brIf(0).open('loop');
  body();
  code.addTo(L, step).get(L).get(limit).op('i32LtS').brIf(0).end().end();
}

function packBody(): Code {
  const code = new Code().i32(0).set(S);
  code.open('loop'); // over slivers
  // REM = min(W, LANES - S): the lanes with data in this sliver; VEC: those in whole v128s
  // when lanes are contiguous (LS = 4), else 0
  code.get(LANES).get(S).op('i32Sub').set(REM);
  code.get(REM).get(W).get(REM).get(W).op('i32LtS').op('select').set(REM);
  code.get(REM).i32(-4).op('i32And').i32(0).get(LS).i32(4).op('i32Eq').op('select').set(VEC);
  code.get(SRC).get(S).get(LS).op('i32Mul').op('i32Add').set(ROW);
  code.get(KC).set(P);
  code.open('loop'); // over steps
  code.get(ROW).set(Q).i32(0).set(L);
  whileLess(code, VEC, 4, () => {
    code.get(DST).get(Q).mem('v128Load').mem('v128Store').addTo(DST, 16).addTo(Q, 16);
  });
  whileLess(code, REM, 1, () => {
    code.get(DST).get(Q).mem('f32Load').mem('f32Store').addTo(DST, 4);
    addLocal(code, Q, LS);
  });
  whileLess(code, W, 1, () => {
    code.get(DST).f32(0).mem('f32Store').addTo(DST, 4);
  });
  addLocal(code, ROW, SS).get(P).i32(1).op('i32Sub').tee(P).brIf(0);
  code.end();
  addLocal(code, S, W).get(S).get(LANES).op('i32LtS').brIf(0);
  code.end();
  return code;
}

/**
 * The `pack` export for the kernel module.
 *
 * @example
 * const bytes = emitModule([packFunc()]);
 */
export function packFunc(): FuncDef {
  return { name: 'pack', params: Array(7).fill(I32), locals: Array(7).fill(I32), body: packBody() };
}
