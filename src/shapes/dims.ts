/**
 * Literal arithmetic on layer sizes: `dims.mul(64, 3, 3)` is `576` at run time and the literal
 * type `576`, so `dense.init(key, { in: dims.mul(64, 3, 3), out: 10 })` keeps the static shape
 * check that `in: 64 * 3 * 3` (typed `number`) turns off.
 */
import type { Add, FloorDiv, Mul, Sub } from './arith.ts';

type MulAll<Ns extends readonly number[], Acc extends number = 1> = Ns extends readonly [
  infer H extends number,
  ...infer R extends readonly number[],
]
  ? MulAll<R, Mul<Acc, H>>
  : Acc;
type AddAll<Ns extends readonly number[], Acc extends number = 0> = Ns extends readonly [
  infer H extends number,
  ...infer R extends readonly number[],
]
  ? AddAll<R, Add<Acc, H>>
  : Acc;

function checkInts(op: string, ns: readonly number[]): void {
  for (const [i, n] of ns.entries()) {
    if (!Number.isSafeInteger(n)) throw new Error(`dims.${op}: argument ${i} must be an integer, got ${n}`);
  }
}

/**
 * The product of integer sizes, typed as the literal product (`dims.mul(64, 3, 3)` is typed
 * `576`, where `64 * 3 * 3` is typed `number`).
 *
 * @param ns - Integer sizes.
 * @returns Their product.
 *
 * @example
 * ```ts
 * import { dims } from 'typegrad';
 * const flat: 576 = dims.mul(64, 3, 3);
 * console.log(flat); // 576
 * ```
 */
export function mul<const Ns extends readonly number[]>(...ns: Ns): MulAll<Ns> {
  checkInts('mul', ns);
  return ns.reduce((a, b) => a * b, 1) as MulAll<Ns>;
}

/**
 * The sum of integer sizes, typed as the literal sum.
 *
 * @param ns - Integer sizes.
 * @returns Their sum.
 *
 * @example
 * ```ts
 * import { dims } from 'typegrad';
 * const both: 256 = dims.add(128, 128);
 * console.log(both); // 256
 * ```
 */
export function add<const Ns extends readonly number[]>(...ns: Ns): AddAll<Ns> {
  checkInts('add', ns);
  return ns.reduce((a, b) => a + b, 0) as AddAll<Ns>;
}

/**
 * `a - b`, typed as the literal difference.
 *
 * @param a - An integer size.
 * @param b - The integer subtracted.
 * @returns `a - b`.
 *
 * @example
 * ```ts
 * import { dims } from 'typegrad';
 * const inner: 24 = dims.sub(28, 4);
 * console.log(inner); // 24
 * ```
 */
export function sub<const A extends number, const B extends number>(a: A, b: B): Sub<A, B> {
  checkInts('sub', [a, b]);
  return (a - b) as Sub<A, B>;
}

/**
 * `floor(a / b)` (Python's `//`), typed as the literal quotient.
 *
 * @param a - An integer size.
 * @param b - The integer divisor.
 * @returns `floor(a / b)`.
 *
 * @example
 * ```ts
 * import { dims } from 'typegrad';
 * const pooled: 14 = dims.floorDiv(29, 2);
 * console.log(pooled); // 14
 * ```
 */
export function floorDiv<const A extends number, const B extends number>(a: A, b: B): FloorDiv<A, B> {
  checkInts('floorDiv', [a, b]);
  if (b === 0) throw new Error('dims.floorDiv: division by 0');
  return Math.floor(a / b) as FloorDiv<A, B>;
}
