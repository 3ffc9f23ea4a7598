/**
 * Known values of the shape ops on every backend (`describe.each` over test/backends'
 * backends, values read with `await t.data()` / `toNested`); bad-input cases, which throw
 * before any kernel runs, stay CPU-only at the end.
 */
import { describe, expect, it } from 'vitest';
import { backendsUnderTest, expectT, toNested, useBackend, values } from '../../test/backends/helpers.ts';
import {
  arange,
  broadcastTo,
  concat,
  expandDims,
  flatten,
  oneHot,
  pad,
  reshape,
  ShapeError,
  slice,
  squeeze,
  stack,
  type Tensor,
  take,
  takeAlongAxis,
  tensor,
  transpose,
  zeros,
} from '../index.ts';

const i32 = (xs: number[]) => tensor(xs, { dtype: 'i32' });
/** [[0, 1, 2], [3, 4, 5]] */
const m23 = () => reshape(arange(0, 6, { step: 1, dtype: 'f32' }), [2, 3]);
/** arange(24).reshape(2, 3, 4) */
const cube = () => reshape(arange(0, 24, { step: 1, dtype: 'f32' }), [2, 3, 4]);
/** A tensor whose static shape is unknown, for run-time checks that types would catch. */
const dyn = <D extends Tensor>(t: D) => t as unknown as Tensor<number[], 'f32'>;
const BACKENDS = await backendsUnderTest();

