/**
 * einsum's shape rule, parsed from a literal spec: `'ij,jk->ik'`, the implicit output (the
 * ellipsis dims, then the indices written once, in `sort()` order), `...` for broadcast dims
 * (right-aligned, as numpy), repeated indices in one operand (diagonals and traces, whose
 * sizes must be equal) and any number of operands. Sizes of one index in different operands
 * must agree or one of them be 1. A spec that is not a literal gives `number[]`.
 */
import type { Add, Lt, Sub } from './arith.ts';
import type {
  CheckOf,
  Dim,
  DimsAgree,
  Failure,
  IsTuple,
  MergeDims,
  ResultOf,
  Shape,
  ShowShape,
} from './dim.ts';
import { type ShapeError, shapeError } from './dim.ts';
import type { DropFirst, TakeFirst } from './tuple.ts';

/** The index letters in the order `Array.prototype.sort` puts them: upper case first. */
// biome-ignore format: one letter per line would be 52 lines
type Alphabet = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z'];
type Letter = Alphabet[number];

type Chars<S extends string, Acc extends string[] = []> = S extends `${infer C}${infer R}`
  ? Chars<R, [...Acc, C]>
  : Acc;
type Split<S extends string, Acc extends string[] = []> = S extends `${infer H},${infer R}`
  ? Split<R, [...Acc, H]>
  : [...Acc, S];
type StripSpaces<S extends string> = S extends `${infer A} ${infer B}` ? StripSpaces<`${A}${B}`> : S;
type OnlyLetters<S extends string> = S extends `${infer C}${infer R}`
  ? C extends Letter
    ? OnlyLetters<R>
    : false
  : true;

/** `[label, dim]` for each dim of one operand. */
type Pair = readonly [string, unknown];
type Zip<
  Ls extends readonly string[],
  S extends readonly unknown[],
  Acc extends Pair[] = [],
> = Ls extends readonly [infer L extends string, ...infer LR extends string[]]
  ? S extends readonly [infer D, ...infer SR]
    ? Zip<LR, SR, [...Acc, [L, D]]>
    : Acc
  : Acc;
/** Ellipsis dims labelled from the right, `…0` the last (so operands of different ranks align). */
type EllipsisPairs<E extends readonly unknown[], Acc extends Pair[] = []> = E extends readonly [
  ...infer Init,
  infer Last,
]
  ? EllipsisPairs<Init, [[`…${Acc['length']}`, Last], ...Acc]>
  : Acc;

type ParseFailure<
  Spec extends string,
  Term extends string,
> = Failure<`einsum: cannot parse '${Spec}': term '${Term}' (letters and at most one '...')`>;

/** One operand's `[label, dim]` pairs, or the Failure its term gives on shape S. */
type TermPairs<
  Spec extends string,
  Term extends string,
  S extends Shape,
  K extends number,
> = Term extends `${infer Pre}...${infer Post}`
  ? [OnlyLetters<Pre>, OnlyLetters<Post>] extends [true, true]
    ? Lt<S['length'], Add<Chars<Pre>['length'], Chars<Post>['length']>> extends true
      ? Failure<`einsum: '${Term}' names more indices than operand ${K}'s rank ${S['length']}`>
      : Sub<S['length'], Chars<Post>['length']> extends infer End extends number
        ? [
            ...Zip<Chars<Pre>, S>,
            ...EllipsisPairs<DropFirst<TakeFirst<S, End>, Chars<Pre>['length']>>,
            ...Zip<Chars<Post>, DropFirst<S, End>>,
          ]
        : never
    : ParseFailure<Spec, Term>
  : OnlyLetters<Term> extends true
    ? Chars<Term>['length'] extends S['length']
      ? Zip<Chars<Term>, S>
      : Failure<`einsum: '${Term}' has ${Chars<Term>['length']} indices but operand ${K} has rank ${S['length']}`>
    : ParseFailure<Spec, Term>;
/** The pairs of every operand, in order, or the first Failure. */
type AllPairs<
  Spec extends string,
  Terms extends readonly string[],
  Ss extends readonly Shape[],
  Acc extends Pair[][] = [],
> = Terms extends readonly [infer T extends string, ...infer TR extends string[]]
  ? Ss extends readonly [infer S extends Shape, ...infer SR extends Shape[]]
    ? TermPairs<Spec, T, S, Acc['length']> extends infer P extends Pair[]
      ? AllPairs<Spec, TR, SR, [...Acc, P]>
      : TermPairs<Spec, T, S, Acc['length']>
    : Acc
  : Acc;

