/**
 * Fusion in jit programs (elementwise chains; epilogues of matmuls, convolutions and
 * reductions; reduction prologues): fused results equal the unfused ones (and the CPU's),
 * and the number of dispatches drops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fusionHarness } from '../../../test/backends/fusion-harness.ts';
import {
  initLeNet,
  initMlp,
  type LeNetParams,
  lenetBatch,
  lenetStep,
  type MlpParams,
  mlpStep,
} from '../../../test/backends/models.ts';
import { currentBackend } from '../../core/backend-registry.ts';
import type { Tensor } from '../../core/tensor.ts';
import * as tg from '../../index.ts';
import { planFusion } from './fusion.ts';
import type { WebGpuBackend } from './index.ts';
import { acquireTestBackend, expectClose } from './test-helpers.ts';

// Probe once (skips loudly, or fails under CI, without an adapter); the suite then uses the
// registry's backend, since jit runs on the current one.
const probe = await acquireTestBackend();
probe?.destroy();

type T = Tensor<number[], 'f32'>;
const f32 = (data: ArrayLike<number>, shape: number[]): T => tg.tensor(Float32Array.from(data), shape) as T;
let be: WebGpuBackend;

const { jitRun, compare } = fusionHarness(
  () => be,
  () => be.dispatchCount,
);
const seq = (n: number, seed: number, scale = 1): number[] =>
  Array.from({ length: n }, (_, i) => Math.sin(i * 1.37 + seed) * scale);

describe.skipIf(!probe)('webgpu jit fusion', () => {
  beforeAll(async () => {
    await tg.setBackend('webgpu');
    be = currentBackend() as WebGpuBackend;
  });
  afterAll(async () => {
    be.fusion = true;
    await tg.setBackend('cpu');
  });

  const xs = Array.from({ length: 48 }, (_, i) => Math.sin(i * 1.3) * 3);
  const bs = [0.5, -1, 2, 0.25, -0.75, 1.5, 3, -2];

  it('plans one group for a chain with a broadcast bias', () => {
    const f = (x: T, b: T) => tg.mul(tg.tanh(tg.add(tg.mul(x, 2), b)), tg.sigmoid(x));
    const program = tg.jit(f).lower(f32(xs, [6, 8]), f32(bs, [8]));
    const groups = planFusion(program.jaxpr);
    expect(groups.length).toBe(1);
    // every equation but none is left: the broadcasts of 2 and of b, mul, add, tanh, logistic, mul
    expect(groups[0]!.eqns.length).toBe(program.jaxpr.eqns.length);
  });

  it('an elementwise chain with broadcasting: same values, fewer dispatches', async () => {
    const f = (x: T, b: T) =>
      tg.mul(tg.tanh(tg.add(tg.mul(x, 2), b)), tg.sigmoid(tg.sub(x, tg.exp(tg.neg(b)))));
    const args: [T, T] = [f32(xs, [6, 8]), f32(bs, [8])];
    const fused = await jitRun(f, args, true);
    const plain = await jitRun(f, args, false);
    expect(fused.v).toEqual(plain.v);
    // two kernels: exp(-b) on [8], then everything on [6, 8] (broadcasts read by strides)
    expect(fused.kernels).toBe(2);
    expect(plain.kernels).toBeGreaterThan(5);
    const want = xs.map((x, i) => {
      const b = bs[i % 8]!;
      return Math.tanh(x * 2 + b) * (1 / (1 + Math.exp(-(x - Math.exp(-b)))));
    });
    expectClose(fused.v, want, 1e-5, 1e-6);
  });

  it('compare, select and cast (bool and i32) inside a chain', async () => {
    const f = (x: T, b: T) => {
      const m = tg.greater(x, b);
      const k = tg.cast(tg.cast(tg.mul(x, 10), 'i32'), 'f32');
      return tg.where(m, tg.abs(k), tg.minimum(x, b)) as T;
    };
    const args: [T, T] = [f32(xs, [6, 8]), f32(bs, [8])];
    const fused = await jitRun(f, args, true);
    const plain = await jitRun(f, args, false);
    expect(fused.v).toEqual(plain.v);
    expect(fused.kernels).toBeLessThan(plain.kernels);
  });

  it('an MLP training step: same loss and parameters, fewer dispatches', async () => {
    const x = f32(
      Array.from({ length: 32 }, (_, i) => Math.cos(i)),
      [4, 8],
    );
    const w = f32(
      Array.from({ length: 48 }, (_, i) => Math.sin(i) * 0.3),
      [8, 6],
    );
    const step = (p: T) => {
      const [l, g] = tg.valueAndGrad((q: T) => tg.mean(tg.square(tg.tanh(tg.matmul(x, q)))))(p);
      return tg.concat([tg.reshape(tg.sub(p, tg.mul(g, 0.1)), [48]), tg.reshape(l, [1])], { axis: 0 }) as T;
    };
    const fused = await jitRun(step, [w], true);
    const plain = await jitRun(step, [w], false);
    expectClose(fused.v, plain.v, 1e-6, 1e-7);
    expect(fused.kernels).toBeLessThan(plain.kernels);
  });

  it('inputs read twice and values used outside the group stay correct', async () => {
    const f = (x: T) => {
      const e = tg.exp(x); // used twice: not fused into either consumer
      return tg.add(tg.mul(e, x), tg.sum(e)) as T;
    };
    const args: [T] = [f32(xs.slice(0, 8), [8])];
    const fused = await jitRun(f, args, true);
    const plain = await jitRun(f, args, false);
    expect(fused.v).toEqual(plain.v);
  });

  // ---------------------------------------------------------------- epilogues and prologues

  it('plans a dense layer with ReLU, logsumexp and a mean-squared loss as one kernel each', () => {
    const x = f32(seq(32, 1), [4, 8]);
    const w = f32(seq(48, 2), [8, 6]);
    const b = f32(seq(6, 3), [6]);
    const dense = (x: T, w: T, b: T) => tg.relu(tg.add(tg.matmul(x, w), b)) as T;
    const lse = (x: T) => tg.log(tg.sum(tg.exp(x), { axis: 1 })) as T;
    const mse = (x: T, y: T) => tg.mean(tg.square(tg.sub(x, y))) as T;
    for (const [program, core] of [
      [tg.jit(dense).lower(x, w, b).jaxpr, 'dot_general'],
      [tg.jit(lse).lower(x).jaxpr, 'reduce_sum'],
      [tg.jit(mse).lower(x, x).jaxpr, 'reduce_sum'],
    ] as const) {
      const groups = planFusion(program);
      expect(groups.length).toBe(1);
      expect(groups[0]!.core?.kind).toBe(core);
      expect(groups[0]!.eqns.length).toBe(program.eqns.length);
    }
  });

  it('a dense layer with ReLU is one dispatch', async () => {
    const x = f32(seq(5 * 40, 1), [5, 40]);
    const w = f32(seq(40 * 36, 2, 0.3), [40, 36]);
    const b = f32(seq(36, 3), [36]);
    const r = await compare((x: T, w: T, b: T) => tg.relu(tg.add(tg.matmul(x, w), b)) as T, [x, w, b]);
    // unfused: dot, broadcast(b), add, broadcast(0), compare, select (relu as a select)
    expect(r).toMatchObject({ fused: 1, plain: 6 });
    const xv = seq(5 * 40, 1);
    const wv = seq(40 * 36, 2, 0.3);
    const bv = seq(36, 3);
    const want = Array.from({ length: 5 * 36 }, (_, i) => {
      const [m, n] = [Math.floor(i / 36), i % 36];
      let acc = bv[n]!;
      for (let k = 0; k < 40; k++) acc += xv[m * 40 + k]! * wv[k * 36 + n]!;
      return Math.max(acc, 0);
    });
    expectClose(r.v, want, 1e-4, 1e-4);
  });

  it('matmul epilogues: mul, tanh, logistic, a bool result, batched and transposed', async () => {
    const x = f32(seq(2 * 3 * 8, 1), [2, 3, 8]);
    const w = f32(seq(2 * 8 * 5, 2, 0.5), [2, 8, 5]);
    const s = f32(seq(5, 3), [5]);
    const batched = (x: T, w: T, s: T) => tg.sigmoid(tg.mul(tg.tanh(tg.matmul(x, w)), s)) as T;
    expect(await compare(batched, [x, w, s])).toMatchObject({ fused: 1, plain: 5 });
    // a matmul's output read transposed (as in a weight gradient), compared to 0.5: the
    // operand's transpose is its own dispatch, the rest one kernel
    const a = f32(seq(8 * 6, 4), [8, 6]);
    const c = f32(seq(8 * 7, 5), [8, 7]);
    const grad = (a: T, c: T) =>
      tg.greater(
        tg.transpose(tg.matmul(tg.transpose(a, { perm: [1, 0] }), c), { perm: [1, 0] }),
        0.5,
      ) as Tensor;
    expect(await compare(grad, [a, c])).toMatchObject({ fused: 2, plain: 5 });
  });

  it('a matmul whose output is used elsewhere, and an epilogue past 8 storage buffers', async () => {
    const x = f32(seq(4 * 8, 1), [4, 8]);
    const w = f32(seq(8 * 6, 2), [8, 6]);
    const escapes = (x: T, w: T) => {
      const y = tg.matmul(x, w);
      return tg.concat([tg.reshape(tg.exp(y), [24]), tg.reshape(y, [24])], { axis: 0 }) as T;
    };
    const e = await jitRun(escapes, [x, w], true);
    const p = await jitRun(escapes, [x, w], false);
    expect(e.v).toEqual(p.v);
    const ys = Array.from({ length: 6 }, (_, k) => f32(seq(24, 10 + k), [4, 6]));
    const wide = (x: T, w: T, a: T, b: T, c: T, d: T, f: T, g: T) =>
      tg.mul(tg.add(tg.add(tg.add(tg.matmul(x, w), a), tg.mul(b, c)), tg.sub(d, f)), g) as T;
    const r = await compare(wide, [x, w, ...ys] as [T, T, T, T, T, T, T, T]);
    expect(r.fused).toBe(2); // the matmul, then one elementwise kernel of 7 inputs
  });

  it('convolution with bias and ReLU: one dispatch, on the GEMM and the direct paths', async () => {
    for (const cin of [1, 3]) {
      // K = cin · 3 · 3: 9 runs the direct kernel, 27 the implicit GEMM
      const x = f32(seq(2 * cin * 6 * 6, 1), [2, cin, 6, 6]);
      const k = f32(seq(4 * cin * 9, 2, 0.4), [4, cin, 3, 3]);
      const b = f32(seq(4, 3), [4, 1, 1]);
      const f = (x: T, k: T, b: T) => tg.relu(tg.add(tg.conv2d(x, k, { padding: 1 }), b)) as T;
      expect((await compare(f, [x, k, b])).fused).toBe(1);
    }
  });

  it('reductions: logsumexp, max with an epilogue, a mean-squared loss', async () => {
    const x = f32(seq(6 * 40, 1, 3), [6, 40]);
    const y = f32(seq(6 * 40, 2, 3), [6, 40]);
    const lse = (x: T) => tg.log(tg.sum(tg.exp(x), { axis: 1 })) as T;
    const r = await compare(lse, [x]);
    expect(r).toMatchObject({ fused: 1, plain: 3 });
    const xv = seq(6 * 40, 1, 3);
    expectClose(
      r.v,
      Array.from({ length: 6 }, (_, i) =>
        Math.log(xv.slice(i * 40, i * 40 + 40).reduce((a, v) => a + Math.exp(v), 0)),
      ),
      1e-5,
      1e-5,
    );
    const mx = (x: T, y: T) => tg.sqrt(tg.abs(tg.max(tg.mul(x, y), { axis: 0 }))) as T;
    expect((await compare(mx, [x, y])).fused).toBe(1);
    const mse = (x: T, y: T) => tg.mean(tg.square(tg.sub(x, y))) as T;
    const m = await compare(mse, [x, y]);
    expect(m).toMatchObject({ fused: 1, plain: 4 });
    const yv = seq(6 * 40, 2, 3);
    expectClose(m.v, [xv.reduce((a, v, i) => a + (v - yv[i]!) ** 2, 0) / 240], 1e-5, 1e-6);
  });

  it('an MLP training step (dense, tanh, softmax cross-entropy, SGD): same values, fewer dispatches', async () => {
    const p = initMlp(1, 16, 32, 10);
    const x = f32(seq(8 * 16, 4), [8, 16]);
    const y = tg.oneHot(tg.tensor(Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [8]), 10) as T;
    const r = await compare((q: MlpParams) => mlpStep(q, x, y, 0.1), [p]);
    expect(r.fused).toBeLessThanOrEqual(r.plain / 2);
  });

  it('a LeNet training step: same values, fewer dispatches', async () => {
    const { x, y } = lenetBatch(3, 2);
    const p = initLeNet(7);
    const step = (q: LeNetParams) => {
      const s = lenetStep(q, x, y, 0.01);
      return [s.params, s.loss];
    };
    const r = await compare(step, [p]);
    expect(r.fused).toBeLessThanOrEqual(r.plain / 2);
  });
});
