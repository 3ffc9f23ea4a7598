/**
 * The im2col gather for one NR-column sliver, emitted as WebAssembly: convolution columns
 * that span images (a 3×3 map has 9 positions, fewer than a sliver's 8 + 8) read each lane
 * through a per-sliver index table, which costs JavaScript 3–6 ns a float (a table load, an
 * indexed load and a store, none of them vectorised) and this loop well under one.
 *
 * `im2col_gather(dst, xp, idx, kc, w, W, plane, cp)`: for each of kc rows (channel c, tap w;
 * w steps to W and then wraps, adding `plane` to cp), dst receives the NR floats at
 * xp + cp + idx[w·NR + i] (i < NR), then advances NR floats. `idx` holds i32 byte offsets;
 * every pointer and offset is in bytes.
 */
import { Code, emitModule, I32 } from './emitter.ts';
import { instantiateShared, wasmKernels } from './runtime.ts';
import { NR } from './sgemm-kernel.ts';

// params
const DST = 0;
const XP = 1;
const IDX = 2;
const KC = 3;
const TAP = 4;
const TAPS = 5;
const PLANE = 6;
const CP = 7;
// locals
const ROW = 8;
const BASE = 9;

function gatherBody(): Code {
  const c = new Code();
  c.open('block').get(KC).op('i32Eqz').brIf(0).open('loop');
  // ROW: this tap's table row; BASE: the channel's plane within xp
  c.get(IDX)
    .get(TAP)
    .i32(4 * NR)
    .op('i32Mul')
    .op('i32Add')
    .set(ROW);
  c.get(XP).get(CP).op('i32Add').set(BASE);
  for (let i = 0; i < NR; i++) {
    c.get(DST)
      .get(ROW)
      .mem('i32Load', 4 * i)
      .get(BASE)
      .op('i32Add')
      .mem('f32Load')
      .mem('f32Store', 4 * i);
  }
  c.addTo(DST, 4 * NR);
  // the next tap, or the next channel's first
  c.get(TAP).i32(1).op('i32Add').tee(TAP).get(TAPS).op('i32Eq').open('if');
  c.i32(0).set(TAP).get(CP).get(PLANE).op('i32Add').set(CP);
  c.end();
  c.get(KC).i32(1).op('i32Sub').tee(KC).brIf(0).end().end();
  return c;
}

/** The module's bytes (one export, `im2col_gather`). */
function im2colGatherModuleBytes(): Uint8Array {
  return emitModule(
    [
      {
        name: 'im2col_gather',
        params: Array(8).fill(I32),
        locals: [I32, I32],
        body: gatherBody(),
      },
    ],
    1,
  );
}

/** The `im2col_gather` export: pointers and offsets are byte addresses into the shared memory. */
export type Im2colGather = (
  dst: number,
  xp: number,
  idx: number,
  kc: number,
  tap: number,
  taps: number,
  plane: number,
  cp: number,
) => void;

let gather: Im2colGather | undefined;

/**
 * The shared `im2col_gather` kernel on `wasmKernels()`'s memory (instantiated and warmed up
 * on first use: take it before writing a call's data into memory).
 *
 * @example
 * const gather = im2colGatherKernel();
 */
export function im2colGatherKernel(): Im2colGather {
  gather ??= instantiateShared<{ im2col_gather: Im2colGather }>(im2colGatherModuleBytes(), (ex) => {
    // a zero table at byte 4096: every lane reads byte 8192's float
    wasmKernels()
      .f32()
      .fill(0, 1024, 1024 + 9 * NR);
    for (let i = 0; i < 400; i++) ex.im2col_gather(0, 8192, 4096, 27, i % 9, 9, 40, 0);
  }).im2col_gather;
  return gather;
}
