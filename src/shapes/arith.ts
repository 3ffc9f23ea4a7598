/**
 * Type-level integer arithmetic on decimal digit strings, exact to 2^53 - 1.
 *
 * Tuple-length arithmetic hits the recursion limit near 1000 and is slow, so numbers are
 * turned into digit strings and computed digit by digit with table lookups (digits.ts).
 * Internally a natural number is its digits *least significant first* with no trailing
 * zeros ('' is zero): carries then flow left to right and the loops are tail-recursive.
 * A negative number is '-' followed by its magnitude. Every public operator gives plain
 * `number` when an operand is not an integer literal or the result leaves the exact range,
 * except the identities (x * 1, x + 0, x - 0, x // 1 and ceil(x / 1) are x itself, for any
 * x, so that they also reduce for a generic x: see below).
 */

import type { Bit, Digit, DigitDiff, DigitProduct, DigitSum, NextDigit, PrevDigit } from './digits.ts';
import type { Shape } from './dim.ts';

/** 9007199254740991 (2^53 - 1), least significant digit first. */
type MaxSafeRev = '1990474529917009';

type Head<S extends string> = S extends `${infer H extends Digit}${string}` ? H : '0';
type Tail<S extends string> = S extends `${string}${infer T}` ? T : '';

type Reverse<S extends string, Acc extends string = ''> = S extends `${infer H}${infer T}`
  ? Reverse<T, `${H}${Acc}`>
  : Acc;

/** Drops trailing zeros (the leading zeros of the number). */
type Trim<S extends string> = S extends `${infer R}0` ? Trim<R> : S;

type IsDigits<S extends string> = S extends `${Digit}${infer R}`
  ? R extends ''
    ? true
    : IsDigits<R>
  : false;

// ---- naturals (reversed digit strings) ----

type NatAdd<
  A extends string,
  B extends string,
  C extends Bit = '0',
  Acc extends string = '',
> = `${A}${B}` extends ''
  ? C extends '1'
    ? `${Acc}1`
    : Acc
  : DigitSum[C][Head<A>][Head<B>] extends `${infer Carry extends Bit}${infer D}`
    ? NatAdd<Tail<A>, Tail<B>, Carry, `${Acc}${D}`>
    : never;

/** A - B for A >= B. */
type NatSubRaw<
  A extends string,
  B extends string,
  C extends Bit = '0',
  Acc extends string = '',
> = A extends ''
  ? Acc
  : DigitDiff[C][Head<A>][Head<B>] extends `${infer Borrow extends Bit}${infer D}`
    ? NatSubRaw<Tail<A>, Tail<B>, Borrow, `${Acc}${D}`>
    : never;
type NatSub<A extends string, B extends string> = Trim<NatSubRaw<A, B>>;

type Order = '<' | '=' | '>';
type DigitOrder<A extends Digit, B extends Digit> = DigitDiff['0'][A][B] extends `1${string}`
  ? '<'
  : A extends B
    ? '='
    : '>';

/** Walks from the least significant digit; the most significant difference wins. */
type NatCompare<A extends string, B extends string, Acc extends Order = '='> = A extends ''
  ? B extends ''
    ? Acc
    : '<'
  : B extends ''
    ? '>'
    : NatCompare<
        Tail<A>,
        Tail<B>,
        DigitOrder<Head<A>, Head<B>> extends '=' ? Acc : DigitOrder<Head<A>, Head<B>>
      >;

type NatMulDigit<
  A extends string,
  D extends Digit,
  C extends Digit = '0',
  Acc extends string = '',
> = D extends '0'
  ? ''
  : A extends ''
    ? C extends '0'
      ? Acc
      : `${Acc}${C}`
    : DigitProduct[Head<A>][D] extends `${infer Tens extends Digit}${infer Ones extends Digit}`
      ? DigitSum['0'][Ones][C] extends `${infer Carry}${infer Out}`
        ? NatMulDigit<Tail<A>, D, Carry extends '1' ? NextDigit[Tens] : Tens, `${Acc}${Out}`>
        : never
      : never;

/** Long multiplication: one shifted partial product per digit of B. */
type NatMul<A extends string, B extends string, Shift extends string = '', Acc = ''> = B extends ''
  ? Acc
  : NatMul<
      A,
      Tail<B>,
      `0${Shift}`,
      Head<B> extends '0' ? Acc : NatAddShifted<Acc, Shift, NatMulDigit<A, Head<B>>>
    >;
// Unconstrained parameters keep TypeScript from expanding the recursive result's constraint.
type NatAddShifted<Acc, Shift extends string, P> = P extends string
  ? NatAdd<Acc & string, `${Shift}${P}`>
  : never;

/** [0, B, 2B, ..., 9B]: the candidates for one quotient digit. */
type Multiples<B extends string, Acc extends string[] = [''], Last extends string = ''> = Acc extends Tenfold
  ? Acc
  : NatAdd<Last, B> extends infer Next extends string
    ? Multiples<B, [...Acc, Next], Next>
    : never;

