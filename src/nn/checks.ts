/**
 * Small shape rules of the layers (type and run-time twin with the same text), in the
 * style of src/shapes: a check is `unknown` when it holds and a `ShapeError<"...">` when not.
 */
import type { Mul } from '../shapes/arith.ts';
import type {
  CheckOf,
  Dim,
  DimsAgree,
  DimsDiffer,
  Failure,
  IsTuple,
  Shape,
  ShowShape,
} from '../shapes/dim.ts';
import { ShapeError } from '../shapes/dim.ts';

/** 4 * H for the LSTM gate width; `number` for a named or dynamic H. */
export type FourTimes<H extends Dim> = H extends number ? Mul<4, H> : number;

/** The last dim of S, or `number` when the rank is not known (resolves for generic dims too). */
export type LastDim<S extends Shape> = S extends readonly [...infer _Lead, infer L extends Dim] ? L : number;

/** All but the last dim of S. */
// `unknown` for the last dim, not `Dim`: a generic last dim D is not provably a Dim here, which would defer
export type Leading<S extends Shape> = S extends readonly [...infer Lead extends Dim[], unknown]
  ? Lead
  : number[];

/**
 * The last dim of the input S (called `Noun`, default "last dim") must equal F (called
 * `What`: "features", ...). The leading dims are inferred, not matched against `Dim[]`, so the
 * rule resolves for dims that are type parameters (a function generic in B and T).
 */
export type LastDimCheck<
  Op extends string,
  What extends string,
  S extends Shape,
  F extends Dim,
  Noun extends string = 'last dim',
> =
  IsTuple<S> extends false
    ? unknown
    : S extends readonly [...infer _Lead, infer L extends Dim]
      ? DimsDiffer<`${Op}: input ${Noun} ${L} and ${What} ${F} differ`, L, F>
      : ShapeError<`${Op}: input must have rank at least 1`>;

/**
 * The run-time twin of {@link LastDimCheck}.
 *
 * @example
 * lastDimCheck('nn.dense', 'weight rows', [32, 784], 400, 'features');
 * // ShapeError: nn.dense: input features 784 and weight rows 400 differ
 */
export function lastDimCheck(
  op: string,
  what: string,
  s: readonly number[],
  f: number,
  noun = 'last dim',
): void {
  if (s.length === 0) throw new ShapeError(`${op}: input must have rank at least 1`);
  const l = s[s.length - 1]!;
  if (l !== f) throw new ShapeError(`${op}: input ${noun} ${l} and ${what} ${f} differ`);
}

/** Two dims that must agree (e.g. the batch dims of logits and labels). */
export type DimCheck<Op extends string, What extends string, A extends Dim, B extends Dim> = DimsDiffer<
  `${Op}: ${What} ${A} and ${B} differ`,
  A,
  B
>;

export function dimCheck(op: string, what: string, a: number, b: number): void {
  if (a !== b) throw new ShapeError(`${op}: ${what} ${a} and ${b} differ`);
}

type RankRule<Op extends string, S extends Shape, R extends number> =
  IsTuple<S> extends false
    ? 'ok'
    : S['length'] extends R
      ? 'ok'
      : Failure<`${Op}: input rank ${S['length']} and expected rank ${R} differ`>;

/** The input must have rank R. */
export type RankCheck<Op extends string, S extends Shape, R extends number> = CheckOf<RankRule<Op, S, R>>;

export function rankCheck(op: string, s: readonly number[], r: number): void {
  if (s.length !== r) throw new ShapeError(`${op}: input rank ${s.length} and expected rank ${r} differ`);
}

type SameDims<A extends Shape, B extends Shape> = A extends readonly [
  infer X extends Dim,
  ...infer RA extends Shape,
]
  ? B extends readonly [infer Y extends Dim, ...infer RB extends Shape]
    ? DimsAgree<X, Y> extends true
      ? SameDims<RA, RB>
      : false
    : false
  : true;

type SameShapeRule<Op extends string, What extends string, A extends Shape, B extends Shape> =
  IsTuple<A> extends false
    ? 'ok'
    : IsTuple<B> extends false
      ? 'ok'
      : A['length'] extends B['length']
        ? SameDims<A, B> extends true
          ? 'ok'
          : Failure<`${Op}: ${What} shapes ${ShowShape<A>} and ${ShowShape<B>} differ`>
        : Failure<`${Op}: ${What} shapes ${ShowShape<A>} and ${ShowShape<B>} differ`>;

/** Two shapes that must be equal (no broadcasting), e.g. prediction and target of a loss. */
export type SameShapeCheck<
  Op extends string,
  What extends string,
  A extends Shape,
  B extends Shape,
> = CheckOf<SameShapeRule<Op, What, A, B>>;

export function sameShapeCheck(op: string, what: string, a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length || a.some((d, i) => d !== b[i]))
    throw new ShapeError(`${op}: ${what} shapes [${a.join(', ')}] and [${b.join(', ')}] differ`);
}

/**
 * The channel dim (axis 1) of an `[N, C, ...]` input S must equal F (called `What`:
 * "weight in-channels", "features"). Resolves for generic N and spatial dims.
 */
export type ChannelCheck<Op extends string, What extends string, S extends Shape, F extends Dim> =
  IsTuple<S> extends false
    ? unknown
    : S extends readonly [infer _N, infer C extends Dim, ...infer _Rest]
      ? DimsDiffer<`${Op}: input channels ${C} and ${What} ${F} differ`, C, F>
      : ShapeError<`${Op}: input must have rank at least 2`>;

/**
 * The run-time twin of {@link ChannelCheck}.
 *
 * @example
 * channelCheck('nn.batchNorm', 'features', [8, 3, 32, 32], 16);
 * // ShapeError: nn.batchNorm: input channels 3 and features 16 differ
 */
export function channelCheck(op: string, what: string, s: readonly number[], f: number): void {
  if (s.length < 2) throw new ShapeError(`${op}: input must have rank at least 2`);
  if (s[1] !== f) throw new ShapeError(`${op}: input channels ${s[1]} and ${what} ${f} differ`);
}
