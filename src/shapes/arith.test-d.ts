import { expectTypeOf, test } from 'vitest';
import { assertEqual } from '../../test/type-equal.ts';
import type {
  Add,
  CeilDiv,
  Compare,
  Eq,
  FloorDiv,
  Gt,
  IsIntLiteral,
  Lt,
  Max,
  Min,
  Mod,
  Mul,
  Product,
  Sub,
} from './arith.ts';

test('add and sub, signed, exact to 2^53 - 1', () => {
  assertEqual<Add<123, 989>, 1112>();
  assertEqual<Add<-5, 3>, -2>();
  assertEqual<Add<0, 0>, 0>();
  assertEqual<Add<9007199254740990, 1>, 9007199254740991>();
  assertEqual<Sub<1, 100>, -99>();
  assertEqual<Sub<1000000, 999999>, 1>();
  assertEqual<Sub<-3, -3>, 0>();
});

test('mul, floor division and mod as in Python', () => {
  assertEqual<Mul<60000, 784>, 47040000>();
  assertEqual<Mul<-3, 7>, -21>();
  assertEqual<Mul<94906265, 94906265>, 9007199136250225>();
  assertEqual<FloorDiv<47040000, 784>, 60000>();
  assertEqual<FloorDiv<-7, 2>, -4>();
  assertEqual<FloorDiv<-7, -2>, 3>();
  assertEqual<FloorDiv<9007199254740991, 3>, 3002399751580330>();
  assertEqual<CeilDiv<7, 2>, 4>();
  assertEqual<CeilDiv<-7, 2>, -3>();
  assertEqual<Mod<-7, 3>, 2>();
  assertEqual<Mod<7, -3>, -2>();
});

test('comparisons', () => {
  assertEqual<Compare<3, 5>, -1>();
  assertEqual<Compare<-5, -3>, -1>();
  assertEqual<Compare<100, 100>, 0>();
  assertEqual<Compare<1000, 999>, 1>();
  assertEqual<Lt<2, 10>, true>();
  assertEqual<Gt<2, 10>, false>();
  assertEqual<Eq<7, 7>, true>();
  assertEqual<Max<3, 9>, 9>();
  assertEqual<Min<-3, 9>, -3>();
});

test('non-literals and results beyond 2^53 - 1 give number', () => {
  assertEqual<Add<number, 1>, number>();
  assertEqual<Add<9007199254740991, 1>, number>();
  assertEqual<Mul<1.5, 2>, number>();
  assertEqual<Mul<1e21, 2>, number>();
  assertEqual<FloorDiv<5, 0>, number>();
  assertEqual<Compare<number, 1>, number>();
  assertEqual<Lt<number, 1>, boolean>();
  assertEqual<IsIntLiteral<12>, true>();
  assertEqual<IsIntLiteral<number>, false>();
});

test('identities give the other operand itself, before any digit arithmetic', () => {
  assertEqual<Mul<7, 1>, 7>();
  assertEqual<Mul<1, 7>, 7>();
  assertEqual<Mul<1, 1>, 1>();
  assertEqual<Mul<number, 1>, number>();
  assertEqual<Add<0, -4>, -4>();
  assertEqual<Sub<-4, 0>, -4>();
  assertEqual<FloorDiv<-7, 1>, -7>();
  assertEqual<CeilDiv<-7, 1>, -7>();
  // exact even where the digit arithmetic gives up: 1e21 * 1 is 1e21
  assertEqual<Mul<1e21, 1>, 1e21>();
  // a union operand distributes as before rather than taking the identity
  assertEqual<Mul<3, 1 | 2>, 3 | 6>();
  assertEqual<FloorDiv<10, 1 | 2>, 5 | 10>();
});

// Inside a function generic in I, the identities resolve (the digit arithmetic is deferred).
function identitiesInsideGeneric<I extends number, O extends number>() {
  assertEqual<FloorDiv<I, 1>, I>();
  assertEqual<CeilDiv<I, 1>, I>();
  assertEqual<Mul<I, 1>, I>();
  assertEqual<Mul<1, I>, I>();
  assertEqual<Add<I, 0>, I>();
  assertEqual<Add<0, I>, I>();
  assertEqual<Sub<I, 0>, I>();
  assertEqual<Product<[I]>, I>();
  assertEqual<Product<[1, I, 1]>, I>();
  assertEqual<Product<[I, 'B']>, number>();
  // not an identity: stays the deferred operator, not I or O
  assertEqual<Mul<I, O>, Mul<I, O>>();
}

test('identities resolve for a generic operand', () => {
  expectTypeOf(identitiesInsideGeneric).toBeFunction();
});

test('product of a shape', () => {
  assertEqual<Product<[60000, 28, 28]>, 47040000>();
  assertEqual<Product<[]>, 1>();
  assertEqual<Product<readonly [2, 3]>, 6>();
  assertEqual<Product<['B', 2]>, number>();
  assertEqual<Product<number[]>, number>();
});
