/**
 * Reshape: the element counts must match; one -1 is inferred. Identical leading dims of the
 * two shapes cancel first, so `['B', 28, 28]` -> `['B', 784]` checks 784 against 784 without
 * knowing B (the run-time twin cancels the same way, so both report the same counts). When the
 * cancelled dims are all literal, a mismatch names the full counts too: the user wrote
 * `[60000, 785]`, so 47100000 is the number they can recognise, 785 the one that is wrong.
 */
import type { FloorDiv, Mod, Mul, Product } from './arith.ts';
import type {
  CheckOf,
  Dim,
  Failure,
  IsTuple,
  ResultOf,
  Same,
  Shape,
  ShowShape,
  UnknownShape,
} from './dim.ts';
import { type ShapeError, shapeError } from './dim.ts';

type CancelLeading<S extends Shape, T extends Shape, Kept extends Dim[] = []> = S extends readonly [
  infer X,
  ...infer SR extends Shape,
]
  ? T extends readonly [infer Y, ...infer TR extends Shape]
    ? Same<X, Y> extends true
      ? CancelLeading<SR, TR, [...Kept, Y & Dim]>
      : [Kept, S, T]
    : [Kept, S, T]
  : [Kept, S, T];

type CountMinusOnes<T extends Shape, N extends unknown[] = []> = T extends readonly [
  infer H,
  ...infer R extends Shape,
]
  ? CountMinusOnes<R, [H] extends [-1] ? [...N, 0] : N>
  : N['length'];

type WithoutMinusOne<T extends Shape, Acc extends Dim[] = []> = T extends readonly [
  infer H extends Dim,
  ...infer R extends Shape,
]
  ? WithoutMinusOne<R, [H] extends [-1] ? Acc : [...Acc, H]>
  : Acc;

type FillMinusOne<T extends Shape, D extends Dim, Acc extends Dim[] = []> = T extends readonly [
  infer H extends Dim,
  ...infer R extends Shape,
]
  ? FillMinusOne<R, D, [...Acc, [H] extends [-1] ? D : H]>
  : Acc;

/**
 * A full element count in a message: `K × P` as a number when the cancelled dims K are literal
 * (`47040000`), else written out (`N × 784`). Inside a function generic in a dim B nothing can
 * be multiplied (nor can the types tell B from a literal), and the message shows
 * `Times<[B], 784>`, read "B times 784".
 */
export type Times<K extends Dim[], P extends number> =
  Product<K> extends infer N extends number
    ? number extends N
      ? `${JoinTimes<K>} × ${P}`
      : `${Mul<N, P>}`
    : never;
type JoinTimes<K extends Dim[]> = K extends [infer H extends Dim, ...infer R extends Dim[]]
  ? R extends []
    ? `${H}`
    : `${H} × ${JoinTimes<R>}`
  : '';

/**
 * The counts message. After cancelling common leading dims K it names the full counts, then
 * the ones that differ: `47040000 and 47100000 differ (784 and 785 after the common leading dims)`.
 */
type CountsDiffer<Kept extends Dim[], P extends number, Q extends number> = Kept extends []
  ? `reshape: element counts ${P} and ${Q} differ`
  : `reshape: element counts ${Times<Kept, P>} and ${Times<Kept, Q>} differ (${P} and ${Q} after the common leading dims)`;

/** Checks the dims left after cancelling: P elements in, Q named by the target. */
type CheckCounts<Kept extends Dim[], T extends Shape, P extends number, Q extends number> =
  CountMinusOnes<T> extends 0
    ? number extends P | Q
      ? [...Kept, ...T]
      : P extends Q
        ? [...Kept, ...T]
        : Failure<CountsDiffer<Kept, P, Q>>
    : CountMinusOnes<T> extends 1
      ? number extends P | Q
        ? [...Kept, ...FillMinusOne<T, number>]
        : Q extends 0
          ? Failure<`reshape: element counts ${P} and ${Q} leave -1 undetermined`>
          : Mod<P, Q> extends 0
            ? [...Kept, ...FillMinusOne<T, FloorDiv<P, Q>>]
            : Failure<`reshape: element count ${P} is not divisible by ${Q}`>
      : Failure<`reshape: -1 appears ${CountMinusOnes<T>} times`>;

type ReshapeRule<S extends Shape, T extends Shape> =
  IsTuple<T> extends false
    ? UnknownShape
    : IsTuple<S> extends false
      ? [...FillMinusOne<T, number>]
      : CancelLeading<S, T> extends [infer Kept extends Dim[], infer SR extends Shape, infer TR extends Shape]
        ? CheckCounts<Kept, TR, Product<SR>, Product<WithoutMinusOne<TR>>>
        : never;

export type Reshape<S extends Shape, T extends Shape> = ResultOf<ReshapeRule<S, T>>;
/**
 * `unknown` when `reshape` from S to T holds, else `ShapeError<"reshape: ...">`. Counts of two
 * different generic dims (`[B, 784]` to `[T, 784]`) cannot be compared: TypeScript defers every
 * test of a type parameter against anything but itself, so the check stays unresolved and
 * prints as {@link CountsUnproved}, message first. The message is built from the shapes'
 * structure only (no test on a dim), so it resolves where the check cannot.
 */
export type ReshapeCheck<S extends Shape, T extends Shape> = CountsUnproved<
  `reshape: ${ShowShape<S>} cannot be proved to hold as many elements as ${ShowShape<T>}`,
  S,
  T
>;

/**
 * The reshape check with the message it prints while it cannot be decided:
 * ``CountsUnproved<`reshape: [${B}, 784] cannot be proved to hold as many elements as [${T}, 784]`, …>``.
 * M is for that printout only (as `DimsDiffer`'s); a check that resolves is the rule's outcome.
 */
export type CountsUnproved<M extends string, S extends Shape, T extends Shape> =
  ReshapeRule<S, T> extends infer R ? CheckOf<R> : ShapeError<M>;

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** The run-time twin of `CountsDiffer` (run-time dims are all numbers, so always the full counts). */
function countsDiffer(kept: readonly number[], p: number, q: number): string {
  const k = product(kept);
  const after = kept.length === 0 ? '' : ` (${p} and ${q} after the common leading dims)`;
  return `reshape: element counts ${k * p} and ${k * q} differ${after}`;
}

/** The shape of `reshape(x, t)` for `x` of shape `s`, or throws the `ShapeError` that `ReshapeCheck` shows. */
export function reshapeShape(s: readonly number[], t: readonly number[]): number[] {
  let lead = 0;
  while (lead < s.length && lead < t.length && s[lead] === t[lead]) lead++;
  const rest = t.slice(lead);
  const p = product(s.slice(lead));
  const q = product(rest.filter((d) => d !== -1));
  const minusOnes = rest.length - rest.filter((d) => d !== -1).length;
  if (minusOnes === 0) {
    if (p !== q) shapeError(countsDiffer(s.slice(0, lead), p, q));
    return [...t];
  }
  if (minusOnes > 1) shapeError(`reshape: -1 appears ${minusOnes} times`);
  if (q === 0) shapeError(`reshape: element counts ${p} and ${q} leave -1 undetermined`);
  if (p % q !== 0) shapeError(`reshape: element count ${p} is not divisible by ${q}`);
  return t.map((d) => (d === -1 ? p / q : d));
}