/** `[dim]` of a label in the pairs, or `[]`. */
type Lookup<L extends string, Ps extends readonly Pair[]> = Ps extends readonly [
  readonly [infer K, infer D],
  ...infer R extends Pair[],
]
  ? K extends L
    ? [D]
    : Lookup<L, R>
  : [];

type Conflict<
  L extends string,
  X,
  Y,
> = Failure<`einsum: index ${L extends `…${string}` ? '...' : L} has sizes ${X & Dim} and ${Y & Dim}`>;

/** A repeated index within one operand (a diagonal) must have one size. */
type CheckDiagonal<Ps extends readonly Pair[], Seen extends Pair[] = []> = Ps extends readonly [
  readonly [infer L extends string, infer D],
  ...infer R extends Pair[],
]
  ? Lookup<L, Seen> extends [infer First]
    ? DimsAgree<First, D> extends true
      ? CheckDiagonal<R, Seen>
      : Conflict<L, First, D>
    : CheckDiagonal<R, [...Seen, [L, D]]>
  : 'ok';
type CheckDiagonals<Pss extends readonly Pair[][]> = Pss extends readonly [
  infer P extends Pair[],
  ...infer R extends Pair[][],
]
  ? CheckDiagonal<P> extends infer F extends Failure<string>
    ? F
    : CheckDiagonals<R>
  : 'ok';

/** `[size]` of an index seen with sizes X and Y (the same, one dynamic, or one of them 1), or a Failure. */
type MergeSize<L extends string, X, Y> =
  DimsAgree<X, Y> extends true
    ? [MergeDims<X, Y>]
    : [X] extends [1]
      ? [Y]
      : [Y] extends [1]
        ? [X]
        : Conflict<L, X, Y>;

/** One size per label (first-seen order), across all operands, or the first conflict. */
type Sizes<Ps extends readonly Pair[], Acc extends Pair[] = []> = Ps extends readonly [
  readonly [infer L extends string, infer D],
  ...infer R extends Pair[],
]
  ? Lookup<L, Acc> extends [infer Prev]
    ? MergeSize<L, Prev, D> extends [infer M]
      ? Sizes<R, Replace<Acc, L, M>>
      : MergeSize<L, Prev, D>
    : Sizes<R, [...Acc, [L, D]]>
  : Acc;
type Replace<Ps extends readonly Pair[], L extends string, D, Acc extends Pair[] = []> = Ps extends readonly [
  infer P extends Pair,
  ...infer R extends Pair[],
]
  ? Replace<R, L, D, [...Acc, P[0] extends L ? [L, D] : P]>
  : Acc;

type Flat<Pss extends readonly Pair[][]> = Pss extends readonly [
  infer P extends Pair[],
  ...infer R extends Pair[][],
]
  ? [...P, ...Flat<R>]
  : [];

/** The ellipsis labels, `…(n-1)` down to `…0`. */
type EllipsisOut<Ss extends readonly Pair[], Acc extends string[] = []> =
  Lookup<`…${Acc['length']}`, Ss> extends [unknown] ? EllipsisOut<Ss, [`…${Acc['length']}`, ...Acc]> : Acc;

/** Letters written exactly once in the inputs, in `sort()` order. */
type Once<
  Lhs extends string,
  Cs extends readonly string[] = Alphabet,
  Acc extends string[] = [],
> = Cs extends readonly [infer C extends string, ...infer R extends string[]]
  ? Once<
      Lhs,
      R,
      Lhs extends `${string}${C}${infer After}`
        ? After extends `${string}${C}${string}`
          ? Acc
          : [...Acc, C]
        : Acc
    >
  : Acc;

type HasRepeat<Cs extends readonly unknown[]> = Cs extends readonly [infer C, ...infer R]
  ? C extends R[number]
    ? true
    : HasRepeat<R>
  : false;

/** The output labels of an explicit `->` part, or the Failure it gives. */
type ExplicitOut<
  Spec extends string,
  Rhs extends string,
  Ss extends readonly Pair[],
> = Rhs extends `${infer Pre}...${infer Post}`
  ? [OnlyLetters<Pre>, OnlyLetters<Post>] extends [true, true]
    ? CheckOut<Rhs, [...Chars<Pre>, ...EllipsisOut<Ss>, ...Chars<Post>], Ss>
    : Failure<`einsum: cannot parse output '${Rhs}' of '${Spec}'`>
  : OnlyLetters<Rhs> extends true
    ? CheckOut<Rhs, Chars<Rhs>, Ss>
    : Failure<`einsum: cannot parse output '${Rhs}' of '${Spec}'`>;