/** The largest digit Q with M[Q] <= R. */
type Tenfold = [string, string, string, string, string, string, string, string, string, string];
type QuotientDigit<R extends string, M extends Tenfold, Q extends Digit = '9'> = Q extends '0'
  ? '0'
  : NatCompare<M[Q], R> extends '>'
    ? QuotientDigit<R, M, PrevDigit[Q]>
    : Q;

/**
 * Long division of A by B (B non-zero). A is walked most significant digit first (so it is
 * given in normal order); the quotient is built reversed. Gives [quotient, remainder].
 */
type NatDivMod<
  ANormal extends string,
  M extends Tenfold,
  R extends string = '',
  Q extends string = '',
> = ANormal extends `${infer D}${infer Rest}`
  ? Trim<`${D}${R}`> extends infer R2 extends string
    ? QuotientDigit<R2, M> extends infer QD extends Digit
      ? NatDivMod<Rest, M, NatSub<R2, M[QD]>, `${QD}${Q}`>
      : never
    : never
  : [Trim<Q>, R];

// ---- signed (reversed, '-' prefix for negatives) ----

type Negate<A> = A extends '' ? '' : A extends `-${infer M}` ? M : A extends string ? `-${A}` : never;
type Magnitude<A extends string> = A extends `-${infer M}` ? M : A;
type IsNegative<A extends string> = A extends `-${string}` ? true : false;

/** X - Y for naturals X, Y, as a signed number. */
type NatDiff<X extends string, Y extends string> =
  NatCompare<X, Y> extends '<' ? Negate<NatSub<Y, X>> : NatSub<X, Y>;

type SignedAdd<A extends string, B extends string> = A extends `-${infer X}`
  ? B extends `-${infer Y}`
    ? Negate<NatAdd<X, Y>>
    : NatDiff<B, X>
  : B extends `-${infer Y}`
    ? NatDiff<A, Y>
    : NatAdd<A, B>;

type WithSign<Negative extends boolean, M> = Negative extends true ? Negate<M> : M;

type SignedMul<A extends string, B extends string> = WithSign<
  IsNegative<A> extends IsNegative<B> ? false : true,
  NatMul<Magnitude<A>, Magnitude<B>>
>;

/** Python floor division: rounds towards negative infinity. B must be non-zero. */
type SignedFloorDiv<A extends string, B extends string> =
  NatDivMod<Reverse<Magnitude<A>>, Multiples<Magnitude<B>>> extends [
    infer Q extends string,
    infer R extends string,
  ]
    ? IsNegative<A> extends IsNegative<B>
      ? Q
      : Negate<R extends '' ? Q : NatAdd<Q, '1'>>
    : never;

type SignedCompare<A extends string, B extends string> = A extends `-${infer X}`
  ? B extends `-${infer Y}`
    ? NatCompare<Y, X>
    : '<'
  : B extends `-${string}`
    ? '>'
    : NatCompare<A, B>;

// ---- conversion between number literals and signed digit strings ----

/** A signed digit string, or `number` when N is not an exactly representable integer literal. */
type Parse<N extends number> = number extends N
  ? number
  : `${N}` extends `-${infer M}`
    ? ParseMagnitude<M> extends infer R extends string
      ? Negate<R>
      : number
    : ParseMagnitude<`${N}`>;
type ParseMagnitude<S extends string> =
  IsDigits<S> extends true
    ? Trim<Reverse<S>> extends infer R extends string
      ? NatCompare<R, MaxSafeRev> extends '>'
        ? number
        : R
      : never
    : number;

/** The number literal for a signed digit string, or `number` beyond 2^53 - 1. */
type Format<S> = S extends string
  ? NatCompare<Magnitude<S>, MaxSafeRev> extends '>'
    ? number
    : (
          S extends ''
            ? '0'
            : IsNegative<S> extends true
              ? `-${Reverse<Magnitude<S>>}`
              : Reverse<S>
        ) extends `${infer N extends number}`
      ? N
      : number
  : number;

type OrderSign = { '<': -1; '=': 0; '>': 1 };

// ---- identities that also hold for a generic operand ----

/*
 * Inside `function f<I extends number>()`, TypeScript defers any conditional that compares I
 * with a literal, so `FloorDiv<I, 1>` would stay unreduced and not be assignable to `I`. The
 * identities x * 1 = x, x + 0 = x, x - 0 = x and x // 1 = x are therefore read off records
 * keyed by the operands, never by comparing an operand: `{ [K in B]: A }` has the key `1`
 * exactly when B is 1, and for a generic B it is a mapped type with no known keys, which
 * matches no pattern and gives no inference. The one-element tuples (`[B]` against `[1]`)
 * keep a union such as `1 | 2` out of the identities, so it distributes as before. The
 * patterns are written as plain object types: a mapped pattern would also infer from the
 * template of a generic mapped record, giving `1 | I` for `Mul<1, I>`.
 */

