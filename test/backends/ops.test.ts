/**
 * The backend suite's own cases, on every backend from one parametrized suite: the harness
 * (tensors land on the backend under test), random_bits (the same numbers as on the CPU) and
 * the transforms (grad, vmap, jit, scan) computed on the backend and read with
 * `await t.data()`. The public ops' known values run on every backend from their unit tests,
 * src/ops/*.test.ts, with the same `describe.each(await backendsUnderTest())`.
 */
import { describe, expect } from 'vitest';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';
import { backendsUnderTest, expectClose, expectT, lcg, onBackend, useBackend, values } from './helpers.ts';

const BACKENDS = await backendsUnderTest();

const f32 = (data: ArrayLike<number>, shape: number[]): Tensor<number[], 'f32'> =>
  tg.tensor(Float32Array.from(data), shape) as Tensor<number[], 'f32'>;
type T = Tensor<number[], 'f32'>;
const XS = [-2.5, -1, -0.25, 0, 0.5, 1, 2, 3.75];

describe.each(BACKENDS)('harness and random on $name', (backend) => {
  const { name } = backend;
  const test = useBackend(backend);

  test('runs on the backend under test', () => {
    expect(tg.getBackend()).toBe(name);
    const x = f32([1, 2, 3], [3]);
    expect(tg.memory()[name]?.tensors).toBeGreaterThan(0);
    x.dispose();
  });

  test('random: uniform and normal are the same numbers as on the CPU', async () => {
    const key = tg.random.key(42);
    const u = await values(tg.random.uniform(key, [8, 8]));
    const n = await values(tg.random.normal(tg.random.foldIn(key, 3), [64]));
    const [uc, nc] = await onBackend('cpu', async () => {
      const k = tg.random.key(42);
      return [
        await values(tg.random.uniform(k, [8, 8])),
        await values(tg.random.normal(tg.random.foldIn(k, 3), [64])),
      ];
    });
    expect(u).toEqual(uc); // bit-identical: the same Threefry words, exact scaling
    for (const v of u) expect(v >= 0 && v < 1).toBe(true);
    // normal goes through log, sqrt and cos: equal to within a few f32 ulps
    expectClose(n, nc, 2e-6, 2e-6);
  });
});

describe.each(BACKENDS)('transforms on $name', (backend) => {
  const test = useBackend(backend);

  test('grad of sum(tanh(x) * x)', async () => {
    const x = f32(XS, [8]);
    const g = tg.grad((v: Tensor<number[], 'f32'>) => tg.sum(tg.mul(tg.tanh(v), v)))(x);
    await expectT(
      g,
      [8],
      XS.map((v) => Math.tanh(v) + v * (1 - Math.tanh(v) ** 2)),
    );
  });

  test('grad through matmul, conv2d and maxPool2d', async () => {
    const w = f32([1, 2, 3, 4, 5, 6], [3, 2]);
    const x = f32([1, -1, 2, 0.5, 0, 1], [2, 3]);
    const gw = tg.grad((p: Tensor<number[], 'f32'>) => tg.sum(tg.matmul(x, p)))(w);
    await expectT(gw, [3, 2], [1.5, 1.5, -1, -1, 3, 3]); // column sums of x, per output
    const gradOf = async () => {
      const img = f32(lcg(36, 21), [1, 1, 6, 6]);
      const k = f32(lcg(9, 22), [1, 1, 3, 3]);
      const loss = (kk: Tensor<number[], 'f32'>) =>
        tg.sum(tg.maxPool2d(tg.conv2d(img, kk, { padding: 1 }), { window: 2 }));
      return values(tg.grad(loss)(k));
    };
    const g = await gradOf();
    const gc = await onBackend('cpu', gradOf);
    expectClose(g, gc, 1e-4, 1e-5);
  });

  test('vmap of a matrix-vector product', async () => {
    const m = f32([1, 2, 3, 4], [2, 2]);
    const vs = f32([1, 0, 0, 1, 1, 1], [3, 2]);
    const out = tg.vmap((v: Tensor<number[], 'f32'>) => tg.matmul(m, v))(vs) as Tensor;
    await expectT(out, [3, 2], [1, 3, 2, 4, 3, 7]);
  });

  test('jit equals eager and reuses its program', async () => {
    const f = (a: Tensor<number[], 'f32'>, b: Tensor<number[], 'f32'>) =>
      tg.sum(tg.mul(tg.exp(tg.sub(a, b)), tg.relu(b)), { axis: 0 });
    const jf = tg.jit(f);
    const a = f32(lcg(12, 31), [3, 4]);
    const b = f32(lcg(12, 32), [3, 4]);
    const want = await values(f(a, b));
    await expectT(jf(a, b), [4], want);
    await expectT(jf(b, a), [4], await values(f(b, a)));
    expect(jf.cacheSize).toBe(1);
  });

  test('scan: a running sum and its gradient', async () => {
    const xs = f32([1, 2, 3, 4, 5, 6], [3, 2]);
    const [carry, ys] = tg.scan(
      (c: Tensor, x: Tensor) => {
        const n = tg.add(c, x);
        return [n, tg.mul(n, 2)] as const;
      },
      tg.zeros([2]) as Tensor,
      xs as Tensor,
    );
    await expectT(carry, [2], [9, 12]);
    await expectT(ys, [3, 2], [2, 4, 8, 12, 18, 24]);
    const g = tg.grad((v: Tensor<number[], 'f32'>) => {
      const [c] = tg.scan(
        (cc: Tensor, x: Tensor) => [tg.mul(cc, x), cc] as const,
        tg.ones([2]) as Tensor,
        v as Tensor,
      );
      return tg.sum(c as T);
    })(xs);
    // carry = prod over rows; d/dx[i, j] = prod / x[i, j]
    await expectT(g, [3, 2], [15, 24, 5, 12, 3, 8]);
  });
});