describe.each(BACKENDS)('shape ops on $name', (backend) => {
  const it = useBackend(backend);

  describe('reshape', () => {
    it('keeps row-major order and infers one -1', async () => {
      const r = reshape(arange(0, 24, { step: 1, dtype: 'f32' }), [-1, 4]);
      expect(r.shape).toEqual([6, 4]);
      expect(await values(r)).toEqual(await values(arange(0, 24, { step: 1, dtype: 'f32' })));
      expect(reshape(cube(), [4, -1]).shape).toEqual([4, 6]);
      expect(reshape(tensor([5]), []).shape).toEqual([]);
    });
  });

  describe('transpose', () => {
    it('reverses axes by default, or follows a permutation (negative axes allowed)', async () => {
      expect(await toNested(transpose(m23()))).toEqual([
        [0, 3],
        [1, 4],
        [2, 5],
      ]);
      const p = transpose(cube(), { perm: [1, 0, 2] });
      expect(p.shape).toEqual([3, 2, 4]);
      // numpy: arange(24).reshape(2,3,4).transpose(1,0,2)[1, 1] = [16, 17, 18, 19]
      expect((await values(p)).slice(12, 16)).toEqual([16, 17, 18, 19]);
      const q = transpose(cube(), { perm: [-1, 0, 1] });
      expect(q.shape).toEqual([4, 2, 3]);
      expect((await values(q)).slice(0, 6)).toEqual([0, 4, 8, 12, 16, 20]);
    });
  });

  describe('flatten / expandDims / squeeze', () => {
    it('flatten ranges', async () => {
      expect(flatten(cube()).shape).toEqual([24]);
      expect(flatten(cube(), { startAxis: 1 }).shape).toEqual([2, 12]);
      expect(flatten(cube(), { startAxis: 0, endAxis: 1 }).shape).toEqual([6, 4]);
      expect(flatten(cube(), { startAxis: -2, endAxis: -1 }).shape).toEqual([2, 12]);
      expect(await values(flatten(cube(), { startAxis: 1 }))).toEqual(await values(cube()));
    });

    it('expandDims at the front, the end, negative positions', () => {
      expect(expandDims(m23(), 0).shape).toEqual([1, 2, 3]);
      expect(expandDims(m23(), -1).shape).toEqual([2, 3, 1]);
      expect(expandDims(m23(), 1).shape).toEqual([2, 1, 3]);
      expect(() => expandDims(dyn(m23()), 4)).toThrow('expandDims: axis 4 is out of range for rank 3');
    });

    it('squeeze all size-1 axes or the given ones', () => {
      expect(squeeze(zeros([1, 2, 1])).shape).toEqual([2]);
      expect(squeeze(zeros([1, 2, 1]), { axis: -1 }).shape).toEqual([1, 2]);
      expect(squeeze(zeros([1, 2, 1]), { axis: [0, 2] }).shape).toEqual([2]);
      expect(() => squeeze(dyn(zeros([1, 2, 1])), { axis: 1 })).toThrow(
        'squeeze: axis 1 has size 2 and not 1',
      );
    });
  });

  describe('broadcastTo', () => {
    it('repeats along new and size-1 axes', async () => {
      expect(await toNested(broadcastTo(tensor([1, 2, 3]), [2, 3]))).toEqual([
        [1, 2, 3],
        [1, 2, 3],
      ]);
      expect(await toNested(broadcastTo(tensor([[1], [2]]), [2, 2]))).toEqual([
        [1, 1],
        [2, 2],
      ]);
    });
  });

  describe('concat / stack', () => {
    it('concat along an axis (negative allowed)', async () => {
      expect(await toNested(concat([m23(), m23()], { axis: 1 }))).toEqual([
        [0, 1, 2, 0, 1, 2],
        [3, 4, 5, 3, 4, 5],
      ]);
      expect(concat([m23(), zeros([1, 3])], { axis: -2 }).shape).toEqual([3, 3]);
      expect(await values(concat([tensor([1]), tensor([2, 3])]))).toEqual([1, 2, 3]);
    });

    it('concat and stack promote mixed dtypes (numpy)', async () => {
      const c = concat([i32([1]), tensor([2.5])]);
      expect(c.dtype).toBe('f32');
      expect(await values(c)).toEqual([1, 2.5]);
      const s = stack([tensor([1, 2]), i32([3, 4])]);
      expect(s.dtype).toBe('f32');
      expect(await values(s)).toEqual([1, 2, 3, 4]);
    });

    it('stack along a new axis (0, 1, -1)', async () => {
      const a = tensor([1, 2]);
      const b = tensor([3, 4]);
      expect(await toNested(stack([a, b]))).toEqual([
        [1, 2],
        [3, 4],
      ]);
      expect(await toNested(stack([a, b], { axis: 1 }))).toEqual([
        [1, 3],
        [2, 4],
      ]);
      expect(await toNested(stack([a, b], { axis: -1 }))).toEqual([
        [1, 3],
        [2, 4],
      ]);
    });
  });

  describe('slice', () => {
    it('python slice semantics: ranges, negative bounds, steps, clamping', async () => {
      expect(await toNested(slice(m23(), [[0, 1], [1]]))).toEqual([[1, 2]]);
      expect(await toNested(slice(m23(), [null, [-2]]))).toEqual([
        [1, 2],
        [4, 5],
      ]);
      const ten = arange(0, 10, { step: 1, dtype: 'f32' });
      expect(await values(slice(ten, [[1, 8, 3]]))).toEqual([1, 4, 7]);
      expect(await values(slice(ten, [[-3]]))).toEqual([7, 8, 9]);
      expect(await values(slice(ten, [[-100, 100]]))).toEqual(await values(ten));
      expect(slice(m23(), [[1, 1]]).shape).toEqual([0, 3]);
    });

    it('negative steps walk backwards (x[::-1], x[8:1:-3])', async () => {
      expect(await toNested(slice(m23(), [null, [undefined, undefined, -1]]))).toEqual([
        [2, 1, 0],
        [5, 4, 3],
      ]);
      const ten = arange(0, 10, { step: 1, dtype: 'f32' });
      expect(await values(slice(ten, [[8, 1, -3]]))).toEqual([8, 5, 2]);
      expect(await values(slice(ten, [[undefined, undefined, -4]]))).toEqual([9, 5, 1]);
    });

    it('an integer index drops the axis (negative counts from the end)', async () => {
      const r = slice(m23(), [1]);
      expect(r.shape).toEqual([3]);
      expect(await values(r)).toEqual([3, 4, 5]);
      expect(await values(slice(m23(), [null, -1]))).toEqual([2, 5]);
      expect(slice(m23(), [0, 0]).shape).toEqual([]);
    });
  });

  describe('pad', () => {
    it('pads with zeros or a value, keeping the dtype', async () => {
      expect(
        await toNested(
          pad(tensor([[1, 2]]), [
            [1, 0],
            [0, 2],
          ]),
        ),
      ).toEqual([
        [0, 0, 0, 0],
        [1, 2, 0, 0],
      ]);
      expect(await values(pad(tensor([1, 2]), [[1, 1]], { value: -1 }))).toEqual([-1, 1, 2, -1]);
      const i = pad(i32([1, 2]), [[1, 0]], { value: 7 });
      expect(i.dtype).toBe('i32');
      expect(await values(i)).toEqual([7, 1, 2]);
    });
  });

  describe('take / takeAlongAxis', () => {
    it('take over the flattened tensor, negative indices count from the end', async () => {
      expect(await values(take(m23(), i32([5, 0, -1])))).toEqual([5, 0, 5]);
    });

    it('take along an axis (numpy.take(x, idx, axis))', async () => {
      expect(await toNested(take(m23(), i32([2, 0]), { axis: 1 }))).toEqual([
        [2, 0],
        [5, 3],
      ]);
      const t = take(m23(), tensor([[1, 0]], { dtype: 'i32' }), { axis: 0 });
      expect(t.shape).toEqual([1, 2, 3]);
      expect(await values(t)).toEqual([3, 4, 5, 0, 1, 2]);
      expect(await toNested(take(m23(), i32([-1]), { axis: -1 }))).toEqual([[2], [5]]);
    });

    it('takeAlongAxis picks one element per position (numpy.take_along_axis)', async () => {
      expect(await toNested(takeAlongAxis(m23(), tensor([[2], [0]], { dtype: 'i32' }), 1))).toEqual([
        [2],
        [3],
      ]);
      expect(await toNested(takeAlongAxis(m23(), tensor([[1, 0, 1]], { dtype: 'i32' }), 0))).toEqual([
        [3, 1, 5],
      ]);
      expect(await toNested(takeAlongAxis(m23(), tensor([[-1], [-3]], { dtype: 'i32' }), -1))).toEqual([
        [2],
        [3],
      ]);
      // The argmax-gather idiom: values at the argmax of each row.
      expect(
        await toNested(
          takeAlongAxis(
            tensor([
              [1, 9, 3],
              [7, 2, 8],
            ]),
            tensor([[1], [2]], { dtype: 'i32' }),
            1,
          ),
        ),
      ).toEqual([[9], [8]]);
    });
  });

  describe('on small grids (movement and gather, as numpy)', () => {
    const f32 = (data: ArrayLike<number>, shape: number[]) =>
      tensor(Float32Array.from(data), shape) as Tensor<number[], 'f32'>;
    const i32s = (data: ArrayLike<number>, shape: number[]) =>
      tensor(Int32Array.from(data), shape) as Tensor<number[], 'i32'>;

    it('reshape, transpose, broadcast, concat, stack, slice, pad, squeeze, flatten', async () => {
      const x = f32([0, 1, 2, 3, 4, 5], [2, 3]);
      await expectT(reshape(x, [3, 2]), [3, 2], [0, 1, 2, 3, 4, 5]);
      await expectT(transpose(x), [3, 2], [0, 3, 1, 4, 2, 5]);
      await expectT(broadcastTo(f32([1, 2, 3], [3]), [2, 3]), [2, 3], [1, 2, 3, 1, 2, 3]);
      await expectT(concat([x, x], { axis: 1 }), [2, 6], [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]);
      await expectT(stack([x, x], { axis: 0 }), [2, 2, 3], [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]);
      await expectT(slice(x, [null, [0, 3, 2]]), [2, 2], [0, 2, 3, 5]);
      await expectT(slice(x, [1]), [3], [3, 4, 5]);
      await expectT(
        pad(x, [
          [1, 0],
          [0, 1],
        ]),
        [3, 4],
        [0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 5, 0],
      );
      await expectT(
        pad(
          x,
          [
            [0, 0],
            [1, 1],
          ],
          { value: -1 },
        ),
        [2, 5],
        [-1, 0, 1, 2, -1, -1, 3, 4, 5, -1],
      );
      await expectT(squeeze(expandDims(x, 0)), [2, 3], [0, 1, 2, 3, 4, 5]);
      await expectT(flatten(reshape(x, [1, 2, 3]), { startAxis: 1 }), [1, 6], [0, 1, 2, 3, 4, 5]);
      const t3 = reshape(arange(24), [2, 3, 4]);
      await expectT(
        transpose(t3, { perm: [2, 0, 1] }),
        [4, 2, 3],
        Array.from({ length: 24 }, (_, i) => {
          const k = Math.floor(i / 6);
          const a = Math.floor((i % 6) / 3);
          const b = i % 3;
          return a * 12 + b * 4 + k;
        }),
      );
    });

    it('take, oneHot, takeAlongAxis', async () => {
      const x = f32([10, 11, 12, 13, 14, 15], [3, 2]);
      await expectT(take(x, i32s([2, 0], [2]), { axis: 0 }), [2, 2], [14, 15, 10, 11]);
      await expectT(take(x, i32s([5, 1, 3], [3])), [3], [15, 11, 13]);
      await expectT(oneHot(i32s([0, 2, 1], [3]), 3), [3, 3], [1, 0, 0, 0, 0, 1, 0, 1, 0]);
      await expectT(takeAlongAxis(x, i32s([1, 0, 1], [3, 1]), 1), [3, 1], [11, 12, 15]);
    });
  });

  describe('oneHot', () => {
    it('encodes labels along a new last axis (f32 by default)', async () => {
      const o = oneHot(i32([0, 2, 1]), 3);
      expect(o.dtype).toBe('f32');
      expect(await toNested(o)).toEqual([
        [1, 0, 0],
        [0, 0, 1],
        [0, 1, 0],
      ]);
      expect(oneHot(i32([1]), 2, { dtype: 'i32' }).dtype).toBe('i32');
      expect(oneHot(tensor([[0], [1]], { dtype: 'i32' }), 2).shape).toEqual([2, 1, 2]);
    });

    it('labels outside [0, n) give all-zero rows (as jax.nn.one_hot)', async () => {
      expect(await toNested(oneHot(i32([3, -1]), 3))).toEqual([
        [0, 0, 0],
        [0, 0, 0],
      ]);
    });
  });
});

