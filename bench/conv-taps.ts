/**
 * The direct-convolution micro-kernel `conv_taps` alone (no copies in or out of wasm
 * memory), on one image of W5 (64 → 64 channels, 32², 3×3, padding 1) with all 64 channels
 * in one call and in two 32-channel chunks (what `convDirect` does past 288 taps), and on
 * one image of the 1-input-channel convolution (1 → 16, 28²). Prints the median and the best
 * GFLOP/s of many calls: on a shared machine the best is the figure to compare.
 *
 *   npx tsx bench/conv-taps.ts
 */
import { convTapsKernel, MR, NR } from '../src/backends/cpu/wasm/conv-taps-kernel.ts';
import { wasmKernels } from '../src/backends/cpu/wasm/runtime.ts';
import { isMain, median, report, round } from './util.ts';

interface Case {
  name: string;
  c: number;
  o: number;
  hw: number;
  chunks: number;
  runs: number;
}

const CASES: readonly Case[] = [
  { name: 'W5-image', c: 64, o: 64, hw: 32, chunks: 1, runs: 60 },
  { name: 'W5-image', c: 64, o: 64, hw: 32, chunks: 2, runs: 60 },
  { name: 'conv-1ch-image', c: 1, o: 16, hw: 28, chunks: 1, runs: 3000 },
];

function time(cs: Case): void {
  const { c, o, hw, chunks } = cs;
  const wp = hw + 2;
  const sp = wp * wp;
  const per = c / chunks;
  const taps = per * 9;
  const oPad = Math.ceil(o / MR) * MR;
  const cols = Math.ceil(hw / NR) * NR;
  const ldo = hw * hw + cols + 4;
  // floats: weights (every chunk) | tap offsets | padded planes | output planes
  const offAt = oPad * c * 9;
  const xAt = offAt + taps + 4;
  const oAt = xAt + c * sp + 64;
  const k = wasmKernels();
  const convTaps = convTapsKernel();
  k.reserve(4 * (oAt + oPad * ldo));
  const mem = k.f32();
  const offs = new Int32Array(mem.buffer, 4 * offAt, taps);
  for (let ch = 0, t = 0; ch < per; ch++)
    for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++, t++) offs[t] = ch * sp + ky * wp + kx;
  for (let i = 0; i < offAt; i++) mem[i] = Math.sin(i);
  for (let i = 0; i < c * sp; i++) mem[xAt + i] = Math.cos(i);
  const call = () => {
    for (let i = 0; i < chunks; i++) {
      const w = 4 * oPad * i * taps;
      convTaps(oPad, hw, cols, wp, hw, taps, w, 4 * offAt, 4 * (xAt + i * per * sp), 4 * oAt, ldo, i);
    }
  };
  for (let i = 0; i < 20; i++) call();
  const ms: number[] = [];
  for (let r = 0; r < cs.runs; r++) {
    const t0 = performance.now();
    call();
    ms.push(performance.now() - t0);
  }
  const flop = 2 * o * c * 9 * hw * hw;
  report({
    workload: cs.name,
    backend: 'cpu',
    params: { c, o, hw, window: 3, chunks, tile: `${MR}x${NR}` },
    ms: round(median(ms), 4),
    gflops: round(flop / median(ms) / 1e6),
    best_gflops: round(flop / Math.min(...ms) / 1e6),
  });
}

export function main(): void {
  for (const cs of CASES) time(cs);
}

if (isMain(import.meta.url)) main();
