/**
 * The SIMD kernel of fused elementwise groups against the JS loop, bit for bit: hand-built
 * programs (every qualifying op, batch-norm-like and Adam-like groups, broadcasts, odd sizes)
 * on inputs with NaN, ±0, ±Inf and denormals, each group run on both paths directly (no size
 * threshold).
 */
import { describe, expect, it } from 'vitest';
import { lcg } from '../../../../test/lcg.ts';
import type { DType, TypedArray } from '../../../core/dtype.ts';
import type { Program, ProgramEqn, ProgramVar } from '../../backend.ts';
import { cpuFusedKernels, planCpuFusion } from '../fusion.ts';
import { installCpuKernels } from '../kernel-slots.ts';
import { kernelTable } from '../kernels.ts';
import { sizeOf } from '../strides.ts';
import { SIMD_ELEMENTWISE_MIN_SIZE, simdElementwise } from './elementwise-simd.ts';
import { fusedLayout } from './fused-kernel.ts';
import { fusedWasm } from './fused-run.ts';

/** A tiny program builder: vars by shape and dtype, equations appended in order. */
function builder() {
  const eqns: ProgramEqn[] = [];
  const v = (shape: readonly number[], dtype: DType = 'f32'): ProgramVar => ({ aval: { shape, dtype } });
  const eqn = (prim: string, inputs: ProgramVar[], params: unknown = {}, dtype?: DType): ProgramVar => {
    const out = v(inputs[inputs.length - 1]!.aval.shape, dtype ?? inputs[inputs.length - 1]!.aval.dtype);
    eqns.push({ prim, inputs, params, outs: [out] });
    return out;
  };
  return {
    v,
    eqns,
    un: (prim: string, x: ProgramVar) => eqn(prim, [x]),
    bin: (prim: string, x: ProgramVar, y: ProgramVar) => eqn(prim, [x, y]),
    cmp: (op: string, x: ProgramVar, y: ProgramVar) => eqn('compare', [x, y], { op }, 'bool'),
    sel: (p: ProgramVar, a: ProgramVar, b: ProgramVar) => eqn('select', [p, a, b]),
    cast: (x: ProgramVar, dtype: DType) => eqn('cast', [x], { dtype }, dtype),
    bcast: (x: ProgramVar, shape: readonly number[], dims: readonly number[]) => {
      const out = v(shape, x.aval.dtype);
      eqns.push({ prim: 'broadcast_in_dim', inputs: [x], params: { shape, dims }, outs: [out] });
      return out;
    },
  };
}

const SPECIAL = [
  Number.NaN,
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e-40,
  -3e-39,
  1,
  -1,
  2,
];

/** f32 data: random values with the special ones scattered through. */
function data(v: ProgramVar, seed: number): TypedArray {
  const n = sizeOf(v.aval.shape);
  if (v.aval.dtype === 'bool') return Uint8Array.from(lcg(n, seed), (x) => (x > 0 ? 1 : 0));
  const x = lcg(n, seed, 3);
  for (let i = seed % 3; i < n; i += 3) x[i] = SPECIAL[(i + seed) % SPECIAL.length]!;
  return x;
}

/** Bit patterns, all NaNs as one (wasm and JS may differ in a NaN's sign and payload). */
function bits(x: TypedArray): number[] {
  if (x instanceof Uint8Array) return Array.from(x);
  const u = new Uint32Array(x.buffer, x.byteOffset, x.length);
  return Array.from(x, (f, i) => (Number.isNaN(f) ? -1 : u[i]!));
}