// Bad input: these throw before any kernel runs, so one backend covers them.
describe('shape ops: bad input', () => {
  it('reshape throws the ShapeErrors the types show', () => {
    const x = dyn(arange(0, 24, { step: 1, dtype: 'f32' }));
    expect(() => reshape(x, [5, 5])).toThrow(ShapeError);
    expect(() => reshape(x, [5, 5])).toThrow('reshape: element counts 24 and 25 differ');
    expect(() => reshape(x, [5, -1])).toThrow('reshape: element count 24 is not divisible by 5');
    expect(() => reshape(x, [-1, -1])).toThrow('reshape: -1 appears 2 times');
    expect(() => reshape(x, ['B', 4] as never)).toThrow(/reshape: a run-time target shape must be numbers/);
  });

  it('transpose: bad permutations', () => {
    const x = dyn(m23());
    expect(() => transpose(x, { perm: [0] })).toThrow('transpose: perm length 1 and rank 2 differ');
    expect(() => transpose(x, { perm: [0, 0] })).toThrow('transpose: axes 0 and 0 are the same axis');
    expect(() => transpose(x, { perm: [0, 2] })).toThrow('transpose: axis 2 is out of range for rank 2');
  });

  it('flatten bad axes', () => {
    expect(() => flatten(dyn(cube()), { startAxis: 2, endAxis: 0 })).toThrow(
      'flatten: start axis 2 and end axis 0 are out of order',
    );
    expect(() => flatten(dyn(cube()), { startAxis: 5 })).toThrow(
      'flatten: axis 5 is out of range for rank 3',
    );
  });

  it('broadcastTo rejects shapes it cannot reach', () => {
    expect(() => broadcastTo(dyn(tensor([1, 2, 3])), [3, 2])).toThrow(
      'broadcastTo: dim 3 cannot stretch to 2',
    );
    expect(() => broadcastTo(dyn(zeros([2, 3])), [3])).toThrow('broadcastTo: rank 2 exceeds target rank 1');
    expect(() => broadcastTo(dyn(zeros([2, 3])), [4, 3])).toThrow('broadcastTo: dim 2 cannot stretch to 4');
  });

  it('concat / stack: mismatched dims, no tensors, axis out of range', () => {
    expect(() => concat([dyn(m23()), dyn(zeros([2, 2]))], { axis: 0 })).toThrow(
      'concat: dims 3 and 2 at axis 1 differ',
    );
    expect(() => concat([] as Tensor[])).toThrow('concat: no tensors to join');
    expect(() => concat([dyn(m23()), dyn(m23())], { axis: 2 })).toThrow(
      'concat: axis 2 is out of range for rank 2',
    );
    expect(() => stack([dyn(tensor([1, 2])), dyn(tensor([3, 4, 5]))])).toThrow(
      'stack: shapes [2] and [3] differ',
    );
    expect(() => stack([] as Tensor[])).toThrow('stack: no tensors to join');
  });

  it('slice: bad specs: zero step, index out of range, too many specs', () => {
    // @ts-expect-error the type check sees the zero step too
    expect(() => slice(m23(), [[0, 2, 0]])).toThrow('slice: axis 0 has step 0');
    expect(() => slice(m23(), [5])).toThrow('slice: index 5 out of range for axis 0 of size 2');
    expect(() => slice(m23(), [null, -4])).toThrow('slice: index -4 out of range for axis 1 of size 3');
    // @ts-expect-error the type check counts the specs
    expect(() => slice(m23(), [null, null, null])).toThrow('slice: spec count 3 exceeds rank 2');
  });

  it('pad: bad widths: cropping more than the axis, fractional, wrong count', () => {
    expect(() => pad(tensor([1, 2]), [[-3, 2]])).toThrow(
      'pad: widths [-3, 2] crop more than axis 0 of size 2 holds',
    );
    expect(() => pad(tensor([1, 2]), [[0.5, 0]])).toThrow('pad: widths [0.5, 0] on axis 0 must be integers');
    expect(() =>
      pad(dyn(tensor([1, 2])), [
        [1, 0],
        [0, 0],
      ] as never),
    ).toThrow('pad: widths length 2 and rank 1 differ');
  });

  // The index-value checks (index 7 / 3 out of range) read the indices synchronously, which
  // only a synchronous backend allows: on the CPU they throw here; WebGPU's gather clamps
  // (src/ops/shape.ts checkIndexRange). So these stay CPU-only.
  it('take: bad indices and axes', () => {
    expect(() => take(m23(), i32([7]))).toThrow(/index 7 out of range for axis 0 of size 6/);
    expect(() => take(m23(), i32([3]), { axis: 1 })).toThrow(/index 3 out of range for axis 1 of size 3/);
    expect(() => take(m23(), tensor([1]) as never)).toThrow('take: indices must be i32, got f32[1]');
    expect(() => take(dyn(m23()), i32([1]), { axis: 2 })).toThrow('take: axis 2 is out of range for rank 2');
  });

  it('takeAlongAxis: bad ranks, dtypes, indices', () => {
    expect(() => takeAlongAxis(dyn(m23()), dyn(i32([1])) as never, 1)).toThrow(
      'takeAlongAxis: ranks 2 and 1 differ',
    );
    expect(() => takeAlongAxis(m23(), tensor([[1], [0]]) as never, 1)).toThrow(
      'takeAlongAxis: indices must be i32, got f32[2, 1]',
    );
    expect(() => takeAlongAxis(m23(), tensor([[3], [0]], { dtype: 'i32' }), 1)).toThrow(
      'takeAlongAxis: index 3 out of range for axis 1 of size 3',
    );
  });

  it('oneHot: non-i32 labels, negative depth', () => {
    expect(() => oneHot(tensor([1]) as never, 2)).toThrow('oneHot: labels must be i32, got f32[1]');
    expect(() => oneHot(i32([1]) as never, -2)).toThrow('oneHot: depth -2 is negative');
  });
});
