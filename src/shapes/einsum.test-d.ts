import { expectTypeOf, test } from 'vitest';
import { assertEqual } from '../../test/type-equal.ts';
import type { Einsum, EinsumCheck } from './einsum.ts';

test('einsum: explicit outputs from the operand dims', () => {
  expectTypeOf<Einsum<'ij,jk->ik', [[2, 3], [3, 4]]>>().toEqualTypeOf<[2, 4]>();
  expectTypeOf<Einsum<'bij,bjk->bik', [[8, 2, 3], [8, 3, 5]]>>().toEqualTypeOf<[8, 2, 5]>();
  expectTypeOf<Einsum<'ij->ji', [[2, 3]]>>().toEqualTypeOf<[3, 2]>();
  expectTypeOf<Einsum<'ij->', [[2, 3]]>>().toEqualTypeOf<[]>();
  expectTypeOf<Einsum<' ij , jk -> ki ', [[2, 3], [3, 1]]>>().toEqualTypeOf<[1, 2]>();
  expectTypeOf<Einsum<'ij,jk,kl->il', [[2, 3], [3, 4], [4, 5]]>>().toEqualTypeOf<[2, 5]>();
  expectTypeOf<Einsum<'i,j->ij', [[2], [3]]>>().toEqualTypeOf<[2, 3]>();
});

test('einsum: implicit output, repeated indices, ellipsis, size-1 broadcasting', () => {
  assertEqual<Einsum<'ij,jk', [[2, 3], [3, 4]]>, [2, 4]>();
  assertEqual<Einsum<'ba', [[2, 3]]>, [3, 2]>();
  expectTypeOf<Einsum<'ii->i', [[4, 4]]>>().toEqualTypeOf<[4]>();
  expectTypeOf<Einsum<'ii->', [[4, 4]]>>().toEqualTypeOf<[]>();
  assertEqual<Einsum<'ii', [[4, 4]]>, []>();
  expectTypeOf<Einsum<'...ij,...jk->...ik', [[7, 2, 3], [3, 4]]>>().toEqualTypeOf<[7, 2, 4]>();
  assertEqual<Einsum<'...ij,...jk', [[6, 1, 2, 3], [5, 3, 4]]>, [6, 5, 2, 4]>();
  expectTypeOf<Einsum<'i...->...', [[2, 3, 4]]>>().toEqualTypeOf<[3, 4]>();
  expectTypeOf<Einsum<'ij,ij->i', [[1, 3], [5, 3]]>>().toEqualTypeOf<[5]>();
});

test('einsum: named and dynamic dims; a spec that is not a literal', () => {
  expectTypeOf<Einsum<'bi,ij->bj', [['B', 3], [3, 4]]>>().toEqualTypeOf<['B', 4]>();
  expectTypeOf<Einsum<'bi,ij->bj', [[number, 3], [number, 4]]>>().toEqualTypeOf<[number, 4]>();
  assertEqual<Einsum<string, [[2, 3]]>, number[]>();
  expectTypeOf<Einsum<'ij->j', [number[]]>>().toEqualTypeOf<number[]>();
});

function insideGeneric<B extends number, T extends string>() {
  expectTypeOf<Einsum<'bi,ij->bj', [[B, 3], [3, 4]]>>().toEqualTypeOf<[B, 4]>();
  expectTypeOf<EinsumCheck<'bi,ij->bj', [[B, 3], [3, 4]]>>().toEqualTypeOf<unknown>();
  expectTypeOf<Einsum<'tbi,tbj->bij', [[T, B, 3], [T, B, 4]]>>().toEqualTypeOf<[B, 3, 4]>();
  expectTypeOf<Einsum<'...i,i->...', [[T, B, 3], [3]]>>().toEqualTypeOf<[T, B]>();
}

test('einsum: conflicting sizes and bad specs are errors naming einsum', () => {
  type Msg<C> = C extends { __shapeError: infer M } ? M : never;
  expectTypeOf<
    Msg<EinsumCheck<'ij,jk->ik', [[2, 3], [4, 5]]>>
  >().toEqualTypeOf<'einsum: index j has sizes 3 and 4'>();
  expectTypeOf<Msg<EinsumCheck<'ii->i', [[3, 4]]>>>().toEqualTypeOf<'einsum: index i has sizes 3 and 4'>();
  assertEqual<Msg<EinsumCheck<'...i,...i', [[2, 3], [4, 3]]>>, 'einsum: index ... has sizes 2 and 4'>();
  assertEqual<Msg<EinsumCheck<'ij,jk', [[2, 3]]>>, "einsum: 'ij,jk' names 2 operands, got 1">();
  expectTypeOf<
    Msg<EinsumCheck<'ijk->i', [[2, 3]]>>
  >().toEqualTypeOf<"einsum: 'ijk' has 3 indices but operand 0 has rank 2">();
  expectTypeOf<
    Msg<EinsumCheck<'ij->ii', [[2, 3]]>>
  >().toEqualTypeOf<"einsum: output 'ii' repeats an index">();
  expectTypeOf<
    Msg<EinsumCheck<'ij->k', [[2, 3]]>>
  >().toEqualTypeOf<'einsum: output index k is not in any input'>();
  expectTypeOf<
    Msg<EinsumCheck<'i-j->i', [[2, 3]]>>
  >().toEqualTypeOf<"einsum: cannot parse 'i-j->i': term 'i-j' (letters and at most one '...')">();
  expectTypeOf(insideGeneric).toBeFunction();
});