type CheckOut<Rhs extends string, Out extends readonly unknown[], Ss extends readonly Pair[]> =
  HasRepeat<Out> extends true
    ? Failure<`einsum: output '${Rhs}' repeats an index`>
    : [MissingIndex<Out, Ss>] extends [never]
      ? Out
      : Failure<`einsum: output index ${MissingIndex<Out, Ss>} is not in any input`>;
type MissingIndex<Out extends readonly unknown[], Ss extends readonly Pair[]> = Out extends readonly [
  infer C extends string,
  ...infer R,
]
  ? Lookup<C, Ss> extends []
    ? C
    : MissingIndex<R, Ss>
  : never;

type DimsOf<
  Out extends readonly string[],
  Ss extends readonly Pair[],
  Acc extends unknown[] = [],
> = Out extends readonly [infer C extends string, ...infer R extends string[]]
  ? Lookup<C, Ss> extends [infer D]
    ? DimsOf<R, Ss, [...Acc, D]>
    : DimsOf<R, Ss, [...Acc, number]>
  : Acc;

/** False when some operand's rank is not known statically (`number[]`, `unknown`, `any`). */
type AllTuples<Ss extends readonly unknown[]> = Ss extends readonly [infer S, ...infer R]
  ? 0 extends 1 & S
    ? false
    : S extends readonly unknown[] // not `Shape`: a generic dim must not defer this
      ? IsTuple<S> extends true
        ? AllTuples<R>
        : false
      : false
  : true;

type EinsumParts<
  Spec extends string,
  Ss extends readonly Shape[],
  Clean extends string,
> = Clean extends `${infer Lhs}->${infer Rhs}`
  ? EinsumRule<Spec, Ss, Lhs, [Rhs]>
  : EinsumRule<Spec, Ss, Clean, []>;

type EinsumRule<
  Spec extends string,
  Ss extends readonly Shape[],
  Lhs extends string,
  Rhs extends [] | [string],
> =
  Split<Lhs> extends infer Terms extends string[]
    ? Terms['length'] extends Ss['length']
      ? AllPairs<Spec, Terms, Ss> extends infer Pss extends Pair[][]
        ? CheckDiagonals<Pss> extends infer F extends Failure<string>
          ? F
          : Sizes<Flat<Pss>> extends infer Sz extends Pair[]
            ? (
                Rhs extends [infer R extends string]
                  ? ExplicitOut<Spec, R, Sz>
                  : [...EllipsisOut<Sz>, ...Once<Lhs>]
              ) extends infer Out
              ? Out extends string[]
                ? DimsOf<Out, Sz>
                : Out
              : never
            : Sizes<Flat<Pss>>
        : AllPairs<Spec, Terms, Ss>
      : Failure<`einsum: '${Spec}' names ${Terms['length']} operands, got ${Ss['length']}`>
    : never;

type EinsumOf<Spec extends string, Ss extends readonly Shape[]> = string extends Spec
  ? number[]
  : AllTuples<Ss> extends false
    ? number[]
    : EinsumParts<Spec, Ss, StripSpaces<Spec>>;

/** The shape of `einsum(spec, ...operands)` for operand shapes Ss; `number[]` when it fails or the spec is not a literal. */
export type Einsum<Spec extends string, Ss extends readonly Shape[]> = ResultOf<EinsumOf<Spec, Ss>>;
/**
 * `unknown` when the spec fits the operand shapes, else `ShapeError<"einsum: ...">`. Sizes that
 * are two different generic dims cannot be compared (TypeScript defers it), so the check stays
 * unresolved and prints as {@link SizesUnproved}, message first; the message is built from the
 * shapes' structure only, so it resolves where the check cannot.
 */
export type EinsumCheck<Spec extends string, Ss extends readonly Shape[]> = SizesUnproved<
  `einsum: the index sizes of '${Spec}' cannot be proved to agree on ${ShowShapes<Ss>}`,
  Spec,
  Ss
>;

/**
 * The einsum check with the message it prints while it cannot be decided:
 * ``SizesUnproved<`einsum: the index sizes of 'bi,bj->ij' cannot be proved to agree on [${B}, 3] and [${T}, 5]`, …>``.
 * M is for that printout only (as `DimsDiffer`'s); a check that resolves is the rule's outcome.
 */
export type SizesUnproved<M extends string, Spec extends string, Ss extends readonly Shape[]> =
  EinsumOf<Spec, Ss> extends infer R ? CheckOf<R> : ShapeError<M>;

type ShowShapes<Ss extends readonly Shape[]> = Ss extends readonly [
  infer S extends Shape,
  ...infer R extends Shape[],
]
  ? R extends readonly []
    ? ShowShape<S>
    : `${ShowShape<S>} and ${ShowShapes<R>}`
  : '';

