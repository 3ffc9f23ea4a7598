/**
 * Known values of matmul and einsum on every backend (`describe.each` over test/backends'
 * backends, values read with `await t.data()` / `toNested`); bad-input cases, which throw
 * before any kernel runs, stay CPU-only at the end.
 */
import { describe, expect, it } from 'vitest';
import {
  backendsUnderTest,
  expectT,
  lcg,
  toNested,
  useBackend,
  values,
} from '../../test/backends/helpers.ts';
import { einsum, matmul, ones, ShapeError, stack, type Tensor, tensor, zeros } from '../index.ts';

const a = () =>
  tensor([
    [1, 2],
    [3, 4],
  ]);
const b = () =>
  tensor([
    [5, 6],
    [7, 8],
  ]);
/** Deterministic pseudo-random values in [-1, 1). */
const noise = (n: number, seed: number) =>
  Float32Array.from({ length: n }, (_, i) => {
    const s = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453;
    return 2 * (s - Math.floor(s)) - 1;
  });
/** numpy.matmul by the definition: batch dims broadcast, then sum over the inner dim. */
function naiveMatmul(x: Float32Array, xs: number[], y: Float32Array, ys: number[]) {
  const [m, k] = xs.slice(-2) as [number, number];
  const n = ys[ys.length - 1]!;
  const xb = xs.slice(0, -2);
  const yb = ys.slice(0, -2);
  const rank = Math.max(xb.length, yb.length);
  const pad = (s: number[]) => [...Array(rank - s.length).fill(1), ...s];
  const [px, py] = [pad(xb), pad(yb)];
  const batch = px.map((d, i) => Math.max(d, py[i]!));
  const total = batch.reduce((p, d) => p * d, 1);
  const out = new Float32Array(total * m * n);
  for (let bi = 0; bi < total; bi++) {
    let rem = bi;
    let ox = 0;
    let oy = 0;
    let sx = 1;
    let sy = 1;
    for (let i = rank - 1; i >= 0; i--) {
      const c = rem % batch[i]!;
      rem = Math.floor(rem / batch[i]!);
      ox += (px[i] === 1 ? 0 : c) * sx;
      oy += (py[i] === 1 ? 0 : c) * sy;
      sx *= px[i]!;
      sy *= py[i]!;
    }
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += x[ox * m * k + i * k + q]! * y[oy * k * n + q * n + j]!;
        out[bi * m * n + i * n + j] = s;
      }
  }
  return { out, shape: [...batch, m, n] };
}

const BACKENDS = await backendsUnderTest();

