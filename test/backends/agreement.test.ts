/**
 * Backend agreement, as properties: fast-check draws shapes and values, each case is
 * computed on the CPU and on WebGPU from the same host data, and the results must agree:
 *
 * | what                                   | tolerance (numpy-style rtol / atol)     |
 * | -------------------------------------- | --------------------------------------- |
 * | elementwise, compare, select, cast     | 1e-5 / 1e-6 (exact for bool and i32)    |
 * | reductions                             | 1e-5 / 1e-6 · Σ|x|                      |
 * | matmul, conv2d, convTranspose2d        | 1e-4 / 1e-5 · K (K = contraction size)  |
 * | gradients of a small MLP / ConvNet     | 1e-4 / 1e-5 · size                      |
 *
 * Random bits are compared exactly (the same Threefry on both).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../src/index.ts';
import * as tg from '../../src/index.ts';
import { expectClose, onBackend, values, webGpuAvailable } from './helpers.ts';

const available = await webGpuAvailable();
const RUNS = { numRuns: 12 };

type T = Tensor<number[], 'f32'>;
const f32 = (data: ArrayLike<number>, shape: readonly number[]): T =>
  tg.tensor(Float32Array.from(data), [...shape]) as T;

/** Runs `fn` (which builds its tensors from host data) on both backends; returns [cpu, webgpu]. */
async function both(fn: () => Tensor): Promise<[number[], number[]]> {
  const cpu = await onBackend('cpu', () => values(fn()));
  const gpu = await onBackend('webgpu', () => tg.scope(async () => values(fn())));
  return [cpu, gpu];
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const shapeArb = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 0, maxLength: 3 });
/** Finite f32 values; subnormals become 0 (GPUs may flush them, WGSL allows it). */
const floatsOf = (n: number, lim = 3) =>
  fc.array(
    fc
      .float({ min: -lim, max: lim, noNaN: true, noDefaultInfinity: true })
      .map((v) => (Math.abs(v) < 1e-30 ? 0 : v)),
    { minLength: n, maxLength: n },
  );
const tensorArb = (lim = 3) => shapeArb.chain((s) => fc.tuple(fc.constant(s), floatsOf(size(s), lim)));
const pairArb = shapeArb.chain((s) => fc.tuple(fc.constant(s), floatsOf(size(s)), floatsOf(size(s))));

const UNARY: Record<string, (x: T) => Tensor> = {
  neg: tg.neg,
  abs: tg.abs,
  exp: tg.exp,
  log: (x) => tg.log(tg.add(tg.abs(x), 0.125)),
  sqrt: (x) => tg.sqrt(tg.abs(x)),
  sin: tg.sin,
  cos: tg.cos,
  tanh: tg.tanh,
  sigmoid: tg.sigmoid,
  softplus: tg.softplus,
  gelu: tg.gelu,
  relu: tg.relu,
};
const BINARY: Record<string, (x: T, y: T) => Tensor> = {
  add: tg.add,
  sub: tg.sub,
  mul: tg.mul,
  div: (x, y) => tg.div(x, tg.add(tg.abs(y), 0.5)),
  pow: (x, y) => tg.pow(tg.add(tg.abs(x), 0.25), y),
  maximum: tg.maximum,
  minimum: tg.minimum,
  less: (x, y) => tg.cast(tg.less(x, y), 'f32'),
  where: (x, y) => tg.where(tg.greater(x, y), x, tg.mul(y, 2)),
  castI32: (x, y) => tg.cast(tg.cast(tg.mul(tg.add(x, y), 10), 'i32'), 'f32'),
};

