/**
 * Matrix product (numpy `matmul`): a 1-d operand is a vector (its dim is dropped from the
 * result), and leading batch dims broadcast.
 */
import type { BroadcastRule } from './broadcast.ts';
import { broadcastRule } from './broadcast.ts';
import type {
  CheckOf,
  Dim,
  DimsAgree,
  DimsDiffer,
  Failure,
  IsTuple,
  ResultOf,
  Shape,
  UnknownShape,
} from './dim.ts';
import { shapeError } from './dim.ts';

type InnerDimsDiffer<K1 extends Dim, K2 extends Dim> = Failure<`matmul: inner dims ${K1} and ${K2} differ`>;

type MatMulRule<A extends Shape, B extends Shape> =
  IsTuple<A> extends false
    ? UnknownShape
    : IsTuple<B> extends false
      ? UnknownShape
      : A extends readonly []
        ? Failure<`matmul: ranks ${A['length']} and ${B['length']} must be at least 1`>
        : B extends readonly []
          ? Failure<`matmul: ranks ${A['length']} and ${B['length']} must be at least 1`>
          : MatMulTuples<A, B>;

type MatMulTuples<A extends Shape, B extends Shape> = A extends readonly [infer K1 extends Dim]
  ? B extends readonly [infer K2 extends Dim]
    ? WhenInnerAgree<K1, K2, []>
    : B extends readonly [...infer BB extends Shape, infer K2 extends Dim, infer N extends Dim]
      ? WhenInnerAgree<K1, K2, [...BB, N]>
      : never
  : A extends readonly [...infer AB extends Shape, infer M extends Dim, infer K1 extends Dim]
    ? B extends readonly [infer K2 extends Dim]
      ? WhenInnerAgree<K1, K2, [...AB, M]>
      : B extends readonly [...infer BB extends Shape, infer K2 extends Dim, infer N extends Dim]
        ? DimsAgree<K1, K2> extends true
          ? BroadcastRule<'matmul', 'batch dims', AB, BB> extends infer Batch extends Dim[]
            ? [...Batch, M, N]
            : BroadcastRule<'matmul', 'batch dims', AB, BB>
          : InnerDimsDiffer<K1, K2>
        : never
    : never;

type WhenInnerAgree<K1 extends Dim, K2 extends Dim, Out> =
  DimsAgree<K1, K2> extends true ? Out : InnerDimsDiffer<K1, K2>;

export type MatMul<A extends Shape, B extends Shape> = ResultOf<MatMulRule<A, B>>;
/**
 * The inner dims on their own (matmul guards with this first, then `MatMulCheck`): when they
 * are two different generic dims, which TypeScript cannot decide, the unresolved check prints
 * message first, `DimsDiffer<\`matmul: inner dims ${K} and 4 differ\`, K, 4>`.
 */
export type MatMulInnerCheck<A extends Shape, B extends Shape> =
  IsTuple<A> extends false
    ? unknown
    : IsTuple<B> extends false
      ? unknown
      : A extends readonly [...infer _AB, infer K1 extends Dim]
        ? B extends readonly [infer K2 extends Dim]
          ? DimsDiffer<`matmul: inner dims ${K1} and ${K2} differ`, K1, K2>
          : B extends readonly [...infer _BB, infer K2 extends Dim, infer _N]
            ? DimsDiffer<`matmul: inner dims ${K1} and ${K2} differ`, K1, K2>
            : unknown
        : unknown;

export type MatMulCheck<A extends Shape, B extends Shape> =
  MatMulRule<A, B> extends infer R ? CheckOf<R> : never;

/** The shape of `matmul(a, b)`, or throws the `ShapeError` that `MatMulCheck` shows. */
export function matmulShape(a: readonly number[], b: readonly number[]): number[] {
  if (a.length === 0 || b.length === 0) {
    shapeError(`matmul: ranks ${a.length} and ${b.length} must be at least 1`);
  }
  const k1 = a[a.length - 1]!;
  const k2 = b.length === 1 ? b[0]! : b[b.length - 2]!;
  if (k1 !== k2) shapeError(`matmul: inner dims ${k1} and ${k2} differ`);
  if (a.length === 1) return b.length === 1 ? [] : [...b.slice(0, -2), b[b.length - 1]!];
  if (b.length === 1) return a.slice(0, -1);
  const batch = broadcastRule('matmul', 'batch dims', a.slice(0, -2), b.slice(0, -2));
  return [...batch, a[a.length - 2]!, b[b.length - 1]!];
}