/** Runs every group of the program on the JS loop and on the SIMD kernel; returns how many ran on SIMD. */
function check(eqns: ProgramEqn[], out: ProgramVar, seed = 1): number {
  const program: Program = { eqns, outVars: [out] };
  const groups = planCpuFusion(program);
  const host = { checkLive: () => {}, counted: () => {}, simd: () => false };
  const kernels = cpuFusedKernels(program, host);
  let simd = 0;
  groups.forEach((g, k) => {
    const xs = g.extra.map((v, i) => data(v, seed + 7 * i));
    const want = kernels[k]!.run(g.extra.map((v, i) => ({ buffer: xs[i]!, ...v.aval }))) as TypedArray;
    const w = fusedWasm(g, eqns);
    if (w === undefined) return;
    const got = want.slice().fill(7);
    w.run(xs, got);
    expect(bits(got)).toEqual(bits(want));
    simd++;
  });
  return simd;
}

const SIZES = [1, 3, 5, 17, 1031];

describe('fused groups on WebAssembly SIMD', () => {
  it('each binary op, then a unary op, over odd sizes', () => {
    for (const n of SIZES) {
      for (const prim of ['add', 'sub', 'mul', 'div', 'min', 'max']) {
        for (const un of ['neg', 'abs', 'sqrt']) {
          const b = builder();
          const x = b.v([n]);
          const y = b.v([n]);
          expect(check(b.eqns, b.un(un, b.bin(prim, x, y)), n)).toBe(1);
        }
      }
    }
  });

  it('compares, selects and casts between f32 and bool; a bool output', () => {
    for (const n of SIZES) {
      for (const op of ['lt', 'le', 'gt', 'ge', 'eq', 'ne']) {
        const b = builder();
        const x = b.v([n]);
        const y = b.v([n]);
        const c = b.cmp(op, x, y);
        expect(check(b.eqns, b.sel(c, b.bin('mul', x, y), y), n)).toBe(1);
        const b2 = builder();
        const x2 = b2.v([n]);
        const y2 = b2.v([n]);
        const c2 = b2.cmp(op, x2, y2);
        // bool arithmetic on masks, a bool load, and a bool result
        const m = b2.bin('sub', b2.bin('add', c2, b2.v([n], 'bool')), b2.cast(y2, 'bool'));
        expect(check(b2.eqns, b2.bin('mul', b2.bin('max', m, c2), b2.un('abs', m)), n)).toBe(1);
      }
      const b = builder();
      const x = b.v([n]);
      expect(check(b.eqns, b.bin('add', b.cast(b.cmp('gt', x, b.v([n])), 'f32'), x), n)).toBe(1);
    }
  });

  it('a batch-norm forward with ReLU: per-channel operands broadcast over [B, C, H, W]', () => {
    for (const [B, C, HW] of [
      [2, 3, 5],
      [3, 4, 17],
      [2, 8, 49],
    ] as const) {
      const b = builder();
      const shape = [B, C, HW, 1];
      const x = b.v(shape);
      const ch = (v: ProgramVar) => b.bcast(v, shape, [1]);
      const mean = ch(b.v([C]));
      const scale = ch(b.v([C]));
      const shift = ch(b.v([C]));
      const zero = b.bcast(b.v([]), shape, []);
      const y = b.bin('add', b.bin('mul', b.bin('sub', x, mean), scale), shift);
      expect(check(b.eqns, b.sel(b.cmp('gt', y, zero), y, zero), B + C)).toBe(1);
    }
  });

  it('an Adam-like update, and a bias along rows', () => {
    const b = builder();
    const [m, g, v, p] = [b.v([37, 29]), b.v([37, 29]), b.v([37, 29]), b.v([37, 29])];
    const s = (v: ProgramVar) => b.bcast(v, [37, 29], []);
    const m1 = b.bin('add', b.bin('mul', s(b.v([])), m), b.bin('mul', s(b.v([])), g));
    const v1 = b.bin('add', b.bin('mul', s(b.v([])), v), b.bin('mul', s(b.v([])), b.bin('mul', g, g)));
    const upd = b.bin('div', m1, b.bin('add', b.un('sqrt', v1), s(b.v([]))));
    expect(check(b.eqns, b.bin('sub', p, b.bin('mul', s(b.v([])), upd)))).toBe(1);
    const r = builder();
    const bias = r.bcast(r.v([29]), [37, 29], [1]);
    expect(check(r.eqns, r.un('neg', r.bin('add', r.v([37, 29]), bias)))).toBe(1);
  });

  it('a scalar output and a group on scalars only', () => {
    const b = builder();
    expect(check(b.eqns, b.bin('mul', b.bin('add', b.v([]), b.v([])), b.v([])))).toBe(1);
  });

  it('groups with inexact or non-f32 steps, or strided inner loads, stay on the JS loop', () => {
    const b = builder();
    const x = b.v([64]);
    b.un('exp', b.bin('add', x, x));
    const [g] = planCpuFusion({ eqns: b.eqns, outVars: [b.eqns[1]!.outs[0]!] });
    expect(fusedLayout(g!, b.eqns)).toBeUndefined();
    const i = builder();
    const xi = i.v([64], 'i32');
    i.bin('add', i.bin('mul', xi, xi), xi);
    const [gi] = planCpuFusion({ eqns: i.eqns, outVars: [i.eqns[1]!.outs[0]!] });
    expect(fusedLayout(gi!, i.eqns)).toBeUndefined();
    // a transposed operand: its innermost stride is the row length
    const t = builder();
    const bt = t.bcast(t.v([8, 6]), [6, 8], [1, 0]);
    t.bin('mul', t.bin('add', t.v([6, 8]), bt), bt);
    const [gt] = planCpuFusion({ eqns: t.eqns, outVars: [t.eqns[2]!.outs[0]!] });
    expect(fusedLayout(gt!, t.eqns)).toBeUndefined();
  });
});

