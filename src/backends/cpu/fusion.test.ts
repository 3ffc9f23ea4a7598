/**
 * CPU fusion of jit programs (elementwise trees with their broadcasts, one generated loop
 * each): fused results equal the unfused ones bit for bit, and fewer kernels run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameBits, fusionHarness } from '../../../test/backends/fusion-harness.ts';
import {
  crossEntropy,
  initLeNet,
  initMlp,
  type LeNetParams,
  lenet,
  lenetBatch,
  lenetStep,
  type MlpParams,
  mlp,
  mlpStep,
} from '../../../test/backends/models.ts';
import * as lax from '../../core/lax.ts';
import type { Tensor } from '../../core/tensor.ts';
import * as tg from '../../index.ts';
import { fusedSource, planCpuFusion, setFusedSimdMinSize } from './fusion.ts';
import { cpuBackend, createCpuBackend, type KernelSet } from './index.ts';
import { wasmSimdSupported } from './wasm/runtime.ts';

type T = Tensor<number[], 'f32'>;
const f32 = (data: ArrayLike<number>, shape: number[]): T => tg.tensor(Float32Array.from(data), shape) as T;
const seq = (n: number, seed: number, scale = 1): number[] =>
  Array.from({ length: n }, (_, i) => Math.sin(i * 1.37 + seed) * scale);

const { compare } = fusionHarness(
  () => cpuBackend,
  () => cpuBackend.kernelCount,
);

// both kernel sets: on `wasm` every qualifying group (whatever its size) runs on the SIMD kernel
const SETS: { kernels: KernelSet; simdMinSize: number }[] = [
  ...(wasmSimdSupported() ? [{ kernels: 'wasm' as const, simdMinSize: 0 }] : []),
  { kernels: 'js', simdMinSize: 0 },
];
const defaultKernels = cpuBackend.kernels;

describe.each(SETS)('cpu jit fusion ($kernels kernels)', ({ kernels, simdMinSize }) => {
  let wasMinSize = 0;
  beforeAll(() => {
    cpuBackend.kernels = kernels;
    wasMinSize = setFusedSimdMinSize(simdMinSize);
  });
  afterAll(() => {
    cpuBackend.fusion = true;
    cpuBackend.kernels = defaultKernels;
    setFusedSimdMinSize(wasMinSize);
  });

  it('is on by default and can be turned off', () => {
    expect(cpuBackend.fusion).toBe(true);
    expect(createCpuBackend({ fusion: false }).fusion).toBe(false);
  });

  it('plans one group for a chain with a broadcast bias', () => {
    const f = (x: T, b: T) => tg.mul(tg.tanh(tg.add(tg.mul(x, 2), b)), tg.sigmoid(x));
    const program = tg.jit(f).lower(f32(seq(48, 1), [6, 8]), f32(seq(8, 2), [8])).jaxpr;
    const groups = planCpuFusion(program);
    expect(groups.length).toBe(1);
    expect(groups[0]!.eqns.length).toBe(program.eqns.length);
  });

  it('a dense layer with ReLU: the bias add and ReLU are one loop', async () => {
    const x = f32(seq(5 * 40, 1), [5, 40]);
    const w = f32(seq(40 * 36, 2, 0.3), [40, 36]);
    const b = f32(seq(36, 3), [36]);
    const r = await compare((x: T, w: T, b: T) => tg.relu(tg.add(tg.matmul(x, w), b)) as T, [x, w, b]);
    // dot_general, then broadcast(b) + add + broadcast(0) + compare + select (relu, with
    // relu'(0) = 0) as one kernel
    expect(r).toMatchObject({ fused: 2, plain: 6 });
  });

  it('a ReLU layer and its gradient: the mask is recomputed where it is read, never stored', async () => {
    const x = f32(seq(6 * 20, 1), [6, 20]);
    const w = f32(seq(20 * 12, 2, 0.3), [20, 12]);
    const b = f32(seq(12, 3), [12]);
    const c = f32(seq(6 * 12, 4), [6, 12]);
    const loss = (w: T) => tg.sum(tg.mul(tg.relu(tg.add(tg.matmul(x, w), b)), c));
    const step = (w: T) => tg.valueAndGrad(loss)(w);
    const r = await compare(step as (w: T) => unknown, [w]);
    const program = tg.jit(step).lower(w).jaxpr;
    const groups = planCpuFusion(program);
    const fusedEqns = new Set(groups.flatMap((g) => g.eqns));
    // every compare and select runs inside a loop: none is its own kernel, none stored for later
    const relu = program.eqns.flatMap((e, i) => (e.prim === 'compare' || e.prim === 'select' ? [i] : []));
    expect(relu.length).toBeGreaterThanOrEqual(3);
    expect(relu.filter((i) => !fusedEqns.has(i))).toEqual([]);
    // the forward ReLU loop and the gradient's masked loop both read the product and the bias
    const reading = groups.filter((g) => g.extra.includes(program.eqns[0]!.outs[0]!));
    expect(reading.length).toBe(2);
    // dot, ReLU loop, upstream gradient loop, masked-gradient loop, sum and the gradient's dot
    expect(r.fused).toBeLessThan(r.plain - 4);
  });

  it('a fused select and compare keep NaN, infinities and signed zeros on both sides', async () => {
    const xv = [Number.NaN, 0, -0, 1, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3e-39];
    const yv = [1, -0, 0, Number.NaN, -1, Number.NEGATIVE_INFINITY, 5, -3e-39];
    const f = (x: T, y: T) => {
      const gt = lax.compare(x, y, 'gt');
      const a = lax.select(gt, x, y); // max that prefers y on ties and NaN
      const b = lax.select(lax.compare(x, y, 'ne'), lax.neg(x), lax.mul(y, lax.fullLike(y.aval, 2)));
      return [a, b, lax.cast(gt, 'f32')];
    };
    const r = await compare(f as (x: T, y: T) => unknown, [f32(xv, [8]), f32(yv, [8])]);
    const f32r = Math.fround;
    // not Math.max: the select keeps y when x is NaN and on ±0 ties
    const pick = (c: boolean, a: number, b: number) => (c ? a : b);
    const want = [
      ...xv.map((x, i) => pick(x > yv[i]!, x, yv[i]!)),
      ...xv.map((x, i) => (x !== yv[i]! ? -x : yv[i]! * 2)),
      ...xv.map((x, i) => (x > yv[i]! ? 1 : 0)),
    ].map(f32r);
    expectSameBits(r.v, want);
  });

  it('an elementwise chain with broadcasting matches a reference', async () => {
    const xs = seq(48, 1, 3);
    const bs = seq(8, 2);
    const f = (x: T, b: T) =>
      tg.mul(tg.tanh(tg.add(tg.mul(x, 2), b)), tg.sigmoid(tg.sub(x, tg.exp(tg.neg(b)))));
    const r = await compare(f, [f32(xs, [6, 8]), f32(bs, [8])]);
    expect(r.fused).toBe(2); // exp(-b) on [8], then everything on [6, 8]
    const f32r = Math.fround;
    const want = xs.map((xv, i) => {
      const x = f32r(xv);
      const b = f32r(bs[i % 8]!);
      const t = f32r(Math.tanh(f32r(f32r(x * 2) + b)));
      const e = f32r(Math.exp(f32r(-b)));
      const s = f32r(1 / (1 + Math.exp(-f32r(x - e))));
      return f32r(t * s);
    });
    expect(r.v).toEqual(want);
  });

  it('keeps the kernels’ dtype semantics: i32 wrap and division, NaN, -0, bool arithmetic, casts, f64', async () => {
    const fv = [0, -0, 1.5, -2.5, Number.NaN, Number.POSITIVE_INFINITY, -7, 3e9, 1e-40, 2];
    const x = f32(fv, [10]);
    const y = f32([2, 0, -1, 0.5, 1, Number.NaN, 3, -3e9, 0, -0], [10]);
    const iv = Int32Array.from([7, -7, 2147483647, -2147483648, 0, 5, -1, 13, 46341, 3]);
    const i = tg.tensor(iv, [10], { dtype: 'i32' }) as Tensor<number[], 'i32'>;
    const j = tg.tensor(Int32Array.from([2, 2, 2, -1, 0, 0, 3, -4, 46341, 40]), [10], {
      dtype: 'i32',
    }) as Tensor<number[], 'i32'>;
    const d = tg.tensor(Float64Array.from([0.1, -0.2, 1e300, 3, 5, 7, 11, 13, 17, 19]), [10], {
      dtype: 'f64',
    });
    // primitives directly (the ops would promote bool and i32 arithmetic)
    const f = (x: Tensor, y: Tensor, i: Tensor, j: Tensor, d: Tensor) => {
      const one = lax.fullLike(j.aval, 1);
      const q = lax.div(lax.add(i, j), lax.sub(j, one)); // i32 wrap, truncating division, x/0 = 0
      const m = lax.mul(lax.mul(i, j), lax.neg(i)); // wrapping multiply and negation
      const pw = lax.pow(lax.abs(i), lax.sub(j, lax.fullLike(j.aval, 2))); // integer power, negative exponents
      const c = lax.cast(lax.mul(x, lax.fullLike(x.aval, 1e9)), 'i32'); // clamps, NaN -> 0
      const mx = lax.max(lax.div(x, y), lax.min(x, y)); // NaN propagates, -0
      const bl = lax.compare(x, y, 'gt');
      const lt = lax.compare(x, lax.fullLike(x.aval, 1), 'lt');
      const bb = lax.add(lax.mul(bl, lt), lax.sub(bl, lax.compare(x, x, 'ne'))); // or/and/xor
      const sel = lax.select(bb, lax.sqrt(lax.abs(x)), lax.sign(y));
      const dd = lax.cast(lax.mul(lax.add(d, lax.cast(x, 'f64')), lax.fullLike(d.aval, 1.0000001)), 'f32');
      const ff = lax.cast(lax.add(lax.cast(i, 'f32'), lax.fullLike(x.aval, 0.5)), 'f64');
      const bi = lax.cast(lax.max(bb, lax.abs(lax.compare(i, j, 'le'))), 'i32');
      return [q, m, pw, c, mx, bi, sel, dd, lax.mul(ff, d), lax.logistic(lax.exp(dd))];
    };
    const r = await compare(f, [x, y, i, j, d]);
    expect(r.v.some(Number.isNaN)).toBe(true);
  });

  it('softmax cross-entropy and its gradient', async () => {
    const logits = f32(seq(8 * 10, 5, 4), [8, 10]);
    const labels = tg.tensor(Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [8], { dtype: 'i32' });
    const r = await compare(
      (l: T) => tg.valueAndGrad((z: T) => tg.nn.softmaxCrossEntropy(z as never, labels as never))(l),
      [logits],
    );
    expect(r.fused).toBeLessThan(r.plain);
  });

  it('an Adam update: the update arithmetic is fused', async () => {
    const opt = tg.optim.adam(1e-3);
    type P = { w: T; b: T };
    const p: P = { w: f32(seq(400 * 12, 1, 0.1), [400, 12]), b: f32(seq(12, 2), [12]) };
    const g: P = { w: f32(seq(400 * 12, 3, 0.01), [400, 12]), b: f32(seq(12, 4, 0.01), [12]) };
    type S = ReturnType<typeof opt.init<P>>;
    const step = (p: P, g: P, s: S) => {
      const [u, ns] = opt.update(g, s);
      return [tg.optim.applyUpdates(p, u), ns] as const;
    };
    // one update first, so the moments are nonzero
    const s = tg.jit(step)(p, g, opt.init(p))[1];
    const r = await compare(step, [p, g, s]);
    expect(r.fused).toBeLessThanOrEqual(r.plain / 2);
  });

  it('an MLP training step: same values, fewer kernels', async () => {
    const p = initMlp(1, 16, 32, 10);
    const x = f32(seq(8 * 16, 4), [8, 16]);
    const y = tg.oneHot(tg.tensor(Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [8]), 10) as T;
    const r = await compare((q: MlpParams) => mlpStep(q, x, y, 0.1), [p]);
    expect(r.fused).toBeLessThan(r.plain);
    // the forward pass alone
    await compare((q: MlpParams) => crossEntropy(mlp(q, x), y), [p]);
  });

  it('a LeNet training step: same values, fewer kernels', async () => {
    const { x, y } = lenetBatch(3, 2);
    const p = initLeNet(7);
    const step = (q: LeNetParams) => {
      const s = lenetStep(q, x, y, 0.01);
      return [s.params, s.grads, s.loss];
    };
    const r = await compare(step, [p]);
    expect(r.fused).toBeLessThan(r.plain * 0.75);
    await compare((q: LeNetParams) => crossEntropy(lenet(q, x), y), [p]);
  });

  it('reads slices through strides: LSTM-style gates, strided and single-element slices', async () => {
    const z = f32(seq(6 * 16, 4), [6, 16]);
    const cols = (k: number) => lax.slice(z, { start: [0, 4 * k], limit: [6, 4 * k + 4], stride: [1, 1] });
    const gates = (x: T) => {
      const gate = (k: number, stride = 1) =>
        lax.slice(x, { start: [0, 4 * k], limit: [6, 4 * k + 4], stride: [1, stride] });
      // i·tanh(g) + f·o, every gate a slice of x; then a column stride 2 and a single element
      const c = tg.add(tg.mul(tg.sigmoid(gate(0)), tg.tanh(gate(2))), tg.mul(gate(1), gate(3)));
      const even = lax.slice(x, { start: [1, 0], limit: [5, 16], stride: [2, 2] });
      const one = lax.slice(x, { start: [5, 15], limit: [6, 16], stride: [1, 1] });
      return [c, tg.exp(even), tg.neg(one)] as const;
    };
    const r = await compare(gates as (x: T) => unknown, [z]);
    // the 6 slices are read in place: three loops, no slice kernels
    expect(r).toMatchObject({ fused: 3, plain: 13 });
    const [zi, zf, zg, zo] = await Promise.all(
      [0, 1, 2, 3].map(async (k) => Array.from(await cols(k).data())),
    );
    const f = Math.fround;
    const sig = (v: number) => f(1 / (1 + Math.exp(-v)));
    const c = zi!.map((v, j) => f(f(sig(v) * f(Math.tanh(zg![j]!))) + f(zf![j]! * zo![j]!)));
    const zs = Array.from(await z.data());
    const even = [1, 3].flatMap((row) =>
      Array.from({ length: 8 }, (_, j) => f(Math.exp(zs[row * 16 + 2 * j]!))),
    );
    expectSameBits(r.v, [...c, ...even, -zs[95]!]);
  });

  it('a slice feeding a short (written-out) inner run reads from its offset', async () => {
    const x = f32(seq(3 * 10, 5), [3, 10]);
    const f = (x: T) => tg.mul(lax.slice(x, { start: [0, 6], limit: [3, 9], stride: [1, 1] }) as T, 2) as T;
    const r = await compare(f, [x]);
    const xs = Array.from(await x.data());
    expectSameBits(
      r.v,
      [0, 1, 2].flatMap((row) => [6, 7, 8].map((c) => Math.fround(xs[row * 10 + c]! * 2))),
    );
  });

  it('generated loops hoist values that are constant along the inner run', () => {
    const f = (x: T, b: T) => tg.relu(tg.add(x, tg.mul(b, 2))) as T;
    const program = tg.jit(f).lower(f32(seq(48, 1), [2, 3, 8]), f32(seq(3, 2), [3, 1])).jaxpr;
    const g = planCpuFusion(program).find((g) => g.out.aval.shape.length === 3)!;
    const src = fusedSource(g, program.eqns);
    // b·2 (stride 0 along the last dim) is read once per row of 8
    const inner = src.slice(src.lastIndexOf('for ('));
    expect(inner).not.toMatch(/x1\[/);
    expect(inner).toMatch(/x0\[o\]/);
  });

  it('operands disposed before a fused kernel runs are an error', async () => {
    const f = (x: T) => tg.exp(tg.add(x, 1)) as T;
    const jf = tg.jit(f);
    const x = f32([1, 2, 3], [3]);
    expect(await jf(x).data()).toBeInstanceOf(Float32Array);
    x.dispose();
    expect(() => jf(x)).toThrow(/dispose/);
  });
});