describe.skipIf(!available)('CPU and WebGPU agree on random inputs', () => {
  it('elementwise unary (rtol 1e-5)', async () => {
    await fc.assert(
      fc.asyncProperty(tensorArb(), fc.constantFrom(...Object.keys(UNARY)), async ([s, d], op) => {
        const [c, g] = await both(() => UNARY[op]!(f32(d, s)));
        expectClose(g, c, 1e-5, 1e-6, op);
      }),
      RUNS,
    );
  });

  it('elementwise binary, compare, select, cast (rtol 1e-5)', async () => {
    await fc.assert(
      fc.asyncProperty(pairArb, fc.constantFrom(...Object.keys(BINARY)), async ([s, a, b], op) => {
        const [c, g] = await both(() => BINARY[op]!(f32(a, s), f32(b, s)));
        expectClose(g, c, 1e-5, 1e-6, op);
      }),
      RUNS,
    );
  });

  it('broadcasting binary ops (rtol 1e-5)', async () => {
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.boolean())
      .chain(([m, n, rowFirst]) =>
        fc.tuple(fc.constant([m, n]), fc.constant(rowFirst), floatsOf(m * n), floatsOf(rowFirst ? n : m)),
      );
    await fc.assert(
      fc.asyncProperty(arb, async ([[m, n], rowFirst, a, b]) => {
        const [c, g] = await both(() => {
          const x = f32(a, [m!, n!]);
          const v = rowFirst ? f32(b, [n!]) : f32(b, [m!, 1]);
          return tg.mul(tg.sub(x, v), tg.add(v, 1));
        });
        expectClose(g, c, 1e-5, 1e-6);
      }),
      RUNS,
    );
  });

  it('reductions over random axes (rtol 1e-5, atol 1e-6·Σ|x|)', async () => {
    const arb = tensorArb().chain(([s, d]) =>
      fc.tuple(
        fc.constant(s),
        fc.constant(d),
        fc.integer({ min: 0, max: Math.max(0, s.length - 1) }),
        fc.constantFrom('sum', 'max', 'mean', 'logsumexp', 'argmax'),
      ),
    );
    await fc.assert(
      fc.asyncProperty(arb, async ([s, d, axis, op]) => {
        const opts = s.length === 0 ? {} : { axis };
        const fn = () => {
          const x = f32(d, s);
          if (op === 'sum') return tg.sum(x, opts);
          if (op === 'max') return tg.max(x, opts);
          if (op === 'mean') return tg.mean(x, opts);
          if (op === 'argmax') return tg.cast(tg.argmax(x, opts), 'f32');
          return tg.logsumexp(x, opts);
        };
        const [c, g] = await both(fn);
        const mass = d.reduce((a, v) => a + Math.abs(v), 0);
        expectClose(g, c, 1e-5, 1e-6 * Math.max(1, mass), op);
      }),
      RUNS,
    );
  });

  it('movement: transpose, slice, pad, concat (exact)', async () => {
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }))
      .chain(([a, b, c]) => fc.tuple(fc.constant([a, b, c]), floatsOf(a * b * c), fc.nat(5)));
    await fc.assert(
      fc.asyncProperty(arb, async ([s, d, r]) => {
        const [c, g] = await both(() => {
          const x = f32(d, s);
          const t = tg.transpose(x, { perm: [2, 0, 1] });
          const sl = tg.slice(t, [null, [0, s[0]!, 2], [r % s[1]!]]);
          const p = tg.pad(sl, [
            [1, 0],
            [0, 2],
            [r % 2, 1],
          ]);
          return tg.concat([tg.reshape(p, [p.size]), tg.reshape(x, [x.size])], { axis: 0 });
        });
        expect(g).toEqual(c);
      }),
      RUNS,
    );
  });

  it('matmul and batched matmul (rtol 1e-4, atol 1e-5·K)', async () => {
    const arb = fc
      .tuple(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
      )
      .chain(([b, m, k, n]) =>
        fc.tuple(fc.constant([b, m, k, n]), floatsOf(b * m * k, 1), floatsOf(b * k * n, 1)),
      );
    await fc.assert(
      fc.asyncProperty(arb, async ([[b, m, k, n], x, y]) => {
        const [c, g] = await both(() => tg.matmul(f32(x, [b!, m!, k!]), f32(y, [b!, k!, n!])));
        expectClose(g, c, 1e-4, 1e-5 * k!);
      }),
      RUNS,
    );
  });

  it('conv2d and convTranspose2d (rtol 1e-4, atol 1e-5·K)', async () => {
    const arb = fc
      .record({
        n: fc.integer({ min: 1, max: 2 }),
        c: fc.integer({ min: 1, max: 3 }),
        o: fc.integer({ min: 1, max: 4 }),
        h: fc.integer({ min: 3, max: 9 }),
        w: fc.integer({ min: 3, max: 9 }),
        k: fc.integer({ min: 1, max: 3 }),
        stride: fc.integer({ min: 1, max: 2 }),
        padding: fc.integer({ min: 0, max: 1 }),
      })
      .chain((cfg) =>
        fc.tuple(
          fc.constant(cfg),
          floatsOf(cfg.n * cfg.c * cfg.h * cfg.w, 1),
          floatsOf(cfg.o * cfg.c * cfg.k * cfg.k, 1),
          floatsOf(cfg.n * cfg.o * cfg.h * cfg.w, 1),
        ),
      );
    await fc.assert(
      fc.asyncProperty(arb, async ([{ n, c, o, h, w, k, stride, padding }, x, wt, xt]) => {
        const K = c * k * k;
        const [yc, yg] = await both(() =>
          tg.conv2d(f32(x, [n, c, h, w]), f32(wt, [o, c, k, k]), { stride, padding }),
        );
        expectClose(yg, yc, 1e-4, 1e-5 * K, 'conv2d');
        // convTranspose2d with the weight read as [C_in = o, C_out = c, k, k]
        const [tc, tg2] = await both(() =>
          tg.convTranspose2d(f32(xt, [n, o, h, w]), f32(wt, [o, c, k, k]), { stride }),
        );
        expectClose(tg2, tc, 1e-4, 1e-5 * o * k * k, 'convTranspose2d');
      }),
      { numRuns: 8 },
    );
  });

  it('pooling and gathers (exact for max, rtol 1e-5 for average)', async () => {
    const arb = fc
      .tuple(
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
      )
      .chain(([h, w, win, stride]) => fc.tuple(fc.constant([h, w, win, stride]), floatsOf(2 * h * w)));
    await fc.assert(
      fc.asyncProperty(arb, async ([[h, w, win, stride], d]) => {
        if (win > h || win > w) return;
        const x = () => f32(d, [1, 2, h!, w!]);
        const [mc, mg] = await both(() => tg.maxPool2d(x(), { window: win!, stride: stride! }));
        expect(mg).toEqual(mc);
        const [ac, ag] = await both(() => tg.avgPool2d(x(), { window: win!, stride: stride! }));
        expectClose(ag, ac, 1e-5, 1e-6);
        const idx = Array.from({ length: 5 }, (_, i) => (i * 7 + h!) % (h! * w!));
        const [gc, gg] = await both(() =>
          tg.take(x(), tg.tensor(Int32Array.from(idx), [5]) as Tensor<number[], 'i32'>),
        );
        expect(gg).toEqual(gc);
      }),
      RUNS,
    );
  });

  it('random bits are identical', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 300 }),
        async (seed, n) => {
          const [c, g] = await both(() => tg.random.uniform(tg.random.key(seed), [n]));
          expect(g).toEqual(c);
        },
      ),
      RUNS,
    );
  });

  it('gradients of a small MLP loss (rtol 1e-4)', async () => {
    const arb = fc.tuple(
      floatsOf(4 * 6, 1),
      floatsOf(6 * 3, 1),
      floatsOf(5 * 4, 2),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 5, maxLength: 5 }),
    );
    await fc.assert(
      fc.asyncProperty(arb, async ([w1, w2, xd, labels]) => {
        const run = (which: 0 | 1) => () => {
          const x = f32(xd, [5, 4]);
          const y = tg.oneHot(tg.tensor(Int32Array.from(labels), [5]) as Tensor<number[], 'i32'>, 3) as T;
          const loss = (p: { w1: T; w2: T }) => {
            const h = tg.tanh(tg.matmul(x, p.w1));
            const logits = tg.matmul(h, p.w2);
            return tg.mean(tg.neg(tg.sum(tg.mul(tg.logSoftmax(logits), y), { axis: 1 })));
          };
          const g = tg.grad(loss)({ w1: f32(w1, [4, 6]), w2: f32(w2, [6, 3]) }) as { w1: T; w2: T };
          return which === 0 ? g.w1 : g.w2;
        };
        for (const which of [0, 1] as const) {
          const [c, g] = await both(run(which));
          expectClose(g, c, 1e-4, 1e-5, `grad w${which + 1}`);
        }
      }),
      { numRuns: 6 },
    );
  });
});