describe('unfused elementwise primitives on the wasm kernel set', () => {
  installCpuKernels({ elementwise: simdElementwise });
  const wasm = kernelTable('wasm');
  const js = kernelTable('js');
  const cases: [string, DType[], DType, unknown][] = [
    ...['neg', 'abs', 'sqrt'].map((p): [string, DType[], DType, unknown] => [p, ['f32'], 'f32', {}]),
    ...['add', 'sub', 'mul', 'div', 'max', 'min'].map((p): [string, DType[], DType, unknown] => [
      p,
      ['f32', 'f32'],
      'f32',
      {},
    ]),
    ...['lt', 'le', 'gt', 'ge', 'eq', 'ne'].map((op): [string, DType[], DType, unknown] => [
      'compare',
      ['f32', 'f32'],
      'bool',
      { op },
    ]),
    ['select', ['bool', 'f32', 'f32'], 'f32', {}],
  ];

  it('equal the JS kernels bit for bit, on and around the size threshold', () => {
    for (const n of [17, SIMD_ELEMENTWISE_MIN_SIZE, SIMD_ELEMENTWISE_MIN_SIZE + 3, 5003]) {
      for (const [prim, dtypes, outDtype, params] of cases) {
        const ops = dtypes.map((dtype, i) => {
          const v = { aval: { shape: [n], dtype } };
          return { buffer: data(v, n + i), shape: [n], dtype };
        });
        const xs = ops.map((o) => o.buffer);
        const out = { shape: [n], dtype: outDtype };
        const run = (t: typeof js) =>
          (t as unknown as Record<string, (...a: unknown[]) => TypedArray>)[prim]!(xs, ops, params, out);
        expect(bits(run(wasm))).toEqual(bits(run(js)));
        expect(simdElementwise(prim, dtypes, outDtype, params, n) !== undefined).toBe(
          n >= SIMD_ELEMENTWISE_MIN_SIZE,
        );
      }
    }
  });

  it('primitives without an exact twin, and other dtypes, stay on JS', () => {
    const n = 4 * SIMD_ELEMENTWISE_MIN_SIZE;
    expect(simdElementwise('exp', ['f32'], 'f32', {}, n)).toBeUndefined();
    expect(simdElementwise('add', ['f64', 'f64'], 'f64', {}, n)).toBeUndefined();
    expect(simdElementwise('mul', ['i32', 'i32'], 'i32', {}, n)).toBeUndefined();
  });
});
