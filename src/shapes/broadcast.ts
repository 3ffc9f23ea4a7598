/** Broadcasting (numpy rules): align from the right; a 1 stretches; a named dim only meets itself or 1. */

import type { Gt } from './arith.ts';
import type {
  CheckOf,
  Dim,
  Failure,
  IsDynamic,
  IsTuple,
  ResultOf,
  Same,
  Shape,
  ShapeError,
  UnknownShape,
} from './dim.ts';
import { shapeError } from './dim.ts';

/**
 * One aligned pair of dims: `[dim]` when they broadcast (a 1-tuple, so a generic dim can be
 * matched without deferring), else a Failure. `What` names them in the message.
 */
type BroadcastDim<Op extends string, What extends string, X extends Dim, Y extends Dim> =
  Same<X, Y> extends true
    ? [X]
    : [X] extends [1]
      ? [Y]
      : [Y] extends [1]
        ? [X]
        : IsDynamic<X> extends true
          ? [Y]
          : IsDynamic<Y> extends true
            ? [X]
            : Failure<`${Op}: ${What} ${X} and ${Y} do not broadcast`>;

/** The broadcast shape of A and B, or a Failure; shared with matmul's batch dims. */
export type BroadcastRule<Op extends string, What extends string, A extends Shape, B extends Shape> =
  IsTuple<A> extends true
    ? IsTuple<B> extends true
      ? BroadcastTuples<Op, What, A, B>
      : UnknownShape
    : UnknownShape;

type BroadcastTuples<
  Op extends string,
  What extends string,
  A extends Shape,
  B extends Shape,
  Acc extends Dim[] = [],
> = A extends readonly [...infer AR extends Shape, infer X extends Dim]
  ? B extends readonly [...infer BR extends Shape, infer Y extends Dim]
    ? BroadcastDim<Op, What, X, Y> extends [infer D extends Dim]
      ? BroadcastTuples<Op, What, AR, BR, [D, ...Acc]>
      : BroadcastDim<Op, What, X, Y>
    : [...A, ...Acc]
  : [...B, ...Acc];

export type Broadcast<A extends Shape, B extends Shape> = ResultOf<BroadcastRule<'broadcast', 'dims', A, B>>;
/**
 * `unknown` when A and B broadcast, else `ShapeError<"add: dims 3 and 4 do not broadcast">`
 * for the rightmost pair that does not. Each pair is checked on its own (not by walking the
 * result), so a pair of different generic dims (B against T) that TypeScript cannot decide
 * stays visible as `DimsDoNotBroadcast<\`add: dims ${B} and ${T} do not broadcast\`, B, T>`.
 */
export type BroadcastCheck<Op extends string, A extends Shape, B extends Shape> =
  IsTuple<A> extends true ? (IsTuple<B> extends true ? PairChecks<Op, 'dims', A, B> : unknown) : unknown;

type PairChecks<
  Op extends string,
  What extends string,
  A extends Shape,
  B extends Shape,
  Acc = unknown,
> = A extends readonly [...infer AR extends Shape, infer X extends Dim]
  ? B extends readonly [...infer BR extends Shape, infer Y extends Dim]
    ? PairChecks<
        Op,
        What,
        AR,
        BR,
        // keep the first failure (from the right); `unknown extends Acc`: none yet
        unknown extends Acc ? DimsDoNotBroadcast<`${Op}: ${What} ${X} and ${Y} do not broadcast`, X, Y> : Acc
      >
    : Acc
  : Acc;

/** The check of one aligned pair: `unknown`, or `ShapeError<M>`; printed message first when undecided. */
export type DimsDoNotBroadcast<M extends string, X extends Dim, Y extends Dim> =
  BroadcastDim<'', '', X, Y> extends [unknown] ? unknown : ShapeError<M>;

/** Run-time twin of `BroadcastRule`. */
export function broadcastRule(
  op: string,
  what: string,
  a: readonly number[],
  b: readonly number[],
): number[] {
  const out: number[] = [];
  for (let i = 1; i <= Math.max(a.length, b.length); i++) {
    const x = a[a.length - i];
    const y = b[b.length - i];
    if (x === undefined || y === undefined) out.unshift((x ?? y)!);
    else if (x === y || y === 1) out.unshift(x);
    else if (x === 1) out.unshift(y);
    else shapeError(`${op}: ${what} ${x} and ${y} do not broadcast`);
  }
  return out;
}

/** The broadcast shape of `a` and `b`, or throws the `ShapeError` that `BroadcastCheck` shows. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  return broadcastRule(op, 'dims', a, b);
}

/**
 * broadcastTo: `S` stretches to exactly the target `T` (aligned from the right; a 1 stretches;
 * the target may add leading dims but never drop any).
 */
type BroadcastToDims<S extends Shape, T extends Shape> = S extends readonly [
  ...infer SR extends Shape,
  infer X extends Dim,
]
  ? T extends readonly [...infer TR extends Shape, infer Y extends Dim]
    ? Same<X, Y> extends true
      ? BroadcastToDims<SR, TR>
      : [X] extends [1]
        ? BroadcastToDims<SR, TR>
        : IsDynamic<X> extends true
          ? BroadcastToDims<SR, TR>
          : IsDynamic<Y> extends true
            ? BroadcastToDims<SR, TR>
            : Failure<`broadcastTo: dim ${X} cannot stretch to ${Y}`>
    : never
  : 'ok';

type BroadcastToRule<S extends Shape, T extends Shape> =
  IsTuple<S> extends true
    ? IsTuple<T> extends true
      ? Gt<S['length'], T['length']> extends true
        ? Failure<`broadcastTo: rank ${S['length']} exceeds target rank ${T['length']}`>
        : BroadcastToDims<S, T> extends 'ok'
          ? [...T]
          : BroadcastToDims<S, T>
      : UnknownShape
    : UnknownShape;

export type BroadcastTo<S extends Shape, T extends Shape> = ResultOf<BroadcastToRule<S, T>>;
export type BroadcastToCheck<S extends Shape, T extends Shape> =
  BroadcastToRule<S, T> extends infer R ? CheckOf<R> : never;

/** The shape of `broadcastTo(x, t)` for x of shape `s` (that is, `t`), or throws what `BroadcastToCheck` shows. */
export function broadcastToShape(s: readonly number[], t: readonly number[]): number[] {
  if (s.length > t.length) shapeError(`broadcastTo: rank ${s.length} exceeds target rank ${t.length}`);
  for (let i = 1; i <= s.length; i++) {
    const x = s[s.length - i]!;
    const y = t[t.length - i]!;
    if (x !== y && x !== 1) shapeError(`broadcastTo: dim ${x} cannot stretch to ${y}`);
  }
  return [...t];
}