describe.each(BACKENDS)('linalg on $name', (backend) => {
  const it = useBackend(backend);

  describe('matmul', () => {
    it('matrix @ matrix, matrix @ vector, vector @ matrix, vector @ vector (numpy)', async () => {
      expect(await toNested(matmul(a(), b()))).toEqual([
        [19, 22],
        [43, 50],
      ]);
      const mv = matmul(a(), tensor([1, 1]));
      expect(mv.shape).toEqual([2]);
      expect(await values(mv)).toEqual([3, 7]);
      const vm = matmul(tensor([1, 1]), a());
      expect(vm.shape).toEqual([2]);
      expect(await values(vm)).toEqual([4, 6]);
      const vv = matmul(tensor([1, 2]), tensor([3, 4]));
      expect(vv.shape).toEqual([]);
      expect(await vv.itemAsync()).toBe(11);
    });

    it('batched, with a shared 2-d weight and with broadcast batch dims', async () => {
      const batched = matmul(stack([a(), b()]), a());
      expect(await toNested(batched)).toEqual([
        [
          [7, 10],
          [15, 22],
        ],
        [
          [23, 34],
          [31, 46],
        ],
      ]);
      for (const [xs, ys] of [
        [
          [2, 1, 3, 4],
          [5, 4, 2],
        ],
        [
          [3, 2, 5],
          [3, 5, 4],
        ],
        [
          [1, 4, 3],
          [2, 1, 3, 2],
        ],
        [
          [4, 3],
          [2, 3, 2],
        ],
      ] as number[][][]) {
        const x = noise(
          xs!.reduce((p, d) => p * d, 1),
          1,
        );
        const y = noise(
          ys!.reduce((p, d) => p * d, 1),
          2,
        );
        const r = matmul(tensor(x, xs!), tensor(y, ys!));
        const ref = naiveMatmul(x, xs!, y, ys!);
        expect(r.shape).toEqual(ref.shape);
        (await values(r)).forEach((v, i) => {
          expect(v).toBeCloseTo(ref.out[i]!, 4);
        });
      }
    });

    it('keeps i32 and promotes mixed dtypes', async () => {
      const i = matmul(tensor([[1, 2]], { dtype: 'i32' }), tensor([[3], [4]], { dtype: 'i32' }));
      expect(i.dtype).toBe('i32');
      expect(await i.itemAsync()).toBe(11);
      const m = matmul(tensor([[1, 2]], { dtype: 'i32' }) as never, tensor([[0.5], [4]])) as Tensor;
      expect(m.dtype).toBe('f32');
      expect(await values(m)).toEqual([8.5]);
    });
  });

  describe('on lcg data, crossing tile edges (relative tolerance 1e-4)', () => {
    const f32 = (data: ArrayLike<number>, shape: number[]) =>
      tensor(Float32Array.from(data), shape) as Tensor<number[], 'f32'>;

    it('matmul and einsum (dot_general), batched and 33x65 @ 65x17', async () => {
      const a = f32([1, 2, 3, 4, 5, 6], [2, 3]);
      const b = f32([7, 8, 9, 10, 11, 12], [3, 2]);
      await expectT(matmul(a, b), [2, 2], [58, 64, 139, 154]);
      await expectT(matmul(f32([1, 2, 3], [3]), b), [2], [58, 64]);
      const ba = f32(lcg(2 * 5 * 7, 1), [2, 5, 7]);
      const bb = f32(lcg(2 * 7 * 3, 2), [2, 7, 3]);
      const want: number[] = [];
      const av = lcg(70, 1);
      const bv = lcg(42, 2);
      for (let n = 0; n < 2; n++)
        for (let i = 0; i < 5; i++)
          for (let j = 0; j < 3; j++) {
            let s = 0;
            for (let k = 0; k < 7; k++) s += av[n * 35 + i * 7 + k]! * bv[n * 21 + k * 3 + j]!;
            want.push(s);
          }
      await expectT(matmul(ba, bb), [2, 5, 3], want, 1e-4, 1e-5);
      await expectT(einsum('bij,bjk->bik', ba, bb), [2, 5, 3], want, 1e-4, 1e-5);
      await expectT(einsum('ij,kj->ik', a, a), [2, 2], [14, 32, 32, 77]);
      await expectT(einsum('ij->j', a), [3], [5, 7, 9]);
      // a larger product crossing tile edges
      const x = lcg(33 * 65, 4);
      const y = lcg(65 * 17, 5);
      const ref: number[] = [];
      for (let i = 0; i < 33; i++)
        for (let j = 0; j < 17; j++) {
          let s = 0;
          for (let k = 0; k < 65; k++) s += x[i * 65 + k]! * y[k * 17 + j]!;
          ref.push(s);
        }
      await expectT(matmul(f32(x, [33, 65]), f32(y, [65, 17])), [33, 17], ref, 1e-4, 1e-5);
    });
  });

  describe('einsum', () => {
    it('matrix product, batched product, transpose, total sum, dot', async () => {
      expect(await toNested(einsum('ij,jk->ik', a(), b()))).toEqual(await toNested(matmul(a(), b())));
      expect(await toNested(einsum('bij,bjk->bik', stack([a(), b()]), stack([b(), a()])))).toEqual([
        [
          [19, 22],
          [43, 50],
        ],
        [
          [23, 34],
          [31, 46],
        ],
      ]);
      expect(await toNested(einsum('ij->ji', a()))).toEqual([
        [1, 3],
        [2, 4],
      ]);
      const total = einsum('ij->', a());
      expect(total.shape).toEqual([]);
      expect(await total.itemAsync()).toBe(10);
      expect(await einsum('i,i->', tensor([1, 2]), tensor([3, 4])).itemAsync()).toBe(11);
    });

    it('outer product, row sums, contraction on the last axes, sum of both', async () => {
      expect(await toNested(einsum('i,j->ij', tensor([1, 2]), tensor([3, 4, 5])))).toEqual([
        [3, 4, 5],
        [6, 8, 10],
      ]);
      expect(await values(einsum('ij->i', a()))).toEqual([3, 7]);
      // a @ b.T = [[1*5+2*6, 1*7+2*8], [3*5+4*6, 3*7+4*8]]
      expect(await toNested(einsum('ik,jk->ij', a(), b()))).toEqual([
        [17, 23],
        [39, 53],
      ]);
      expect(await einsum('ij,kl->', a(), b()).itemAsync()).toBe(10 * 26);
      expect(await toNested(einsum(' ij , jk -> ki ', a(), ones([2, 1])))).toEqual([[3, 7]]);
    });
  });
});

// Bad input: these throw before any kernel runs, so one backend covers them.
describe('matmul: bad input', () => {
  it('throws the ShapeErrors the types show for dynamic dims', () => {
    const x = zeros([2, 3]) as Tensor<number[], 'f32'>;
    const y = zeros([4, 2]) as Tensor<number[], 'f32'>;
    expect(() => matmul(x, y)).toThrow(ShapeError);
    expect(() => matmul(x, y)).toThrow('matmul: inner dims 3 and 4 differ');
    const bx = zeros([2, 2, 3]) as Tensor<number[], 'f32'>;
    const by = zeros([3, 3, 2]) as Tensor<number[], 'f32'>;
    expect(() => matmul(bx, by)).toThrow('matmul: batch dims 2 and 3 do not broadcast');
    const s = tensor(1) as Tensor<number[], 'f32'>;
    expect(() => matmul(s, zeros([2]) as Tensor<number[], 'f32'>)).toThrow(
      'matmul: ranks 0 and 1 must be at least 1',
    );
  });
});

describe('einsum: bad input', () => {
  it('bad specs name einsum and the fault (at compile time too)', () => {
    // @ts-expect-error: the shape types reject it too
    expect(() => einsum('i-j->i', a())).toThrow(
      "einsum: cannot parse 'i-j->i': term 'i-j' (letters and at most one '...')",
    );
    // @ts-expect-error: the shape types reject it too
    expect(() => einsum('ijk,jk->ik', a(), b())).toThrow(
      "einsum: 'ijk' has 3 indices but operand 0 has rank 2",
    );
    // @ts-expect-error: the shape types reject it too
    expect(() => einsum('ij,jk->ik', a(), zeros([3, 2]))).toThrow('einsum: index j has sizes 2 and 3');
    // @ts-expect-error: the shape types reject it too
    expect(() => einsum('ij,jk->iz', a(), b())).toThrow('einsum: output index z is not in any input');
    // @ts-expect-error: the shape types reject it too
    expect(() => einsum('ij,jk->ik', a())).toThrow("einsum: 'ij,jk->ik' names 2 operands, got 1");
    // @ts-expect-error: the shape types reject it too
    expect(() => einsum('ij->ii', a())).toThrow("einsum: output 'ii' repeats an index");
  });
});