/** What `einsum` computes with: the labels of each operand's dims, each label's size, the output. */
export interface EinsumPlan {
  /** per operand, one label per dim as written; ellipsis dims are `…k`, `…0` the last */
  readonly labels: string[][];
  /** the size of each label (a size-1 dim stretches to the others' size) */
  readonly sizes: ReadonlyMap<string, number>;
  /** the output labels, in order */
  readonly output: string[];
  /** the output shape */
  readonly shape: number[];
}

const TERM = /^[a-zA-Z]*(\.\.\.)?[a-zA-Z]*$/;
const ellipsisLabel = (k: number) => `…${k}`;

function parseTerm(spec: string, term: string, rank: number, k: number): string[] {
  if (!TERM.test(term))
    shapeError(`einsum: cannot parse '${spec}': term '${term}' (letters and at most one '...')`);
  const [before, after] = term.includes('...') ? term.split('...') : [term, undefined];
  const named = before!.length + (after?.length ?? 0);
  if (after === undefined) {
    if (named !== rank)
      shapeError(`einsum: '${term}' has ${named} indices but operand ${k} has rank ${rank}`);
    return [...before!];
  }
  const nEllipsis = rank - named;
  if (nEllipsis < 0) shapeError(`einsum: '${term}' names more indices than operand ${k}'s rank ${rank}`);
  // right-aligned, as numpy broadcasting: the last ellipsis dim is …0
  const dots = Array.from({ length: nEllipsis }, (_, i) => ellipsisLabel(nEllipsis - 1 - i));
  return [...before!, ...dots, ...after];
}

const shown = (c: string) => (c.startsWith('…') ? '...' : c);

function outputLabels(
  spec: string,
  rhs: string | undefined,
  written: readonly string[][],
  ellipsis: string[],
) {
  if (rhs === undefined) {
    const counts = new Map<string, number>();
    for (const labels of written) for (const c of labels) counts.set(c, (counts.get(c) ?? 0) + 1);
    const once = [...counts.entries()]
      .filter(([c, n]) => n === 1 && !c.startsWith('…'))
      .map(([c]) => c)
      .sort();
    return [...ellipsis, ...once];
  }
  if (!TERM.test(rhs)) shapeError(`einsum: cannot parse output '${rhs}' of '${spec}'`);
  const [before, after] = rhs.includes('...') ? rhs.split('...') : [rhs, undefined];
  const out = after === undefined ? [...before!] : [...before!, ...ellipsis, ...after];
  if (new Set(out).size !== out.length) shapeError(`einsum: output '${rhs}' repeats an index`);
  return out;
}

/** Run-time twin of `EinsumCheck`: the plan of `einsum(spec, ...)` on these shapes, or throws the same `ShapeError`. */
export function einsumPlan(spec: string, shapes: readonly (readonly number[])[]): EinsumPlan {
  const clean = spec.replace(/\s+/g, '');
  const [lhs, rhs] = clean.includes('->') ? clean.split('->') : [clean, undefined];
  const terms = lhs!.split(',');
  if (terms.length !== shapes.length)
    shapeError(`einsum: '${spec}' names ${terms.length} operands, got ${shapes.length}`);
  const labels = terms.map((term, k) => parseTerm(spec, term, shapes[k]!.length, k));
  // a repeated index of one operand (a diagonal) has one size
  for (const [k, ls] of labels.entries())
    for (const [i, c] of ls.entries()) {
      const [a, b] = [shapes[k]![ls.indexOf(c)]!, shapes[k]![i]!];
      if (a !== b) shapeError(`einsum: index ${c} has sizes ${a} and ${b}`);
    }
  const sizes = new Map<string, number>();
  for (const [k, ls] of labels.entries())
    for (const [i, c] of ls.entries()) {
      const n = shapes[k]![i]!;
      const prev = sizes.get(c);
      if (prev !== undefined && prev !== n && prev !== 1 && n !== 1)
        shapeError(`einsum: index ${shown(c)} has sizes ${prev} and ${n}`);
      sizes.set(c, prev === undefined || prev === 1 ? n : prev);
    }
  const ellipsis = [...sizes.keys()]
    .filter((c) => c.startsWith('…'))
    .sort()
    .reverse();
  const output = outputLabels(spec, rhs, labels, ellipsis);
  for (const c of output) if (!sizes.has(c)) shapeError(`einsum: output index ${c} is not in any input`);
  return { labels, sizes, output, shape: output.map((c) => sizes.get(c)!) };
}
