import { test } from 'vitest';
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
  assertEqual<Mul<1e21, 1>, number>();
  assertEqual<FloorDiv<5, 0>, number>();
  assertEqual<Compare<number, 1>, number>();
  assertEqual<Lt<number, 1>, boolean>();
  assertEqual<IsIntLiteral<12>, true>();
  assertEqual<IsIntLiteral<number>, false>();
});

test('product of a shape', () => {
  assertEqual<Product<[60000, 28, 28]>, 47040000>();
  assertEqual<Product<[]>, 1>();
  assertEqual<Product<readonly [2, 3]>, 6>();
  assertEqual<Product<['B', 2]>, number>();
  assertEqual<Product<number[]>, number>();
});
