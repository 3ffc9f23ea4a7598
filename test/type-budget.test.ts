import { expect, test } from 'vitest';
import { measureInstantiations, readBudget } from '../scripts/type-budget.ts';

test('shape type tests and the LeNet-5 sample stay within the type instantiation budget', () => {
  expect(measureInstantiations()).toBeLessThanOrEqual(readBudget());
}, 120_000);
