import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../backends/cpu/index.ts';
import type { Tensor } from '../core/tensor.ts';
import {
  add,
  cast,
  div,
  foriLoop,
  grad,
  greaterEqual,
  jit,
  jvp,
  less,
  makeJaxpr,
  memory,
  mul,
  scan,
  sin,
  sum,
  tensor,
  vjp,
  vmap,
  whileLoop,
} from '../index.ts';

type V = Tensor<[3], 'f64'>;
type I = Tensor<[], 'i32'>;
const f64 = (xs: readonly number[]) => tensor(Float64Array.from(xs), [3]) as V;
const i32 = (n: number) => tensor(n, { dtype: 'i32' }) as I;
const values = (t: Tensor) => Array.from(t.dataSync() as ArrayLike<number>);

/** Halve until below 1 (a data-dependent trip count). */
const halve = (x: Tensor<[]>) =>
  whileLoop(
    (c) => greaterEqual(c, 1),
    (c) => div(c, 2),
    x,
  );

/** One step that uses the counter: x ← sin(x) · (1 + i/10) + i (as loops.test.ts). */
const step = (i: Tensor, x: V): V => add(mul(sin(x), add(div(cast(i, 'f64'), 10), 1)), cast(i, 'f64')) as V;

/** The same loop as a whileLoop over [counter, x]. */
const counted = (lower: number, upper: number, x: V): V =>
  whileLoop(
    ([i]: readonly [I, V]) => less(i, upper),
    ([i, c]) => [add(i, 1) as I, step(i, c)] as const,
    [i32(lower), x] as const,
  )[1];

function unrolled(lower: number, upper: number, x: V): V {
  let c = x;
  for (let i = lower; i < upper; i++) c = step(i32(i), c);
  return c;
}

const close = (got: Tensor, want: Tensor, digits = 12) => {
  const w = values(want);
  const g = values(got);
  expect(g.length).toBe(w.length);
  g.forEach((v, k) => {
    expect(v).toBeCloseTo(w[k]!, digits);
  });
};

/** x ← x · a + sin(x) while x < limit: the tangent flows through the carry and the constant a. */
const grow = (x: V, a: Tensor<[], 'f64'>) =>
  whileLoop(
    (c: V) => less(sum(c), 30),
    (c) => add(mul(c, a), sin(c)) as V,
    x,
  );

