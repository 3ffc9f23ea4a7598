/**
 * concat joins along an existing axis (dims elsewhere must agree; the axis dims add up);
 * stack joins along a new axis (all shapes must agree).
 */
import type { Add } from './arith.ts';
import type { AxisError, NormalizeAxis } from './axis.ts';
import { normalizeAxis } from './axis.ts';
import type {
  CheckOf,
  Dim,
  DimsAgree,
  DimsDiffer,
  Failure,
  IsTuple,
  MergeDims,
  NumericDim,
  ResultOf,
  Shape,
  ShowShape,
  UnknownShape,
} from './dim.ts';
import { shapeError, showShape } from './dim.ts';
import type { InsertAt } from './tuple.ts';

/** Joins S into the running shape J dim by dim: the axis dims add, the others must agree. */
type JoinShape<
  Op extends string,
  J extends Shape,
  S extends Shape,
  Axis extends number,
  I extends unknown[] = [],
  Acc extends Dim[] = [],
> = J extends readonly [infer X extends Dim, ...infer JR extends Shape]
  ? S extends readonly [infer Y extends Dim, ...infer SR extends Shape]
    ? I['length'] extends Axis
      ? JoinShape<Op, JR, SR, Axis, [...I, 0], [...Acc, Add<NumericDim<X>, NumericDim<Y>>]>
      : DimsAgree<X, Y> extends true
        ? JoinShape<Op, JR, SR, Axis, [...I, 0], [...Acc, MergeDims<X, Y>]>
        : Failure<`${Op}: dims ${X} and ${Y} at axis ${I['length']} differ`>
    : never
  : Acc;

type ConcatAll<
  Op extends string,
  J extends Shape,
  Rest extends readonly Shape[],
  Axis extends number,
> = Rest extends readonly [infer S extends Shape, ...infer R extends readonly Shape[]]
  ? IsTuple<S> extends false
    ? UnknownShape
    : S['length'] extends J['length']
      ? JoinShape<Op, J, S, Axis> extends infer N extends Dim[]
        ? ConcatAll<Op, N, R, Axis>
        : JoinShape<Op, J, S, Axis>
      : Failure<`${Op}: ranks ${J['length']} and ${S['length']} differ`>
  : J;

type ConcatRule<
  Op extends string,
  Shapes extends readonly Shape[],
  Axis extends number,
> = Shapes extends readonly [infer First extends Shape, ...infer Rest extends readonly Shape[]]
  ? IsTuple<First> extends false
    ? UnknownShape
    : NormalizeAxis<Op, Axis, First['length']> extends infer A extends number
      ? number extends A
        ? UnknownShape
        : ConcatAll<Op, First, Rest, A>
      : AxisError<Op, Axis, First['length']>
  : Shapes extends readonly []
    ? Failure<`${Op}: no tensors to join`>
    : UnknownShape;

export type Concat<Shapes extends readonly Shape[], Axis extends number = 0> = ResultOf<
  ConcatRule<'concat', Shapes, Axis>
>;
export type ConcatCheck<Op extends string, Shapes extends readonly Shape[], Axis extends number = 0> =
  ConcatRule<Op, Shapes, Axis> extends infer R ? CheckOf<R> : never;

/**
 * S's dims against the first shape's, pair by pair (all but the joined axis `Skip`; -1 for
 * stack), as one intersection of `DimsDiffer` checks: `unknown` when every pair agrees, the
 * message when one literal pair differs (with several, the pairs' errors cancel and the whole
 * rule reports the first), and, for two different generic dims, which TypeScript cannot
 * decide, the unresolved check message first: `DimsDiffer<\`concat: dims ${B} and ${T} at
 * axis 0 differ\`, B, T>`.
 */
type PairChecks<
  Op extends string,
  First extends Shape,
  Other extends Shape,
  J extends Shape,
  S extends Shape,
  Skip extends number,
  I extends unknown[] = [],
  Acc = unknown,
> = J extends readonly [infer X extends Dim, ...infer JR extends Shape]
  ? S extends readonly [infer Y extends Dim, ...infer SR extends Shape]
    ? PairChecks<
        Op,
        First,
        Other,
        JR,
        SR,
        Skip,
        [...I, 0],
        I['length'] extends Skip
          ? Acc
          : Acc &
              DimsDiffer<
                Op extends 'stack'
                  ? `stack: shapes ${ShowShape<First>} and ${ShowShape<Other>} differ`
                  : `${Op}: dims ${X} and ${Y} at axis ${I['length']} differ`,
                X,
                Y
              >
      >
    : Acc
  : Acc;

/** PairChecks of every later shape of the list against the first (of equal, known ranks only). */
type EachAgainstFirst<
  Op extends string,
  First extends Shape,
  Rest extends readonly Shape[],
  Skip extends number,
  Acc = unknown,
