/**
 * Elementwise fusion in jit programs: fused results equal the unfused ones (and the CPU's),
 * and the number of dispatches drops.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const vals = async (t: Tensor) => Array.from((await t.data()) as ArrayLike<number>);
let be: WebGpuBackend;

/** Runs a fresh jit of `f` with fusion on or off; returns the values and the dispatches of the call. */
async function jitRun(
  f: (...a: T[]) => Tensor,
  args: T[],
  fusion: boolean,
): Promise<{ v: number[]; dispatches: number }> {
  be.fusion = fusion;
  const jf = tg.jit(f);
  await vals(jf(...args)); // first call traces and plans
  const before = be.dispatchCount;
  const out = jf(...args);
  const dispatches = be.dispatchCount - before;
  return { v: await vals(out), dispatches };
}

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
    const args = [f32(xs, [6, 8]), f32(bs, [8])];
    const fused = await jitRun(f, args, true);
    const plain = await jitRun(f, args, false);
    expect(fused.v).toEqual(plain.v);
    // two kernels: exp(-b) on [8], then everything on [6, 8] (broadcasts read by strides)
    expect(fused.dispatches).toBe(2);
    expect(plain.dispatches).toBeGreaterThan(5);
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
    const args = [f32(xs, [6, 8]), f32(bs, [8])];
    const fused = await jitRun(f, args, true);
    const plain = await jitRun(f, args, false);
    expect(fused.v).toEqual(plain.v);
    expect(fused.dispatches).toBeLessThan(plain.dispatches);
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
      return tg.concat([tg.reshape(tg.sub(p, tg.mul(g, 0.1)), [48]), tg.reshape(l, [1])], 0) as T;
    };
    const fused = await jitRun(step, [w], true);
    const plain = await jitRun(step, [w], false);
    expectClose(fused.v, plain.v, 1e-6, 1e-7);
    expect(fused.dispatches).toBeLessThan(plain.dispatches);
  });

  it('inputs read twice and values used outside the group stay correct', async () => {
    const f = (x: T) => {
      const e = tg.exp(x); // used twice: not fused into either consumer
      return tg.add(tg.mul(e, x), tg.sum(e)) as T;
    };
    const args = [f32(xs.slice(0, 8), [8])];
    const fused = await jitRun(f, args, true);
    const plain = await jitRun(f, args, false);
    expect(fused.v).toEqual(plain.v);
  });
});
