/**
 * jit(f) equals f (every primitive, and composed with grad and vmap in any order); scan
 * equals the unrolled loop in values and in gradients (forward and reverse scans, pytree
 * carries, constants closed over), and stays one primitive in the program.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRIM_NAMES } from '../src/core/primitives.ts';
import type { Tensor } from '../src/index.ts';
import {
  add,
  grad,
  jit,
  jvp,
  makeJaxpr,
  matmul,
  mul,
  scan,
  scope,
  sin,
  slice,
  stack,
  sum,
  tanh,
  tensor,
  valueAndGrad,
  vmap,
} from '../src/index.ts';
import { checkGrads } from '../src/testing/index.ts';
import { expectClose, randomValues, values } from './helpers.ts';
import { primCases, withData } from './prim-cases.ts';

const t64 = (shape: number[], seed: number) =>
  tensor(
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
    { dtype: 'f64' },
  ) as Tensor;

describe('jit(f) equals f', () => {
  for (const prim of PRIM_NAMES) {
    it(prim, () => {
      fc.assert(
        fc.property(withData(primCases[prim]), ({ pc, data }) => {
          scope(() => {
            const args = data.map((h) => h.toTensor());
            const jf = jit(pc.fn);
            const eager = pc.fn(...args);
            const first = jf(...args);
            const second = jf(...data.map((h) => h.toTensor()));
            expect(jf.cacheSize).toBe(1);
            for (const out of [first, second]) {
              expect(out.shape).toEqual(eager.shape);
              expect(out.dtype).toBe(eager.dtype);
              expect(values(out)).toEqual(values(eager));
            }
            return 0;
          });
        }),
        { numRuns: 8, seed: 5 },
      );
    });
  }

  it('composes with grad and vmap in any order', () => {
    scope(() => {
      const f = (w: Tensor, x: Tensor) =>
        sum(tanh(matmul(x as Tensor<[number, number]>, w as Tensor<[number, number]>)));
      const w = t64([3, 2], 1);
      const xs = t64([4, 5, 3], 2);
      const x = t64([5, 3], 3);
      const g = grad(f)(w, x);
      expectClose(values(jit(grad(f))(w, x)), values(g), 1e-14);
      expectClose(values(grad(jit(f))(w, x)), values(g), 1e-14);
      const perSlice = [0, 1, 2, 3].map((i) =>
        grad(f)(w, tensor(values(xs).slice(i * 15, (i + 1) * 15), [5, 3], { dtype: 'f64' }) as Tensor),
      );
      const expected = values(stack(perSlice as [Tensor, ...Tensor[]]));
      expectClose(values(vmap(grad(f), { inAxes: [null, 0] })(w, xs) as Tensor), expected, 1e-13);
      expectClose(values(jit(vmap(grad(f), { inAxes: [null, 0] }))(w, xs) as Tensor), expected, 1e-13);
      expectClose(values(vmap(jit(grad(f)), { inAxes: [null, 0] })(w, xs) as Tensor), expected, 1e-13);
      return 0;
    });
  });
});

// ---- scan ----

interface Carry {
  h: Tensor;
  c: Tensor;
}

/** One step of a small recurrent cell over a pytree carry; W is a closed-over constant. */
const step =
  (W: Tensor) =>
  (carry: Carry, x: Tensor): [Carry, { y: Tensor; z: Tensor }] => {
    const h = tanh(add(matmul(carry.h as Tensor<[number]>, W as Tensor<[number, number]>), x) as Tensor);
    const c = add(carry.c, mul(sin(h), x)) as Tensor;
    return [
      { h, c },
      { y: sum(h), z: mul(h, c) as Tensor },
    ];
  };

function unrolled(W: Tensor, init: Carry, xs: Tensor, reverse: boolean): [Carry, { y: Tensor; z: Tensor }] {
  const T = xs.shape[0] as number;
  let carry = init;
  const ys: Tensor[] = [];
  const zs: Tensor[] = [];
  const order = Array.from({ length: T }, (_, i) => (reverse ? T - 1 - i : i));
  const byIndex = new Map<number, [Tensor, Tensor]>();
  for (const i of order) {
    const x = sliceRow(xs, i);
    const [next, out] = step(W)(carry, x);
    carry = next;
    byIndex.set(i, [out.y, out.z]);
  }
  for (let i = 0; i < T; i++) {
    ys.push(byIndex.get(i)![0]);
    zs.push(byIndex.get(i)![1]);
  }
  return [
    carry,
    { y: stack(ys as [Tensor, ...Tensor[]]) as Tensor, z: stack(zs as [Tensor, ...Tensor[]]) as Tensor },
  ];
}

/** Row i of xs (a slice, so gradients flow to xs). */
const sliceRow = (xs: Tensor, i: number): Tensor => slice(xs, [i]) as Tensor;

const loss = (out: [Carry, { y: Tensor; z: Tensor }]) =>
  add(add(sum(out[0].h), sum(mul(out[0].c, out[0].c))), add(sum(out[1].y), sum(sin(out[1].z)))) as Tensor<
    [],
    'f64'
  >;

