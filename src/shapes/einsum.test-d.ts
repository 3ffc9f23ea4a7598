import { expectTypeOf, test } from 'vitest';
import { assertEqual } from '../../test/type-equal.ts';
import type { Einsum, EinsumCheck } from './einsum.ts';

test('einsum: explicit outputs from the operand dims', () => {
  assertEqual<Einsum<'ij,jk->ik', [[2, 3], [3, 4]]>, [2, 4]>();
  assertEqual<Einsum<'bij,bjk->bik', [[8, 2, 3], [8, 3, 5]]>, [8, 2, 5]>();
  assertEqual<Einsum<'ij->ji', [[2, 3]]>, [3, 2]>();
  assertEqual<Einsum<'ij->', [[2, 3]]>, []>();
  assertEqual<Einsum<' ij , jk -> ki ', [[2, 3], [3, 1]]>, [1, 2]>();
  assertEqual<Einsum<'ij,jk,kl->il', [[2, 3], [3, 4], [4, 5]]>, [2, 5]>();
  assertEqual<Einsum<'i,j->ij', [[2], [3]]>, [2, 3]>();
});

test('einsum: implicit output, repeated indices, ellipsis, size-1 broadcasting', () => {
  assertEqual<Einsum<'ij,jk', [[2, 3], [3, 4]]>, [2, 4]>();
  assertEqual<Einsum<'ba', [[2, 3]]>, [3, 2]>();
  assertEqual<Einsum<'ii->i', [[4, 4]]>, [4]>();
  assertEqual<Einsum<'ii->', [[4, 4]]>, []>();
  assertEqual<Einsum<'ii', [[4, 4]]>, []>();
  assertEqual<Einsum<'...ij,...jk->...ik', [[7, 2, 3], [3, 4]]>, [7, 2, 4]>();
  assertEqual<Einsum<'...ij,...jk', [[6, 1, 2, 3], [5, 3, 4]]>, [6, 5, 2, 4]>();
  assertEqual<Einsum<'i...->...', [[2, 3, 4]]>, [3, 4]>();
  assertEqual<Einsum<'ij,ij->i', [[1, 3], [5, 3]]>, [5]>();
});

test('einsum: named and dynamic dims; a spec that is not a literal', () => {
  assertEqual<Einsum<'bi,ij->bj', [['B', 3], [3, 4]]>, ['B', 4]>();
  assertEqual<Einsum<'bi,ij->bj', [[number, 3], [number, 4]]>, [number, 4]>();
  assertEqual<Einsum<string, [[2, 3]]>, number[]>();
  assertEqual<Einsum<'ij->j', [number[]]>, number[]>();
});

function insideGeneric<B extends number, T extends string>() {
  assertEqual<Einsum<'bi,ij->bj', [[B, 3], [3, 4]]>, [B, 4]>();
  assertEqual<EinsumCheck<'bi,ij->bj', [[B, 3], [3, 4]]>, unknown>();
  assertEqual<Einsum<'tbi,tbj->bij', [[T, B, 3], [T, B, 4]]>, [B, 3, 4]>();
  assertEqual<Einsum<'...i,i->...', [[T, B, 3], [3]]>, [T, B]>();
}

test('einsum: conflicting sizes and bad specs are errors naming einsum', () => {
  type Msg<C> = C extends { __shapeError: infer M } ? M : never;
  assertEqual<Msg<EinsumCheck<'ij,jk->ik', [[2, 3], [4, 5]]>>, 'einsum: index j has sizes 3 and 4'>();
  assertEqual<Msg<EinsumCheck<'ii->i', [[3, 4]]>>, 'einsum: index i has sizes 3 and 4'>();
  assertEqual<Msg<EinsumCheck<'...i,...i', [[2, 3], [4, 3]]>>, 'einsum: index ... has sizes 2 and 4'>();
  assertEqual<Msg<EinsumCheck<'ij,jk', [[2, 3]]>>, "einsum: 'ij,jk' names 2 operands, got 1">();
  assertEqual<Msg<EinsumCheck<'ijk->i', [[2, 3]]>>, "einsum: 'ijk' has 3 indices but operand 0 has rank 2">();
  assertEqual<Msg<EinsumCheck<'ij->ii', [[2, 3]]>>, "einsum: output 'ii' repeats an index">();
  assertEqual<Msg<EinsumCheck<'ij->k', [[2, 3]]>>, 'einsum: output index k is not in any input'>();
  assertEqual<
    Msg<EinsumCheck<'i-j->i', [[2, 3]]>>,
    "einsum: cannot parse 'i-j->i': term 'i-j' (letters and at most one '...')"
  >();
  expectTypeOf(insideGeneric).toBeFunction();
});
