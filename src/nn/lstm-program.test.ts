import { describe, expect, it } from 'vitest';
import { grad, jit, makeJaxpr, mean, random, type Scalar, type Tensor } from '../index.ts';
import { lstm } from './recurrent.ts';

const T = 100;
const B = 2;
const F = 3;
const H = 4;

function scanCount(program: string): number {
  return (program.match(/= scan /g) ?? []).length;
}

describe('an LSTM over 100 steps is one scan primitive', () => {
  const params = lstm.init(random.key(0), { in: F, hidden: H });
  const xs = random.normal(random.key(1), [T, B, F]);
  const loss = (p: typeof params, x: Tensor<[number, number, number], 'f32'>) =>
    mean(lstm(p, x)[0]) as Scalar;

  it('forward: one scan, a handful of equations (not 100 unrolled cells)', () => {
    const program = makeJaxpr(loss)(params, xs);
    expect(scanCount(program)).toBe(1);
    expect(program.split('\n').length).toBeLessThan(40);
  });

  it('under jit(grad): a forward scan and a reversed backward scan, still independent of T', () => {
    const program = makeJaxpr(jit(grad(loss)))(params, xs);
    expect(scanCount(program)).toBeLessThanOrEqual(3);
    expect(program.split('\n').length).toBeLessThan(120);
  });
});
