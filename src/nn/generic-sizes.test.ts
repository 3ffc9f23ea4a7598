/**
 * Layers written inside functions generic in their *sizes* (channels I, O, hidden H, vocab V),
 * not only in batch and time dims: each init gives the record in those generic dims, each
 * layer the generic result shape (TypeScript 5.9 and 7), and a wrong dim is still a compile
 * error on its line naming the op and both dims.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { checkSnippets, type Snippet, type SnippetReport } from '../../test/compile-errors.ts';

const header = `import { concat, flatten, nn, random, reshape, type Tensor } from '#typegrad';
import type { Add } from '#shapes';
const key = random.key(0);
// compiles only when the argument's type is exactly A's
const same = <A>(a: A) => <B extends A>(_b: B & (A extends B ? unknown : never)) => true;
`;

const positive = `${header}
export function dense<I extends number, O extends number, B extends number>(i: I, o: O, x: Tensor<[B, I]>) {
  const p = nn.dense.init(key, { in: i, out: o });
  same(p)({} as nn.DenseParams<I, O>);
  same(nn.dense(p, x))({} as Tensor<[B, O]>);
}
export function convs<I extends number, O extends number, B extends number>(i: I, o: O, x: Tensor<[B, I, 28, 28]>) {
  const c2 = nn.conv2d.init(key, { in: i, out: o, kernel: 3 });
  same(c2)({} as nn.Conv2dParams<O, I, 3, 3>);
  same(nn.conv2d(c2, x, { padding: 1 }))({} as Tensor<[B, O, 28, 28]>);
  same(nn.conv1d.init(key, { in: i, out: o, kernel: 5 }).w)({} as Tensor<[O, I, 5]>);
  same(nn.conv3d.init(key, { in: i, out: o, kernel: 3 }).w)({} as Tensor<[O, I, 3, 3, 3]>);
  const t2 = nn.convTranspose2d.init(key, { in: i, out: o, kernel: 2 });
  same(t2.w)({} as Tensor<[I, O, 2, 2]>);
  same(nn.convTranspose2d(t2, x, { stride: 2 }))({} as Tensor<[B, O, 56, 56]>);
}
export function conv1d<I extends number, O extends number, B extends number>(i: I, o: O, x: Tensor<[B, I, 100]>) {
  same(nn.conv1d(nn.conv1d.init(key, { in: i, out: o, kernel: 5 }), x))({} as Tensor<[B, O, 96]>);
}
export function embedding<V extends number, E extends number, B extends number>(v: V, e: E, ids: Tensor<[B, 7], 'i32'>) {
  const p = nn.embedding.init(key, { vocab: v, dim: e });
  same(p.table)({} as Tensor<[V, E]>);
  same(nn.embedding(p, ids))({} as Tensor<[B, 7, E]>);
}
export function recurrent<I extends number, H extends number, T extends number, B extends number>(i: I, h: H, s: Tensor<[T, B, I]>) {
  const l = nn.lstm.init(key, { in: i, hidden: h });
  const [ys, st] = nn.lstm(l, s);
  same(ys)({} as Tensor<[T, B, H]>);
  same(st.c)({} as Tensor<[B, H]>);
  const g = nn.gru.init(key, { in: i, hidden: h });
  same(nn.gru(g, s)[0])({} as Tensor<[T, B, H]>);
}
export function norms<C extends number, B extends number>(c: C, x: Tensor<[B, C]>, img: Tensor<[B, C, 8, 8]>) {
  const ln = nn.layerNorm.init(key, { features: c });
  same(ln.gamma)({} as Tensor<[C]>);
  same(nn.layerNorm(ln, x))({} as Tensor<[B, C]>);
  const bn = nn.batchNorm.init(key, { features: c });
  same(bn.gamma)({} as Tensor<[C]>);
  const [y, stats] = nn.batchNorm(bn, nn.batchNorm.initState({ features: c }), img, { training: true });
  same(y)({} as Tensor<[B, C, 8, 8]>);
  same(stats.mean)({} as Tensor<[C]>);
}
export function attention<D extends number, N extends number, B extends number, T extends number>(
  d: D,
  n: N,
  x: Tensor<[B, T, D]>,
) {
  same(nn.attention(x, x, x))({} as Tensor<[B, T, D]>);
  const p = nn.multiHeadAttention.init(key, { dim: d, heads: n, headDim: 8 });
  same(p.wq)({} as Tensor<[D, N, 8]>);
  same(nn.multiHeadAttention(p, x))({} as Tensor<[B, T, D]>);
}
export function shapes<C extends number, B extends number>(x: Tensor<[B, C]>, y: Tensor<[B, C, 1]>, z: Tensor<[B, 3]>) {
  same(flatten(y, { startAxis: 1 }))({} as Tensor<[B, C]>);
  same(reshape(y, [B0<B>(), C0<C>()]))({} as Tensor<[B, C]>);
  same(concat([z, z], { axis: 0 }))({} as Tensor<[Add<B, B>, 3]>);
  same(concat([x, z], { axis: 1 }))({} as Tensor<[B, Add<C, 3>]>);
}
declare function B0<B>(): B;
declare function C0<C>(): C;
`;

const negative = `${header}
export function mistakes<I extends number, O extends number, B extends number>(i: I, o: O, x: Tensor<[B, O]>, img: Tensor<[B, O, 8, 8]>, s: Tensor<[5, B, O]>, q: Tensor<[B, 5, I]>, k: Tensor<[B, 5, O]>) {
  nn.dense(nn.dense.init(key, { in: i, out: o }), x); // ERR: nn.dense: input features O and weight rows I differ
  nn.conv2d(nn.conv2d.init(key, { in: i, out: o, kernel: 3 }), img); // ERR: nn.conv2d: input channels O and weight in-channels I differ
  nn.lstm(nn.lstm.init(key, { in: i, hidden: o }), s); // ERR: nn.lstm: input last dim O and features I differ
  nn.layerNorm(nn.layerNorm.init(key, { features: i }), x); // ERR: nn.layerNorm: input last dim O and features I differ
  nn.gru(nn.gru.init(key, { in: i, hidden: o }), s); // ERR: nn.gru: input last dim O and features I differ
  nn.conv1d(nn.conv1d.init(key, { in: i, out: o, kernel: 3 }), s); // ERR: nn.conv1d: input channels B and weight in-channels I differ
  const bn = nn.batchNorm.init(key, { features: i });
  nn.batchNorm(bn, nn.batchNorm.initState({ features: i }), img, { training: true }); // ERR: nn.batchNorm: input channels O and features I differ
  nn.multiHeadAttention(nn.multiHeadAttention.init(key, { dim: i, heads: 2 }), s); // ERR: nn.multiHeadAttention: input last dim O and model dim I differ
  nn.attention(q, k, k); // ERR: nn.attention: input last dim O and query dim I differ
  concat([x, img], { axis: 0 }); // ERR: concat: ranks 2 and 4 differ
}
`;

const cases: Snippet[] = [
  { name: 'inits and layers generic in their sizes', code: positive },
  { name: 'a wrong generic size names the op and both dims', code: negative },
];

let reports: Map<string, SnippetReport>;
beforeAll(async () => {
  reports = await checkSnippets(cases);
}, 300_000);

describe('layers in functions generic in their sizes', () => {
  test.each(cases.map((c) => [c.name] as const))('%s', (name) => {
    const r = reports.get(name)!;
    expect(r.ts59, 'TypeScript 5.9').toEqual(r.expected);
    expect(r.ts7, 'TypeScript 7').toEqual(r.expected);
    expect(r.unpackaged).toEqual([]);
  });
});