describe.each(['wasm', 'js'] as const)('whileLoop on the %s CPU kernels', (kernels) => {
  const before = cpuBackend.kernels;
  // Set when this group runs (not when it is collected, which happens for both groups first).
  beforeAll(() => {
    cpuBackend.kernels = kernels;
  });
  afterAll(() => {
    cpuBackend.kernels = before;
  });

  it('runs while the condition holds: known values, pytree carries, zero iterations', () => {
    expect(halve(tensor(10)).item()).toBe(0.625);
    expect(halve(tensor(0.5)).item()).toBe(0.5);
    // Doubling to 1000 from 1: ten steps, to 1024.
    const [steps, n] = whileLoop(
      ([, x]: readonly [I, Tensor<[]>]) => less(x, 1000),
      ([k, x]) => [add(k, 1) as I, mul(x, 2)] as const,
      [i32(0), tensor(1)] as const,
    );
    expect([steps.item(), n.item()]).toEqual([10, 1024]);
    const rec = whileLoop(
      (c: { x: Tensor<[2]>; k: I }) => less(c.k, 3),
      (c) => ({ x: mul(c.x, 2), k: add(c.k, 1) as I }),
      { x: tensor([1, -2]), k: i32(0) },
    );
    expect([rec.x.toArray(), rec.k.item()]).toEqual([[8, -16], 3]);
  });

  it('stays one loop inside jit, with the eager results and flat memory', () => {
    const jitted = jit(halve);
    expect(jitted(tensor(10)).item()).toBe(0.625);
    expect(jitted(tensor(3)).item()).toBe(0.75);
    expect(jitted.cacheSize).toBe(1);
    expect(jitted.lower(tensor(10)).jaxpr.eqns.map((e) => e.prim)).toEqual(['while']);
    expect(makeJaxpr(halve)(tensor(10))).toMatch(/= while .*\n {4}cond = [\s\S]*\n {4}body = /);
    const x = f64([0.3, -0.2, 0.1]);
    const a = tensor(1.5, { dtype: 'f64' }) as Tensor<[], 'f64'>;
    const g = jit(grow);
    close(g(x, a), grow(x, a), 14);
    g(x, a).dispose();
    const live = memory().cpu?.tensors ?? 0;
    for (let k = 0; k < 5; k++) g(x, a).dispose();
    expect(memory().cpu?.tensors ?? 0).toBe(live);
  });

  it('vmap: runs while any lane holds and stops each lane at its own condition', () => {
    expect(vmap(halve)(tensor([10, 3, 0.5, 100])).toArray()).toEqual([0.625, 0.75, 0.5, 0.78125]);
    expect(jit(vmap(halve))(tensor([10, 3, 0.5, 100])).toArray()).toEqual([0.625, 0.75, 0.5, 0.78125]);
    // A batched threshold in cond with an unbatched carry; an unbatched factor in the body.
    const upTo = (limit: Tensor<[]>, x: Tensor<[]>) =>
      whileLoop(
        (c: Tensor<[]>) => less(c, limit),
        (c) => mul(c, 3),
        x,
      );
    expect(vmap(upTo, { inAxes: [0, null] })(tensor([1, 5, 30]), tensor(1)).toArray()).toEqual([1, 9, 81]);
    // Per-lane counters of different trip counts.
    const steps = vmap(
      (n: I) =>
        whileLoop(
          ([k]: readonly [I]) => less(k, n),
          ([k]) => [add(k, 1) as I] as const,
          [i32(0)] as const,
        )[0],
    );
    expect(steps(tensor([0, 4, 2], { dtype: 'i32' }) as Tensor<[3], 'i32'>).toArray()).toEqual([0, 4, 2]);
  });

  it('nests with scan and itself, under vmap and jit', () => {
    // A whileLoop in a scan body, and a scan in a whileLoop body.
    const perStep = (xs: Tensor<[3]>) =>
      scan((c: Tensor<[]>, x: Tensor<[]>) => [add(c, 1), halve(mul(x, c))] as const, tensor(1), xs)[1];
    expect(perStep(tensor([10, 3, 7])).toArray()).toEqual([0.625, 0.75, 0.65625]);
    expect(jit(perStep)(tensor([10, 3, 7])).toArray()).toEqual([0.625, 0.75, 0.65625]);
    const doubled = whileLoop(
      (c: Tensor<[3]>) => less(sum(c), 100),
      (c) => scan((a: Tensor<[3]>, _x: Tensor<[]>) => [mul(a, 2), null] as const, c, tensor([0, 0]))[0],
      tensor([1, 2, 3]),
    );
    expect(doubled.toArray()).toEqual([64, 128, 192]);
    // 10 → 10.625 → … (+ c/2^k + 5 each step) until 50, twice nested; 60 is done at once.
    const nested = (x: Tensor<[]>) =>
      whileLoop(
        (c: Tensor<[]>) => less(c, 50),
        (c) => add(halve(c), add(c, 5)),
        x,
      );
    const one = nested(tensor(10)).item();
    expect(one).toBeGreaterThanOrEqual(50);
    expect(vmap(nested)(tensor([10, 60])).toArray()).toEqual([one, 60]);
    expect(jit(vmap(nested))(tensor([10, 60])).toArray()).toEqual([one, 60]);
  });

  it('jvp agrees with central finite differences, through the carry and a body constant', () => {
    const x = f64([0.3, -0.2, 0.1]);
    const a = tensor(1.5, { dtype: 'f64' }) as Tensor<[], 'f64'>;
    const dx = f64([0.7, -0.1, 0.4]);
    const da = tensor(0.3, { dtype: 'f64' }) as Tensor<[], 'f64'>;
    const [y, dy] = jvp(grow, [x, a], [dx, da]);
    close(y, grow(x, a), 14);
    const eps = 1e-6;
    const at = (s: number) =>
      grow(add(x, mul(dx, s)) as V, add(a, mul(da, s)) as Tensor<[], 'f64'>).dataSync() as Float64Array;
    const plus = at(eps);
    const minus = at(-eps);
    const fd = Array.from(plus, (p, k) => (p - minus[k]!) / (2 * eps));
    values(dy).forEach((v, k) => {
      expect(v).toBeCloseTo(fd[k]!, 5);
    });
    // jit of the jvp: the same loop with the tangents in its carry.
    close(
      jit((u: V, du: V) => jvp((v: V) => grow(v, a), [u], [du])[1])(x, dx),
      jvp((v: V) => grow(v, a), [x], [dx])[1],
      14,
    );
  });

  it('reverse mode is an error naming whileLoop; a gradient only through cond is zero', () => {
    const message =
      /^whileLoop: reverse-mode differentiation \(grad, vjp\) is not defined for whileLoop.*use foriLoop with static bounds or scan/;
    expect(() => grad((x: Tensor<[]>) => halve(x))(tensor(10))).toThrow(message);
    expect(() =>
      vjp((x: V) => grow(x, tensor(1.5, { dtype: 'f64' }) as Tensor<[], 'f64'>), f64([0.3, 0, 0])),
    ).toThrow(message);
    expect(() => jit(grad((x: Tensor<[]>) => halve(x)))(tensor(10))).toThrow(message);
    // The limit decides only the trip count: the loop's output is piecewise constant in it.
    const g = grad((limit: Tensor<[]>) =>
      whileLoop(
        (c: Tensor<[]>) => less(c, limit),
        (c) => mul(c, 3),
        tensor(1),
      ),
    )(tensor(5));
    expect(g.item()).toBe(0);
  });

  it('property: a counted whileLoop equals foriLoop and the unrolled loop (values and jvp)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: -2, max: 2 }),
        fc.integer({ min: 0, max: 4 }),
        (xs, lower, trips) => {
          const upper = lower + trips;
          const x = f64(xs);
          close(counted(lower, upper, x), unrolled(lower, upper, x));
          close(counted(lower, upper, x), foriLoop(lower, upper, step, x));
          close(foriLoop(i32(lower), i32(upper), step, x), unrolled(lower, upper, x));
          const dx = f64([1, 0.5, -1]);
          close(
            jvp((v: V) => counted(lower, upper, v), [x], [dx])[1],
            jvp((v: V) => unrolled(lower, upper, v), [x], [dx])[1],
          );
        },
      ),
      { numRuns: 12 },
    );
  });

  it('rejects bad conditions, carries that change, endless loops and bad options', () => {
    expect(() =>
      whileLoop(
        (c: Tensor<[]>) => c,
        (c) => c,
        tensor(1),
      ),
    ).toThrow('whileLoop: cond must return a bool scalar tensor, got f32[]');
    expect(() =>
      whileLoop(
        (c: Tensor<[2]>) => less(c, 1),
        (c) => c,
        tensor([1, 2]),
      ),
    ).toThrow('whileLoop: cond must return a bool scalar tensor, got bool[2]');
    expect(() =>
      whileLoop(
        (c: Tensor) => less(sum(c), 1),
        (c) => cast(c, 'i32') as never,
        tensor([1, 2]),
      ),
    ).toThrow("whileLoop: body must keep the carry's structure, shapes and dtypes: got i32[2] for f32[2]");
    expect(() =>
      whileLoop(
        (c: Tensor<[]>) => less(c, 1e9),
        (c) => add(c, 1),
        tensor(0),
        { maxIterations: 3 },
      ),
    ).toThrow('whileLoop: still running after maxIterations = 3 iterations');
    expect(() =>
      whileLoop(
        (c: Tensor<[]>) => less(c, 1),
        (c) => c,
        tensor(0),
        { maxIterations: -1 },
      ),
    ).toThrow('whileLoop: maxIterations must be a non-negative integer, got -1');
    expect(() =>
      whileLoop(
        (c: Tensor<[]>) => less(c, 1),
        (c) => c,
        tensor(0),
        { maxIter: 3 } as never,
      ),
    ).toThrow("whileLoop: unknown option 'maxIter'");
    expect(() => foriLoop(0, tensor(2) as never, (_i, c: Tensor) => c, tensor(0))).toThrow(
      'foriLoop: a tensor upper bound must be an i32 scalar, got f32[]',
    );
  });
});
