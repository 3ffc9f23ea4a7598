/**
 * Loops besides `scan` (JAX's `fori_loop` and `while_loop`). `foriLoop` with static bounds is a
 * `scan` over the counter, so it is one loop in a jitted program and differentiable;
 * `whileLoop` (while-loop.ts) is a primitive of its own (on WebGPU, jitted programs with it
 * run with `await jit(f).async(…)`); `whileLoopAsync` is the eager loop that awaits its
 * condition, whose carry may also hold plain JS values.
 */
import { Tensor } from '../core/tensor.ts';
import { arange, tensor } from '../ops/creation.ts';
import { add, less } from '../ops/elementwise.ts';
import { scan } from './scan.ts';
import { maxIterationsOf, type WhileLoopOptions, whileLoop } from './while-loop.ts';

/** The loop counter: an i32 scalar. */
export type LoopIndex = Tensor<[], 'i32'>;

/**
 * `carry = init; for i in [lower, upper): carry = body(i, carry)`; returns the final carry.
 * With integer bounds the loop lowers to `scan`, so `grad`, `jit` and `vmap` go through it and
 * it equals the unrolled loop. A bound given as an i32 scalar tensor (known only at run time,
 * e.g. traced inside `jit`) makes it a `whileLoop` over the counter, as JAX's `fori_loop`:
 * it jits, vmaps and has a `jvp`, but no reverse mode.
 *
 * @param lower - The first counter value (an integer, or an i32 scalar tensor).
 * @param upper - One past the last (an integer, or an i32 scalar tensor).
 * @param body - `(i, carry) => carry`, `i` an i32 scalar tensor.
 * @param init - The initial carry (a tensor or pytree).
 * @returns The final carry.
 *
 * @example
 * ```ts
 * import { foriLoop, jit, mul, type Tensor, tensor } from 'typegrad';
 * // x · 2^5 without writing the loop out:
 * const y = foriLoop(0, 5, (_i, x) => mul(x, 2), tensor([1, 3]));
 * console.log(y.toArray()); // [32, 96]
 * // a trip count known only at run time: x · 2^n
 * const pow2 = jit((x: Tensor<[2]>, n: Tensor<[], 'i32'>) => foriLoop(0, n, (_i, c) => mul(c, 2), x));
 * console.log(pow2(tensor([1, 3]), tensor(3, { dtype: 'i32' })).toArray()); // [8, 24]
 * ```
 */
export function foriLoop<C>(
  lower: number | LoopIndex,
  upper: number | LoopIndex,
  body: (i: LoopIndex, carry: C) => C,
  init: C,
): C {
  if (lower instanceof Tensor || upper instanceof Tensor) return dynamicForiLoop(lower, upper, body, init);
  if (!Number.isSafeInteger(lower) || !Number.isSafeInteger(upper)) {
    throw new Error(`foriLoop: bounds must be integers, got lower ${lower} and upper ${upper}`);
  }
  if (upper <= lower) return init;
  const counter = arange(lower, upper, { dtype: 'i32' }) as Tensor<[number], 'i32'>;
  // `init as never`: scan's carry guard cannot resolve for a carry type generic here (C).
  const [final] = scan((carry: C, i) => [body(i as LoopIndex, carry), null] as const, init as never, counter);
  return final;
}

function counterBound(name: string, b: number | Tensor): LoopIndex {
  if (!(b instanceof Tensor)) {
    if (!Number.isSafeInteger(b)) throw new Error(`foriLoop: ${name} must be an integer, got ${String(b)}`);
    return tensor(b, { dtype: 'i32' }) as LoopIndex;
  }
  if (b.dtype !== 'i32' || b.ndim !== 0)
    throw new Error(`foriLoop: a tensor ${name} bound must be an i32 scalar, got ${b.describe()}`);
  return b as LoopIndex;
}

function dynamicForiLoop<C>(
  lower: number | Tensor,
  upper: number | Tensor,
  body: (i: LoopIndex, carry: C) => C,
  init: C,
): C {
  const lo = counterBound('lower', lower);
  const hi = counterBound('upper', upper);
  const [, final] = whileLoop(
    ([i]: readonly [LoopIndex, C]) => less(i, hi),
    ([i, c]) => [add(i, 1) as LoopIndex, body(i, c)] as const,
    [lo, init] as const,
    { maxIterations: Number.MAX_SAFE_INTEGER },
  );
  return final;
}

async function truth(v: Tensor | boolean, iteration: number): Promise<boolean> {
  if (typeof v === 'boolean') return v;
  if (!(v instanceof Tensor) || v.size !== 1) {
    throw new Error(
      `whileLoopAsync: cond must return a boolean or a one-element tensor, got ${String(v)} at iteration ${iteration}`,
    );
  }
  if (v._storage === undefined) {
    throw new Error(
      'whileLoopAsync: cond returned a traced tensor; whileLoopAsync runs eagerly (not inside jit, grad or vmap); use whileLoop there',
    );
  }
  return Boolean((await v.data())[0]);
}

/**
 * `carry = init; while (cond(carry)) carry = body(carry)`, eagerly, awaiting the condition
 * each iteration; resolves to the final carry. Runs on every backend, WebGPU included (whose
 * reads are asynchronous); jit `body` for speed. The carry may hold plain JS values and `cond`
 * may return a boolean. Forward only. Inside a jitted program use `whileLoop` and call the
 * program with `await jit(f).async(…)`: the loop is then one primitive that vmap and jvp see.
 *
 * @param cond - `carry => bool scalar` (a tensor or a boolean).
 * @param body - `carry => carry`.
 * @param init - The initial carry.
 * @param options - `maxIterations` (default 1e6): an error past it.
 * @returns A promise of the final carry.
 *
 * @example
 * ```ts
 * import { div, greaterEqual, tensor, whileLoopAsync } from 'typegrad';
 * // halve until below 1: 10 → 5 → 2.5 → 1.25 → 0.625
 * const x = await whileLoopAsync((x) => greaterEqual(x, 1), (x) => div(x, 2), tensor(10));
 * console.log(x.item()); // 0.625
 * ```
 */
export async function whileLoopAsync<C>(
  cond: (carry: C) => Tensor | boolean,
  body: (carry: C) => C,
  init: C,
  options: WhileLoopOptions = {},
): Promise<C> {
  const maxIterations = maxIterationsOf('whileLoopAsync', options);
  let carry = init;
  for (let i = 0; await truth(cond(carry), i); i++) {
    if (i >= maxIterations)
      throw new Error(`whileLoopAsync: still running after maxIterations = ${maxIterations} iterations`);
    carry = body(carry);
  }
  return carry;
}
