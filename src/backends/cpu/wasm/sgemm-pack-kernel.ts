/**
 * The GEMM packers, emitted as WebAssembly SIMD128: they rewrite an operand block that was
 * copied into wasm memory (one `set` per row or column) into the micro-kernel's slivers.
 * Packing in JavaScript cost 2–4 ns per float (a strided gather per element); these run a
 * v128 per 4 floats, and the copy in is a memcpy.
 *
 * A sliver is `w` (4 or 8) lanes wide and `kc` steps long, stored step after step:
 * dst[s][p][0:w]. Both packers take (src, ld, kc, slivers, dst), byte addresses, ld in floats:
 * - `pack_contig{w}`: the w lanes of step p are contiguous, steps `ld` apart
 *   (src[p·ld + s·w + l]): a row-major B, or a column-major A. Two (or one) v128 copies.
 * - `pack_trans{w}`: each lane is a contiguous run along k, lanes `ld` apart
 *   (src[(s·w + l)·ld + p]): a column-major B (xᵀ·Wᵀ, g·Wᵀ) or a row-major A (every plain
 *   matmul). 4×4 transposes by shuffles, then a scalar loop over the last kc mod 4 steps.
 */
import { Code, type FuncDef, I32, V128 } from './emitter.ts';

// params
const SRC = 0;
const LD = 1;
const KC = 2;
const SLIVERS = 3;
const DST = 4;
// i32 locals
const S = 5;
const P = 6;
const SP = 7;
const LD4 = 8;
const LANE = 9;
// v128 locals
const V = 10;

/** f32 lane picks for i8x16.shuffle: lane i of the first operand is i, of the second 4 + i. */
function lanes(...f32Lanes: number[]): number[] {
  return f32Lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
}

const LO_PAIRS = lanes(0, 4, 1, 5);
const HI_PAIRS = lanes(2, 6, 3, 7);
const LOW_HALVES = lanes(0, 1, 4, 5);
const HIGH_HALVES = lanes(2, 3, 6, 7);

/** `for (S = 0; S < SLIVERS; S++) { body }`, with SP = the sliver's first src byte. */
function overSlivers(code: Code, srcStep: (c: Code) => Code, body: (c: Code) => void): void {
  code.get(LD).i32(4).op('i32Mul').set(LD4);
  code.i32(0).set(S);
  code.open('block').get(SLIVERS).op('i32Eqz').brIf(0).open('loop');
  srcStep(code.get(SRC).get(S)).op('i32Add').set(SP);
  body(code);
  code.addTo(S, 1).get(S).get(SLIVERS).op('i32LtS').brIf(0);
  code.end().end();
}

/** `while (P + step <= KC) { body; P += step }` from the current P. */
function overSteps(code: Code, step: number, body: (c: Code) => void): void {
  code.open('block').get(P).i32(step).op('i32Add').get(KC).op('i32GtS').brIf(0).open('loop');
  body(code);
  code.addTo(P, step).get(P).i32(step).op('i32Add').get(KC).op('i32LeS').brIf(0);
  code.end().end();
}

function contigBody(w: number): Code {
  const code = new Code();
  overSlivers(
    code,
    (c) => c.i32(4 * w).op('i32Mul'),
    (c) => {
      c.i32(0).set(P);
      overSteps(c, 1, (s) => {
        for (let v = 0; v < w / 4; v++) {
          s.get(DST)
            .get(SP)
            .mem('v128Load', 16 * v)
            .mem('v128Store', 16 * v);
        }
        s.addTo(DST, 4 * w);
        s.get(SP).get(LD4).op('i32Add').set(SP);
      });
    },
  );
  return code;
}

/** Pushes the byte address of lane `l`'s run at step P of the current sliver. */
function laneAt(code: Code, l: number): Code {
  code.get(SP).get(P).i32(4).op('i32Mul').op('i32Add');
  if (l > 0) code.get(LD4).i32(l).op('i32Mul').op('i32Add');
  return code;
}

function transBody(w: number): Code {
  const code = new Code();
  const T = V + 4; // four transposed vectors
  const H = T + 4; // two half-way pairs
  overSlivers(
    code,
    (c) => c.get(LD4).op('i32Mul').i32(w).op('i32Mul'),
    (c) => {
      c.i32(0).set(P);
      overSteps(c, 4, (s) => {
        for (let g = 0; g < w / 4; g++) {
          // lanes 4g..4g+3, steps P..P+3: a 4×4 block to transpose
          for (let l = 0; l < 4; l++)
            laneAt(s, 4 * g + l)
              .mem('v128Load')
              .set(V + l);
          s.get(V)
            .get(V + 1)
            .shuffle(LO_PAIRS)
            .set(H);
          s.get(V + 2)
            .get(V + 3)
            .shuffle(LO_PAIRS)
            .set(H + 1);
          s.get(H)
            .get(H + 1)
            .shuffle(LOW_HALVES)
            .set(T);
          s.get(H)
            .get(H + 1)
            .shuffle(HIGH_HALVES)
            .set(T + 1);
          s.get(V)
            .get(V + 1)
            .shuffle(HI_PAIRS)
            .set(H);
          s.get(V + 2)
            .get(V + 3)
            .shuffle(HI_PAIRS)
            .set(H + 1);
          s.get(H)
            .get(H + 1)
            .shuffle(LOW_HALVES)
            .set(T + 2);
          s.get(H)
            .get(H + 1)
            .shuffle(HIGH_HALVES)
            .set(T + 3);
          for (let i = 0; i < 4; i++)
            s.get(DST)
              .get(T + i)
              .mem('v128Store', 4 * w * i + 16 * g);
        }
        s.addTo(DST, 16 * w);
      });
      // the last kc mod 4 steps, a lane at a time
      overSteps(c, 1, (s) => {
        s.i32(0).set(LANE);
        s.open('loop');
        s.get(DST).get(LANE).i32(4).op('i32Mul').op('i32Add');
        s.get(SP).get(P).i32(4).op('i32Mul').op('i32Add').get(LD4).get(LANE).op('i32Mul').op('i32Add');
        s.mem('f32Load').mem('f32Store');
        s.addTo(LANE, 1).get(LANE).i32(w).op('i32LtS').brIf(0);
        s.end();
        s.addTo(DST, 4 * w);
      });
    },
  );
  return code;
}

const PARAMS = [I32, I32, I32, I32, I32] as const;
const LOCALS = [...Array<typeof I32>(5).fill(I32), ...Array<typeof V128>(10).fill(V128)];

/**
 * The four packers (`pack_contig4`, `pack_contig8`, `pack_trans4`, `pack_trans8`) for the
 * kernel module.
 *
 * @example
 * const bytes = emitModule(packFuncs());
 */
export function packFuncs(): FuncDef[] {
  return [4, 8].flatMap((w) => [
    { name: `pack_contig${w}`, params: PARAMS, locals: LOCALS, body: contigBody(w) },
    { name: `pack_trans${w}`, params: PARAMS, locals: LOCALS, body: transBody(w) },
  ]);
}