describe('scan equals the unrolled loop', () => {
  it('in values and gradients (forward and reverse, pytree carry, closed-over constants)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.nat(1000),
        (T, n, reverse, seed) => {
          scope(() => {
            const W = t64([n, n], seed);
            const init = { h: t64([n], seed + 1), c: t64([n], seed + 2) };
            const xs = t64([T, n], seed + 3);
            const viaScan = (W: Tensor, init: Carry, xs: Tensor) => scan(step(W), init, xs, { reverse });
            const [carry, ys] = viaScan(W, init, xs);
            const [carry2, ys2] = unrolled(W, init, xs, reverse);
            expectClose(values(carry.h), values(carry2.h), 1e-13);
            expectClose(values(carry.c), values(carry2.c), 1e-13);
            expectClose(values(ys.y), values(ys2.y), 1e-13);
            expectClose(values(ys.z), values(ys2.z), 1e-13);
            // Reverse-mode gradients w.r.t. the constant, the initial carry and xs.
            const [v1, g1] = valueAndGrad(
              (W: Tensor, init: Carry, xs: Tensor) => loss(viaScan(W, init, xs)),
              {
                argnums: [0, 1, 2],
              },
            )(W, init, xs);
            const [v2, g2] = valueAndGrad(
              (W: Tensor, init: Carry, xs: Tensor) => loss(unrolled(W, init, xs, reverse)),
              {
                argnums: [0, 1, 2],
              },
            )(W, init, xs);
            expectClose(values(v1), values(v2), 1e-13);
            expectClose(values(g1[0]), values(g2[0]), 1e-12);
            expectClose(values(g1[1].h), values(g2[1].h), 1e-12);
            expectClose(values(g1[1].c), values(g2[1].c), 1e-12);
            expectClose(values(g1[2]), values(g2[2]), 1e-12);
            // Forward mode.
            const tW = t64([n, n], seed + 7);
            const [, d1] = jvp((W: Tensor) => loss(viaScan(W, init, xs)), [W], [tW]);
            const [, d2] = jvp((W: Tensor) => loss(unrolled(W, init, xs, reverse)), [W], [tW]);
            expectClose(values(d1), values(d2), 1e-12);
            return 0;
          });
        },
      ),
      { numRuns: 10, seed: 21 },
    );
  });

  it('matches finite differences, second order included', () => {
    scope(() => {
      const W = t64([2, 2], 1);
      const init = { h: t64([2], 2), c: t64([2], 3) };
      const xs = t64([3, 2], 4);
      for (const reverse of [false, true])
        checkGrads(
          (W: Tensor, init: Carry, xs: Tensor) => loss(scan(step(W), init, xs, { reverse })),
          [W, init, xs],
          {
            order: 2,
          },
        );
      return 0;
    });
  });

  it('under jit and vmap equals the eager scan, and stays one primitive', () => {
    scope(() => {
      const W = t64([3, 3], 5);
      const init = { h: t64([3], 6), c: t64([3], 7) };
      const xs = t64([4, 3], 8);
      const f = (W: Tensor, init: Carry, xs: Tensor) => loss(scan(step(W), init, xs));
      expectClose(values(jit(f)(W, init, xs)), values(f(W, init, xs)), 1e-14);
      const gradJit = jit(grad(f));
      expectClose(values(gradJit(W, init, xs)), values(grad(f)(W, init, xs)), 1e-13);
      // vmap over a batch of initial carries.
      const hs = t64([2, 3], 9);
      const batched = vmap((h: Tensor) => f(W, { h, c: init.c }, xs))(hs) as Tensor;
      const rows = [0, 1].map((i) =>
        f(
          W,
          { h: tensor(values(hs).slice(i * 3, i * 3 + 3), [3], { dtype: 'f64' }) as Tensor, c: init.c },
          xs,
        ),
      );
      expectClose(
        values(batched),
        rows.map((r) => values(r)[0]!),
        1e-13,
      );
      // 100 steps compile to one scan, also under grad.
      const long = t64([100, 3], 10);
      const program = makeJaxpr(grad(f))(W, init, long);
      expect(program.match(/\bscan\b/g)?.length ?? 0).toBeLessThanOrEqual(3);
      expect(program.split('\n').length).toBeLessThan(200);
      return 0;
    });
  });

  it('under vmap with batched constants and xs batched along axis 1 (values and gradients)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(1000),
        (B, T, seed) => {
          scope(() => {
            const n = 2;
            const Ws = t64([B, n, n], seed);
            const xsT = t64([T, B, n], seed + 1); // batched along axis 1
            const init = { h: t64([n], seed + 2), c: t64([n], seed + 3) };
            const run = (W: Tensor, xs: Tensor) => loss(scan(step(W), init, xs, { reverse: seed % 2 === 1 }));
            const batched = vmap(run, { inAxes: [0, 1] })(Ws, xsT) as Tensor;
            const grads = vmap(grad(run), { inAxes: [0, 1] })(Ws, xsT) as Tensor;
            const wv = values(Ws);
            const xv = values(xsT);
            for (let b = 0; b < B; b++) {
              const W = tensor(wv.slice(b * n * n, (b + 1) * n * n), [n, n], { dtype: 'f64' }) as Tensor;
              const rows: number[] = [];
              for (let t = 0; t < T; t++) rows.push(...xv.slice((t * B + b) * n, (t * B + b + 1) * n));
              const xs = tensor(rows, [T, n], { dtype: 'f64' }) as Tensor;
              expectClose([values(batched)[b]!], values(run(W, xs)), 1e-12);
              expectClose(values(grads).slice(b * n * n, (b + 1) * n * n), values(grad(run)(W, xs)), 1e-12);
            }
            return 0;
          });
        },
      ),
      { numRuns: 8, seed: 23 },
    );
  });
});