> = Rest extends readonly [infer S extends Shape, ...infer R extends readonly Shape[]]
  ? IsTuple<S> extends false
    ? Acc
    : S['length'] extends First['length']
      ? EachAgainstFirst<Op, First, R, Skip, Acc & PairChecks<Op, First, S, First, S, Skip>>
      : Acc
  : Acc;

/**
 * The dims `concat` (`Op`: 'concat') or `stack` (`Op`: 'stack') needs to agree, on their own:
 * both guard with this first, then with the whole rule, so two different generic dims print
 * message first (as matmul's inner dims do). `unknown` where the rule has another complaint
 * (ranks, axis).
 */
export type JoinDimsCheck<
  Op extends 'concat' | 'stack',
  Shapes extends readonly Shape[],
  Axis extends number = 0,
> = Shapes extends readonly [infer First extends Shape, ...infer Rest extends readonly Shape[]]
  ? IsTuple<First> extends false
    ? unknown
    : Op extends 'stack'
      ? EachAgainstFirst<Op, First, Rest, -1>
      : NormalizeAxis<Op, Axis, First['length']> extends infer A extends number
        ? number extends A
          ? unknown
          : EachAgainstFirst<Op, First, Rest, A>
        : unknown
  : unknown;

/** The shape of concatenating `shapes` along `axis`, or throws the `ShapeError` that `ConcatCheck` shows. */
export function concatShape(op: string, shapes: readonly (readonly number[])[], axis = 0): number[] {
  const [first, ...rest] = shapes;
  if (first === undefined) shapeError(`${op}: no tensors to join`);
  const a = normalizeAxis(op, axis, first.length);
  const out = [...first];
  for (const s of rest) {
    if (s.length !== out.length) shapeError(`${op}: ranks ${out.length} and ${s.length} differ`);
    s.forEach((y, i) => {
      if (i === a) out[i] = out[i]! + y;
      else if (out[i] !== y) shapeError(`${op}: dims ${out[i]} and ${y} at axis ${i} differ`);
    });
  }
  return out;
}

type SameShapes<J extends Shape, Rest extends readonly Shape[]> = Rest extends readonly [
  infer S extends Shape,
  ...infer R extends readonly Shape[],
]
  ? IsTuple<S> extends false
    ? UnknownShape
    : S['length'] extends J['length']
      ? MergeShapes<J, S> extends infer N extends Dim[]
        ? SameShapes<N, R>
        : Failure<`stack: shapes ${ShowShape<J>} and ${ShowShape<S>} differ`>
      : Failure<`stack: shapes ${ShowShape<J>} and ${ShowShape<S>} differ`>
  : J;
type MergeShapes<J extends Shape, S extends Shape, Acc extends Dim[] = []> = J extends readonly [
  infer X extends Dim,
  ...infer JR extends Shape,
]
  ? S extends readonly [infer Y extends Dim, ...infer SR extends Shape]
    ? DimsAgree<X, Y> extends true
      ? MergeShapes<JR, SR, [...Acc, MergeDims<X, Y>]>
      : false
    : false
  : Acc;

type StackRule<Shapes extends readonly Shape[], Axis extends number> = Shapes extends readonly [
  infer First extends Shape,
  ...infer Rest extends readonly Shape[],
]
  ? IsTuple<First> extends false
    ? UnknownShape
    : SameShapes<First, Rest> extends infer J extends Dim[]
      ? NormalizeAxis<'stack', Axis, Add<First['length'], 1>> extends infer A extends number
        ? number extends A
          ? UnknownShape
          : InsertAt<J, A, Shapes['length']>
        : AxisError<'stack', Axis, Add<First['length'], 1>>
      : SameShapes<First, Rest>
  : Shapes extends readonly []
    ? Failure<'stack: no tensors to join'>
    : UnknownShape;

export type Stack<Shapes extends readonly Shape[], Axis extends number = 0> = ResultOf<
  StackRule<Shapes, Axis>
>;
export type StackCheck<Shapes extends readonly Shape[], Axis extends number = 0> =
  StackRule<Shapes, Axis> extends infer R ? CheckOf<R> : never;

/** The shape of stacking `shapes` along a new `axis`, or throws the `ShapeError` that `StackCheck` shows. */
export function stackShape(shapes: readonly (readonly number[])[], axis = 0): number[] {
  const [first, ...rest] = shapes;
  if (first === undefined) shapeError('stack: no tensors to join');
  for (const s of rest) {
    if (s.length !== first.length || s.some((d, i) => d !== first[i])) {
      shapeError(`stack: shapes ${showShape(first)} and ${showShape(s)} differ`);
    }
  }
  const a = normalizeAxis('stack', axis, first.length + 1);
  return [...first.slice(0, a), shapes.length, ...first.slice(a)];
}
