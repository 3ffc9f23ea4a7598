import { expectTypeOf, test } from 'vitest';
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
  expectTypeOf<Add<123, 989>>().toEqualTypeOf<1112>();
  expectTypeOf<Add<-5, 3>>().toEqualTypeOf<-2>();
  expectTypeOf<Add<0, 0>>().toEqualTypeOf<0>();
  expectTypeOf<Add<9007199254740990, 1>>().toEqualTypeOf<9007199254740991>();
  expectTypeOf<Sub<1, 100>>().toEqualTypeOf<-99>();
  expectTypeOf<Sub<1000000, 999999>>().toEqualTypeOf<1>();
  expectTypeOf<Sub<-3, -3>>().toEqualTypeOf<0>();
});

test('mul, floor division and mod as in Python', () => {
  expectTypeOf<Mul<60000, 784>>().toEqualTypeOf<47040000>();
  expectTypeOf<Mul<-3, 7>>().toEqualTypeOf<-21>();
  expectTypeOf<Mul<94906265, 94906265>>().toEqualTypeOf<9007199136250225>();
  expectTypeOf<FloorDiv<47040000, 784>>().toEqualTypeOf<60000>();
  expectTypeOf<FloorDiv<-7, 2>>().toEqualTypeOf<-4>();
  expectTypeOf<FloorDiv<-7, -2>>().toEqualTypeOf<3>();
  expectTypeOf<FloorDiv<9007199254740991, 3>>().toEqualTypeOf<3002399751580330>();
  expectTypeOf<CeilDiv<7, 2>>().toEqualTypeOf<4>();
  expectTypeOf<CeilDiv<-7, 2>>().toEqualTypeOf<-3>();
  expectTypeOf<Mod<-7, 3>>().toEqualTypeOf<2>();
  expectTypeOf<Mod<7, -3>>().toEqualTypeOf<-2>();
});

test('comparisons', () => {
  expectTypeOf<Compare<3, 5>>().toEqualTypeOf<-1>();
  expectTypeOf<Compare<-5, -3>>().toEqualTypeOf<-1>();
  expectTypeOf<Compare<100, 100>>().toEqualTypeOf<0>();
  expectTypeOf<Compare<1000, 999>>().toEqualTypeOf<1>();
  expectTypeOf<Lt<2, 10>>().toEqualTypeOf<true>();
  expectTypeOf<Gt<2, 10>>().toEqualTypeOf<false>();
  expectTypeOf<Eq<7, 7>>().toEqualTypeOf<true>();
  expectTypeOf<Max<3, 9>>().toEqualTypeOf<9>();
  expectTypeOf<Min<-3, 9>>().toEqualTypeOf<-3>();
});

test('non-literals and results beyond 2^53 - 1 give number', () => {
  expectTypeOf<Add<number, 1>>().toEqualTypeOf<number>();
  expectTypeOf<Add<9007199254740991, 1>>().toEqualTypeOf<number>();
  expectTypeOf<Mul<1.5, 2>>().toEqualTypeOf<number>();
  expectTypeOf<Mul<1e21, 1>>().toEqualTypeOf<number>();
  expectTypeOf<FloorDiv<5, 0>>().toEqualTypeOf<number>();
  expectTypeOf<Compare<number, 1>>().toEqualTypeOf<number>();
  expectTypeOf<Lt<number, 1>>().toEqualTypeOf<boolean>();
  expectTypeOf<IsIntLiteral<12>>().toEqualTypeOf<true>();
  expectTypeOf<IsIntLiteral<number>>().toEqualTypeOf<false>();
});

test('product of a shape', () => {
  expectTypeOf<Product<[60000, 28, 28]>>().toEqualTypeOf<47040000>();
  expectTypeOf<Product<[]>>().toEqualTypeOf<1>();
  expectTypeOf<Product<readonly [2, 3]>>().toEqualTypeOf<6>();
  expectTypeOf<Product<['B', 2]>>().toEqualTypeOf<number>();
  expectTypeOf<Product<number[]>>().toEqualTypeOf<number>();
});
