/**
 * split, flip, pad with negative widths (cropping) and einsum with repeated indices, ellipsis,
 * implicit output and three operands, on every backend. Known values are numpy's/PyTorch's
 * definitions written out (diagonal, trace, chained matmul), checked against small JS loops.
 */
import { it as cpuIt, describe, expect } from 'vitest';
import { backendsUnderTest, expectT, useBackend } from '../../test/backends/helpers.ts';
import type { Tensor } from '../index.ts';
import { einsum, flip, grad, matmul, pad, split, sum, tensor } from '../index.ts';

const BACKENDS = await backendsUnderTest();
const f32 = <const S extends number[]>(xs: readonly number[], shape: S) =>
  tensor(Float32Array.from(xs), shape) as unknown as Tensor<S, 'f32'>;
const iota = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe.each(BACKENDS)('shape ops on $name', (backend) => {
  const it = useBackend(backend);

  it('split by count and by sizes, along any axis; the pieces get their gradient', async () => {
    const x = f32(iota(6), [2, 3]);
    const [a, b, c] = split(x, 3, { axis: 1 });
    await expectT(a!, [2, 1], [1, 4]);
    await expectT(b!, [2, 1], [2, 5]);
    await expectT(c!, [2, 1], [3, 6]);
    const [p, q] = split(x, [1, 2], { axis: -1 });
    await expectT(p!, [2, 1], [1, 4]);
    await expectT(q!, [2, 2], [2, 3, 5, 6]);
    const [top] = split(x, 2);
    await expectT(top!, [1, 3], [1, 2, 3]);
    const g = grad((v: Tensor<[2, 3], 'f32'>) => sum(split(v, [1, 2], { axis: 1 })[1]!))(x);
    await expectT(g, [2, 3], [0, 1, 1, 0, 1, 1]);
  });

  it('flip along one or several axes', async () => {
    const x = f32(iota(6), [2, 3]);
    await expectT(flip(x, 1), [2, 3], [3, 2, 1, 6, 5, 4]);
    await expectT(flip(x, [0, -1]), [2, 3], [6, 5, 4, 3, 2, 1]);
  });

  it('pad with negative widths crops (PyTorch F.pad), also mixed with padding and a value', async () => {
    await expectT(pad(f32([1, 2, 3, 4], [4]), [[1, -2]]), [3], [0, 1, 2]);
    const x = f32(iota(6), [2, 3]);
    await expectT(
      pad(
        x,
        [
          [-1, 1],
          [1, -2],
        ],
        { value: 9 },
      ),
      [2, 2],
      [9, 4, 9, 9],
    );
    const g = grad((v: Tensor<[4], 'f32'>) => sum(pad(v, [[-1, -1]])))(f32([1, 2, 3, 4], [4]));
    await expectT(g, [4], [0, 1, 1, 0]);
  });

  it('einsum: trace, diagonal, ellipsis, implicit output, three operands', async () => {
    const m = f32(iota(9), [3, 3]);
    await expectT(einsum('ii->', m), [], [1 + 5 + 9]);
    await expectT(einsum('ii->i', m), [3], [1, 5, 9]);
    await expectT(einsum('ii', m), [], [15]); // implicit: no index appears once
    await expectT(einsum('ij', m), [3, 3], iota(9)); // implicit: i, j in order
    await expectT(einsum('ji', m), [3, 3], [1, 4, 7, 2, 5, 8, 3, 6, 9]);
    const a = f32(iota(6), [2, 3]);
    const b = f32(iota(12), [3, 4]);
    const c = f32(iota(8), [4, 2]);
    const abc = matmul(matmul(a, b), c);
    await expectT(einsum('ij,jk,kl->il', a, b, c), [2, 2], Array.from(await abc.data()));
    await expectT(einsum('ij,jk,kl', a, b, c), [2, 2], Array.from(await abc.data()));
    const batch = f32(iota(12), [2, 2, 3]);
    const bb = matmul(batch, b);
    await expectT(einsum('...ij,jk->...ik', batch, b), [2, 2, 4], Array.from(await bb.data()));
    // ellipsis broadcasting a size-1 dim, and a batched diagonal
    const one = f32(iota(6), [1, 2, 3]);
    await expectT(
      einsum('...ij,...ij->...', one, batch),
      [2],
      [1 * 1 + 2 * 2 + 3 * 3 + 4 * 4 + 5 * 5 + 6 * 6, 1 * 7 + 2 * 8 + 3 * 9 + 4 * 10 + 5 * 11 + 6 * 12],
    );
    const sq = f32(iota(8), [2, 2, 2]);
    await expectT(einsum('bii->bi', sq), [2, 2], [1, 4, 5, 8]);
    const gt = grad((v: Tensor<[3, 3], 'f32'>) => einsum('ii->', v) as Tensor<[], 'f32'>)(m);
    await expectT(gt, [3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
});

describe('shape ops: bad input (CPU)', () => {
  cpuIt('split and flip name the op and the value', () => {
    const x = f32(iota(6), [2, 3]);
    // @ts-expect-error: the shape types reject it too
    expect(() => split(x, 2, { axis: 1 })).toThrow(
      'split: axis 1 of size 3 does not split into 2 equal pieces',
    );
    // @ts-expect-error: the shape types reject it too
    expect(() => split(x, [1, 1], { axis: 1 })).toThrow('split: sizes [1, 1] sum to 2, not the axis size 3');
    expect(() => split(x, 0)).toThrow('split: the number of pieces must be a positive integer, got 0');
    // @ts-expect-error: the shape types reject it too
    expect(() => flip(x, [1, -1])).toThrow('flip: axes 1 and -1 are the same axis');
    // @ts-expect-error: the shape types reject it too
    expect(() => flip(x, 2)).toThrow('flip: axis 2 is out of range for rank 2');
    // @ts-expect-error: the shape types reject it too
    expect(() => einsum('ii->i', x)).toThrow('einsum: index i has sizes 2 and 3');
  });
});
