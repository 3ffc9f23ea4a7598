/**
 * Loops besides `scan` (JAX's `fori_loop` and `while_loop`). `foriLoop` with static bounds is a
 * `scan` over the counter, so it is one loop in a jitted program and differentiable;
 * `whileLoop` runs eagerly (it reads the condition each iteration), forward only, as JAX's
 * `while_loop` is not reverse-differentiable either.
 */
import { Tensor } from '../core/tensor.ts';
import { arange } from '../ops/creation.ts';
import { scan } from './scan.ts';

/** The loop counter: an i32 scalar. */
export type LoopIndex = Tensor<[], 'i32'>;

/**
 * `carry = init; for i in [lower, upper): carry = body(i, carry)`; returns the final carry.
 * The bounds are static integers; the loop lowers to `scan`, so `grad`, `jit` and `vmap` go
 * through it and it equals the unrolled loop.
 *
 * @param lower - The first counter value (an integer).
 * @param upper - One past the last (an integer).
 * @param body - `(i, carry) => carry`, `i` an i32 scalar tensor.
 * @param init - The initial carry (a tensor or pytree).
 * @returns The final carry.
 *
 * @example
 * ```ts
 * import { foriLoop, mul, tensor } from 'typegrad';
 * // x · 2^5 without writing the loop out:
 * const y = foriLoop(0, 5, (_i, x) => mul(x, 2), tensor([1, 3]));
 * console.log(y.toArray()); // [32, 96]
 * ```
 */
export function foriLoop<C>(lower: number, upper: number, body: (i: LoopIndex, carry: C) => C, init: C): C {
  if (!Number.isSafeInteger(lower) || !Number.isSafeInteger(upper)) {
    throw new Error(`foriLoop: bounds must be integers, got lower ${lower} and upper ${upper}`);
  }
  if (upper <= lower) return init;
  const counter = arange(lower, upper, { dtype: 'i32' }) as Tensor<[number], 'i32'>;
  // `init as never`: scan's carry guard cannot resolve for a carry type generic here (C).
  const [final] = scan((carry: C, i) => [body(i as LoopIndex, carry), null] as const, init as never, counter);
  return final;
}

/** The options of `whileLoop`. */
export interface WhileLoopOptions {
  /** Stop with an error after this many iterations (a guard against endless loops). Default 1e6. */
  readonly maxIterations?: number;
}

async function truth(v: Tensor | boolean, iteration: number): Promise<boolean> {
  if (typeof v === 'boolean') return v;
  if (!(v instanceof Tensor) || v.size !== 1) {
    throw new Error(
      `whileLoop: cond must return a boolean or a one-element tensor, got ${String(v)} at iteration ${iteration}`,
    );
  }
  if (v._storage === undefined) {
    throw new Error(
      'whileLoop: cond returned a traced tensor; whileLoop runs eagerly (not inside jit, grad or vmap); use foriLoop for a static trip count',
    );
  }
  return Boolean((await v.data())[0]);
}

/**
 * `carry = init; while (cond(carry)) carry = body(carry)`; resolves to the final carry. Runs
 * eagerly on any backend (one read of the condition per iteration); jit `body` for speed. For
 * greedy decoding and iterative algorithms with a data-dependent trip count. Forward only.
 *
 * @param cond - `carry => bool scalar` (a tensor or a boolean).
 * @param body - `carry => carry`.
 * @param init - The initial carry.
 * @param options - `maxIterations` (default 1e6): an error past it.
 * @returns A promise of the final carry.
 *
 * @example
 * ```ts
 * import { div, greaterEqual, tensor, whileLoop } from 'typegrad';
 * // halve until below 1: 10 → 5 → 2.5 → 1.25 → 0.625
 * const x = await whileLoop((x) => greaterEqual(x, 1), (x) => div(x, 2), tensor(10));
 * console.log(x.item()); // 0.625
 * ```
 */
export async function whileLoop<C>(
  cond: (carry: C) => Tensor | boolean,
  body: (carry: C) => C,
  init: C,
  options: WhileLoopOptions = {},
): Promise<C> {
  const { maxIterations = 1e6 } = options;
  let carry = init;
  for (let i = 0; await truth(cond(carry), i); i++) {
    if (i >= maxIterations)
      throw new Error(`whileLoop: still running after maxIterations = ${maxIterations}`);
    carry = body(carry);
  }
  return carry;
}