type KeyedBy<N extends number, V> = { [K in N]: V };
/** Each operand keyed by the other, and each in a one-element tuple. */
type Operands<A extends number, B extends number> = {
  a: KeyedBy<A, B>;
  ak: [A];
  b: KeyedBy<B, A>;
  bk: [B];
};

// ---- exact digit computations ----

type AddExact<A extends number, B extends number> =
  Parse<A> extends infer X extends string
    ? Parse<B> extends infer Y extends string
      ? Format<SignedAdd<X, Y>>
      : number
    : number;

type SubExact<A extends number, B extends number> =
  Parse<A> extends infer X extends string
    ? Parse<B> extends infer Y extends string
      ? Format<SignedAdd<X, Negate<Y>>>
      : number
    : number;

type MulExact<A extends number, B extends number> =
  Parse<A> extends infer X extends string
    ? Parse<B> extends infer Y extends string
      ? Format<SignedMul<X, Y>>
      : number
    : number;

type FloorDivExact<A extends number, B extends number> =
  Parse<A> extends infer X extends string
    ? Parse<B> extends infer Y extends string
      ? Y extends ''
        ? number
        : Format<SignedFloorDiv<X, Y>>
      : number
    : number;

// ---- public operators ----

/** A + B; A + 0 and 0 + A are A itself, also for a generic A. */
export type Add<A extends number, B extends number> =
  Operands<A, B> extends
    | { a: { 0: infer R extends number }; ak: [0] }
    | { b: { 0: infer R extends number }; bk: [0] }
    ? R
    : AddExact<A, B>;

/** A - B; A - 0 is A itself, also for a generic A. */
export type Sub<A extends number, B extends number> =
  Operands<A, B> extends { b: { 0: infer R extends number }; bk: [0] } ? R : SubExact<A, B>;

/** A * B; A * 1 and 1 * A are A itself, also for a generic A. */
export type Mul<A extends number, B extends number> =
  Operands<A, B> extends
    | { a: { 1: infer R extends number }; ak: [1] }
    | { b: { 1: infer R extends number }; bk: [1] }
    ? R
    : MulExact<A, B>;

/** floor(A / B) as Python's `//`; `number` when B is 0; A // 1 is A itself, also for a generic A. */
export type FloorDiv<A extends number, B extends number> =
  Operands<A, B> extends { b: { 1: infer R extends number }; bk: [1] } ? R : FloorDivExact<A, B>;

/** ceil(A / B); `number` when B is 0; A / 1 is A itself, also for a generic A. */
export type CeilDiv<A extends number, B extends number> =
  Operands<A, B> extends { b: { 1: infer R extends number }; bk: [1] }
    ? R
    : Negate0<FloorDivExact<Negate0<A>, B>>;
type Negate0<N extends number> = SubExact<0, N>;

/** A mod B with the sign of B, as Python's `%`; `number` when B is 0. */
export type Mod<A extends number, B extends number> = SubExact<A, MulExact<B, FloorDivExact<A, B>>>;

/** -1, 0 or 1 as A is less than, equal to or greater than B; `number` when unknown. */
export type Compare<A extends number, B extends number> =
  Parse<A> extends infer X extends string
    ? Parse<B> extends infer Y extends string
      ? OrderSign[SignedCompare<X, Y>]
      : number
    : number;

/** `true`/`false`, or `boolean` when unknown. */
export type Lt<A extends number, B extends number> = FromCompare<Compare<A, B>, -1>;
export type Gt<A extends number, B extends number> = FromCompare<Compare<A, B>, 1>;
export type Eq<A extends number, B extends number> = FromCompare<Compare<A, B>, 0>;
export type Lte<A extends number, B extends number> = Not<Gt<A, B>>;
export type Gte<A extends number, B extends number> = Not<Lt<A, B>>;
type FromCompare<C extends number, Want extends number> = number extends C
  ? boolean
  : C extends Want
    ? true
    : false;
type Not<B extends boolean> = boolean extends B ? boolean : B extends true ? false : true;

export type Max<A extends number, B extends number> =
  Compare<A, B> extends -1 ? B : Compare<A, B> extends 0 | 1 ? A : number;
export type Min<A extends number, B extends number> =
  Compare<A, B> extends 1 ? B : Compare<A, B> extends 0 | -1 ? A : number;

/** True when N is an integer literal in the exact range. */
export type IsIntLiteral<N> = N extends number ? (Parse<N> extends string ? true : false) : false;

/**
 * The element count of a shape; `number` when a dim is named or dynamic. The dim is matched
 * as `infer H extends number`, not tested with `H extends number`, so a generic dim I
 * multiplies in (`Product<[I]>` is I) instead of deferring the whole count.
 */
export type Product<S extends Shape, Acc extends number = 1> = S extends readonly [
  infer H extends number,
  ...infer R extends Shape,
]
  ? Product<R, Mul<Acc, H>>
  : S extends readonly []
    ? Acc
    : number;
