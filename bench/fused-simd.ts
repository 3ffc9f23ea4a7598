/**
 * Fused elementwise groups on the CPU: the generated JS loop against the WebAssembly SIMD
 * kernel (src/backends/cpu/wasm/fused-kernel.ts), interleaved, in ns per output element.
 * Groups from tutorial 8's step (batch norm, ReLU, a gradient's [div, neg, mul]) at its sizes,
 * and `x·y + z` at small sizes (where the SIMD threshold sits).
 *
 *   nice -n -5 npx tsx bench/fused-simd.ts
 */

import type { ProgramEqn, ProgramVar } from '../src/backends/backend.ts';
import { cpuFusedKernels, planCpuFusion, setFusedSimdMinSize } from '../src/backends/cpu/fusion.ts';
import { sizeOf } from '../src/backends/cpu/strides.ts';
import type { DType, TypedArray } from '../src/core/dtype.ts';
import { lcg } from '../test/lcg.ts';
import { isMain, medianMs, report, round } from './util.ts';

type Build = (v: (s: readonly number[], d?: DType) => ProgramVar, e: Eqn) => ProgramVar;
type Eqn = (
  prim: string,
  ins: ProgramVar[],
  params?: unknown,
  dtype?: DType,
  shape?: readonly number[],
) => ProgramVar;

/** The fused kernel of a one-group program, run by the JS loop and by SIMD. */
function kernels(build: Build) {
  const eqns: ProgramEqn[] = [];
  const v = (shape: readonly number[], dtype: DType = 'f32'): ProgramVar => ({ aval: { shape, dtype } });
  const e: Eqn = (prim, ins, params = {}, dtype, shape) => {
    const last = ins[ins.length - 1]!.aval;
    const out = v(shape ?? last.shape, dtype ?? last.dtype);
    eqns.push({ prim, inputs: ins, params, outs: [out] });
    return out;
  };
  const out = build(v, e);
  const program = { eqns, outVars: [out] };
  const [g] = planCpuFusion(program);
  const ops = g!.extra.map((x, i) => ({
    buffer: (x.aval.dtype === 'bool'
      ? Uint8Array.from(lcg(sizeOf(x.aval.shape), i + 1), (u) => (u > 0 ? 1 : 0))
      : lcg(sizeOf(x.aval.shape), i + 1)) as TypedArray,
    ...x.aval,
  }));
  const host = (simd: boolean) => ({ checkLive: () => {}, counted: () => {}, simd: () => simd });
  const [js] = cpuFusedKernels(program, host(false));
  const [wasm] = cpuFusedKernels(program, host(true));
  return { n: sizeOf(out.aval.shape), js: () => js!.run(ops), wasm: () => wasm!.run(ops) };
}

const bnShape = [128, 32, 14, 14];
const bc = (e: Eqn, x: ProgramVar, shape: readonly number[], dims: number[]) =>
  e('broadcast_in_dim', [x], { shape, dims }, undefined, shape);

const GROUPS: Record<string, (n: number) => Build> = {
  'mul,add': (n) => (v, e) => e('add', [e('mul', [v([n]), v([n])]), v([n])]),
  'div,neg,mul': (n) => (v, e) => e('mul', [e('neg', [e('div', [v([n]), v([n])])]), v([n])]),
  'select,neg': (n) => (v, e) => e('neg', [e('select', [v([n], 'bool'), v([n]), v([n])])]),
  'bn affine (bcast,sub,mul,add)': () => (v, e) => {
    const ch = () => bc(e, v([32]), bnShape, [1]);
    return e('add', [e('mul', [e('sub', [v(bnShape), ch()]), ch()]), ch()]);
  },
  'bn relu mask (bcast,mul,add,compare)': () => (v, e) => {
    const ch = () => bc(e, v([32]), bnShape, [1]);
    const y = e('add', [e('mul', [v(bnShape), ch()]), ch()]);
    return e('compare', [y, bc(e, v([]), bnShape, [])], { op: 'gt' }, 'bool');
  },
};

export function main(): void {
  setFusedSimdMinSize(0); // SIMD at every size: the small ones place the threshold
  const cases: [string, number][] = [
    ...[256, 512, 1024, 2048, 4096, 16384, 802816].map((n): [string, number] => ['mul,add', n]),
    ['div,neg,mul', 802816],
    ['select,neg', 802816],
    ['bn affine (bcast,sub,mul,add)', 0],
    ['bn relu mask (bcast,mul,add,compare)', 0],
  ];
  for (const [name, size] of cases) {
    const k = kernels(GROUPS[name]!(size));
    const reps = Math.max(1, Math.round(2e6 / k.n));
    const loop = (f: () => unknown) => () => {
      for (let i = 0; i < reps; i++) f();
    };
    // a few untimed rounds first, so the wasm kernel is past V8's baseline tier
    medianMs([loop(k.js), loop(k.wasm)], 5);
    const [js, wasm] = medianMs([loop(k.js), loop(k.wasm)], 15);
    const ns = (ms: number) => round((ms * 1e6) / reps / k.n, 3);
    report({
      workload: 'fused-simd',
      backend: 'cpu',
      params: { group: name, n: k.n },
      ms: round(wasm! / reps, 4),
      jsNsPerEl: ns(js!),
      simdNsPerEl: ns(wasm!),
    });
  }
}

if (isMain(import.meta.url)) main();
