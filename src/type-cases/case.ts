/**
 * Type tests of the public ops and layers as data (one row per public name), compiled by
 * coverage.test.ts with TypeScript 5.9 and 7:
 *
 * - `ok`: statements that must compile inside `function f<B extends K, T extends K>()`, once
 *   with K = number and once with K = string (named dims), asserting exact result types with
 *   `same(expr)(t<[...]>())`; `t<S, D>()` makes a tensor of that type, `dim<B>()` a dim value.
 * - `bad`: statements inside `function f<B extends number, T extends number>()` whose lines
 *   tagged `// ERR: <message>` must fail with that message (naming the op and both dims),
 *   and no other line may fail.
 * - `noBad`: why a row has no negative case (an op without a shape rule).
 */
export interface TypeCase {
  /** the public name: `matmul`, `nn.dense` */
  readonly name: string;
  readonly ok: string;
  readonly bad?: string;
  readonly noBad?: string;
}

/** Imports and helpers shared by every generated snippet. */
export const typeCaseHeader = `import * as tg from '#typegrad';
import { nn, random, type DType, type Shape, type Tensor } from '#typegrad';
const t = <S extends Shape, D extends DType = 'f32'>() => ({}) as Tensor<S, D>;
const dim = <N>() => 0 as unknown as N;
const same = <A>(a: A) => <X extends A>(_b: X & (A extends X ? unknown : never)) => true;
const key = random.key(0);
`;

/** One row per statement block, so an error's line tells which row it belongs to. */
export interface Section {
  readonly name: string;
  /** 1-based lines [from, to] of the row in the generated snippet */
  readonly from: number;
  readonly to: number;
}

/** Builds one snippet holding every row's block (`ok` or `bad`) as its own generic function. */
export function buildSnippet(
  rows: readonly TypeCase[],
  pick: (c: TypeCase) => string | undefined,
  dim: 'number' | 'string',
): { code: string; sections: Section[] } {
  let code = typeCaseHeader;
  const sections: Section[] = [];
  rows.forEach((c, i) => {
    const body = pick(c);
    if (body === undefined) return;
    const from = code.split('\n').length;
    code += `export function case${i}<B extends ${dim}, T extends ${dim}>() {\n${body.trim()}\n}\n`;
    sections.push({ name: c.name, from, to: code.split('\n').length - 1 });
  });
  return { code, sections };
}
