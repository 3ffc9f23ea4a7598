/**
 * Dims and shapes. A literal number (`784`) is checked statically, a string (`'B'`) is a
 * named dim equal only to itself, and plain `number` is dynamic: checked at run time only.
 */
/** One dim: a literal number (`784`, checked statically), a name (`'B'`), or plain `number`. */
export type Dim = number | string;
/** A shape in the types: a tuple of dims (`[B, 784]`), or `number[]` when the rank is unknown. */
export type Shape = readonly Dim[];

/**
 * A shape rule that does not hold. A real `Error`, so run-time twins can throw it; the
 * phantom brand carries the message into the type, so a failed guard prints as
 * `ShapeError<"matmul: inner dims 400 and 784 differ">` on the offending argument.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { matmul, ShapeError, type Tensor, zeros } from 'typegrad';
 * const a: Tensor<number[]> = zeros([2, 3]); // rank unknown statically: checked at run time
 * assert.throws(() => matmul(a, zeros([4, 5])), ShapeError);
 * ```
 */
export class ShapeError<M extends string = string> extends Error {
  /** The message in the type (a phantom: nothing at run time). */
  declare readonly __shapeError: M;
  /** `'ShapeError'`. */
  override readonly name = 'ShapeError';

  constructor(message: M) {
    super(message);
  }
}

/**
 * Put a check on the parameter it concerns: `b: Tensor<B> & Guard<MatMulCheck<A, B>>`. The
 * check is `unknown` when shapes fit (so the intersection is just `Tensor<B>`) and a
 * `ShapeError<"...">` otherwise (so the argument is rejected with that message).
 */
export type Guard<C> = C;

/**
 * A guarded parameter: `x: Checked<Tensor<X>, LastDimCheck<...>>`. It is T while every check
 * holds; when one fails it is that check's message as a string literal type, so the compiler
 * prints only `... not assignable to parameter of type '"nn.dense: input features 784 and
 * weight rows 400 differ"'`, on one line. T is inferred through the conditional's false branch.
 */
export type Checked<T, C1, C2 = unknown> = [FailedCheck<C1>] extends [never]
  ? [FailedCheck<C2>] extends [never]
    ? T
    : MessageOf<C2>
  : MessageOf<C1>;

/**
 * The `ShapeError` of a failed check; never for one that holds (and for `never` or `any`
 * checks). Checked tests this object type, not the message: a message naming a generic dim
 * (`stack: shapes [${B}, 3] and [${B}, 4] differ`) is a generic template type, and a
 * conditional on it would be deferred, printing the whole check instead of the message.
 */
type FailedCheck<C> = [C] extends [never]
  ? never
  : 0 extends 1 & C
    ? never
    : [C] extends [ShapeError<string>]
      ? C
      : never;

/** The message of a failed check. */
type MessageOf<C> = [C] extends [ShapeError<infer M>] ? M : never;

/**
 * The internal outcome of a rule that failed. Rules compute either a shape or a `Failure`
 * once; the public result and check types both read that one computation.
 */
export interface Failure<M extends string> {
  readonly __failure: M;
}

/** What a rule returns when it fails or cannot know the rank: some shape, never `never`. */
export type UnknownShape = number[];

/** The public result of a rule: its shape, or `number[]` when it failed. */
export type ResultOf<R> = R extends Failure<string> ? UnknownShape : R;

/** The first Failure in a list of partial checks, else 'ok'. */
export type FirstFailure<Checks extends unknown[]> = Checks extends [infer H, ...infer R]
  ? H extends Failure<string>
    ? H
    : FirstFailure<R>
  : 'ok';

/** The public check of a rule: `unknown` when it holds, else the branded error. */
export type CheckOf<R> = R extends Failure<infer M> ? ShapeError<M> : unknown;

/** Throws the run-time twin of a failed check. */
export function shapeError(message: string): never {
  throw new ShapeError(message);
}

/*
 * Generic dims. Inside `function f<B extends number>(x: Tensor<[B, 784]>)` a rule sees the
 * type parameter B. TypeScript defers any conditional whose answer depends on B, which would
 * leave unresolved types behind, so rules only ever copy such a dim or compare it with
 * `Same`, and a per-dim helper returns `[dim]` or a Failure, matched as
 * `R extends [infer D extends Dim]` (where `R extends infer D` with R = B would be deferred).
 */

/** True for a dim known only at run time: plain `number` (or plain `string`). */
export type IsDynamic<D> = number extends D ? true : string extends D ? true : false;

/**
 * True when X and Y are the same type. Tested before anything else on a dim, because it is
 * the one test that also resolves for a generic dim (a type parameter `B` is the same as
 * itself), so rules stay usable inside functions generic in a dim. The object wrapper
 * matters: TypeScript defers `[B] extends [B]` for a type parameter B but not this form.
 */
export type Same<X, Y> = { d: X } extends { d: Y } ? ({ d: Y } extends { d: X } ? true : false) : false;

/** Whether two dims may be equal: the same, or either one dynamic (checked at run time). */
export type DimsAgree<X, Y> =
  Same<X, Y> extends true ? true : IsDynamic<X> extends true ? true : IsDynamic<Y>;

/**
 * The check that dims X and Y agree: `unknown` when they do, `ShapeError<M>` when they do not.
 * Two different dims that are type parameters (B and T of a generic function) never agree, but
 * TypeScript cannot decide that (it defers every comparison of distinct type parameters), so
 * the check stays unresolved and the call is still rejected. This alias is what the compiler
 * then prints, message first: `DimsDiffer<\`nn.dense: input features ${T} and weight rows 4
 * differ\`, T, 4>`, where a computed rule would print its unresolved conditional type.
 */
export type DimsDiffer<M extends string, X, Y> = DimsAgree<X, Y> extends true ? unknown : ShapeError<M>;

/**
 * `DimsDiffer<M, A[i], B[i]>` for each axis of two shapes of one rank, as one intersection:
 * `unknown` when every pair agrees, `ShapeError<M>` when a literal pair differs, and for two
 * different generic dims the unresolved check, message first (see {@link DimsDiffer}).
 */
export type EachDimDiffers<
  M extends string,
  A extends readonly unknown[],
  B extends readonly unknown[],
  Acc = unknown,
> = A extends readonly [infer X, ...infer AR]
  ? B extends readonly [infer Y, ...infer BR]
    ? EachDimDiffers<M, AR, BR, Acc & DimsDiffer<M, X, Y>>
    : Acc
  : Acc;

/** The more specific of two agreeing dims. */
export type MergeDims<X, Y> = Same<X, Y> extends true ? X : IsDynamic<X> extends true ? Y : X;

/** False for `number[]` and other shapes whose rank is not known statically. */
export type IsTuple<S extends readonly unknown[]> = number extends S['length'] ? false : true;

/**
 * A dim as a number for arithmetic: named and dynamic dims become `number`. Matched by
 * inference, not tested with `D extends number`, so a generic dim I stays I (not deferred).
 */
export type NumericDim<D> = { d: D } extends { d: infer N extends number } ? N : number;

/** `[2, 'B', 3]` for messages; `showShape` is its run-time twin. */
export type ShowShape<S extends Shape> = `[${JoinDims<S>}]`;
type JoinDims<S extends Shape> = S extends readonly [infer H extends Dim, ...infer R extends Dim[]]
  ? R extends []
    ? `${H}`
    : `${H}, ${JoinDims<R>}`
  : '';

export function showShape(shape: readonly Dim[]): string {
  return `[${shape.join(', ')}]`;
}
