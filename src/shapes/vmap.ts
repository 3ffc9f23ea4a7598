/**
 * vmap's shape rules: a mapped argument carries the batch dim B at its in-axis (an axis of the
 * batched rank, negative counting from the end), each output gains B at the out-axis, and all
 * mapped arguments must agree on B.
 */
import type { Add } from './arith.ts';
import type { NormalizeAxis } from './axis.ts';
import type { Dim, DimsAgree, Failure, IsTuple, MergeDims, UnknownShape } from './dim.ts';
import { shapeError } from './dim.ts';

/**
 * The per-example shape S with B inserted at Axis (`null`: not mapped, S unchanged). A shape
 * of unknown rank stays as it is; an axis out of range or not a literal gives `Fallback`.
 */
export type AddBatchDim<S, Axis, B extends Dim, Fallback = UnknownShape> = [Axis] extends [null]
  ? S
  : S extends readonly unknown[] // not `Shape`: a generic dim must not defer this
    ? IsTuple<S> extends false
      ? S
      : [Axis] extends [number]
        ? NormalizeAxis<'vmap', Axis, Add<S['length'], 1>> extends infer A extends number
          ? number extends A
            ? Fallback
            : InsertDim<S, A, B>
          : Fallback
        : Fallback
    : S;

/** S with X inserted before index At (`InsertAt` for a shape whose dims may be generic). */
type InsertDim<
  S extends readonly unknown[],
  At extends number,
  X,
  Acc extends unknown[] = [],
> = Acc['length'] extends At
  ? [...Acc, X, ...S]
  : S extends readonly [infer H, ...infer R]
    ? InsertDim<R, At, X, [...Acc, H]>
    : [...Acc, X];

/** The dim of the batched shape S at Axis, `number` when it cannot be known statically. */
export type BatchDimAt<S, Axis> = S extends readonly unknown[] // not `Shape`: a generic dim must not defer this
  ? IsTuple<S> extends false
    ? number
    : [Axis] extends [number]
      ? NormalizeAxis<'vmap', Axis, S['length']> extends infer A extends number
        ? number extends A
          ? number
          : S[A]
        : number
      : number
  : number;

/**
 * `[B]`, the batch size the mapped dims agree on (the most specific of them; `number` when
 * none is known), or a Failure naming the first two sizes that differ. The size is carried in
 * a 1-tuple so that a generic dim (`B extends number`) is matched without deferring.
 */
export type AgreeBatch<Ds extends readonly unknown[], Acc extends [] | [unknown] = []> = Ds extends readonly [
  infer D,
  ...infer R,
]
  ? Acc extends [infer First]
    ? DimsAgree<First, D> extends true
      ? AgreeBatch<R, [MergeDims<First, D>]>
      : Failure<`vmap: mapped axes have different sizes ${First & Dim} and ${D & Dim}`>
    : AgreeBatch<R, [D]>
  : Acc extends [unknown]
    ? Acc
    : [number];

/** Run-time twin of `AgreeBatch`: the one size of the mapped axes, or throws the same message. */
export function agreeBatch(sizes: readonly number[]): number {
  const distinct = [...new Set(sizes)];
  if (distinct.length > 1)
    shapeError(`vmap: mapped axes have different sizes ${distinct[0]} and ${distinct[1]}`);
  if (distinct.length === 0) throw new Error('vmap: no argument is mapped (all inAxes are null)');
  return distinct[0]!;
}
