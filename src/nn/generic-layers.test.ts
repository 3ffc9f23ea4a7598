/**
 * Layers written the way users write models: inside functions generic in the batch and time
 * dims (plain `number` dims and named string dims), on TypeScript 5.9 and 7. Correct code
 * compiles with the exact result shapes; the realistic mistakes fail on their own line with a
 * message naming the layer and both dims.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { checkSnippets, type Snippet, type SnippetReport } from '../../test/compile-errors.ts';

const header = `import { flatten, grad, nn, random, sum, type Tensor } from '#typegrad';
const key = random.key(0);
const ln = nn.layerNorm.init(key, { features: 16 });
const lstmP = nn.lstm.init(key, { in: 8, hidden: 32 });
const rnnP = nn.rnn.init(key, { in: 8, hidden: 4 });
const mha = nn.multiHeadAttention.init(key, { dim: 16, heads: 4 });
const d1 = nn.dense.init(key, { in: 784, out: 400 });
const emb = nn.embedding.init(key, { vocab: 100, dim: 8 });
const c1 = nn.conv2d.init(key, { in: 1, out: 6, kernel: 5 });
const same = <A>(a: A) => <B extends A>(_b: B & (A extends B ? unknown : never)) => true;
`;

const generic = (b: string, t: string) => `${header}
export function model<${b}, ${t}>(
  x: Tensor<[T, B, 16]>,
  s: Tensor<[T, B, 8]>,
  img: Tensor<[B, 1, 28, 28]>,
  flat: Tensor<[B, 784]>,
  ids: Tensor<[T, B], 'i32'>,
  ctx: Tensor<[B, T, 16]>,
) {
  same(nn.layerNorm(ln, x))({} as Tensor<[T, B, 16]>);
  const [ys, st] = nn.lstm(lstmP, s);
  same(ys)({} as Tensor<[T, B, 32]>);
  same(st.h)({} as Tensor<[B, 32]>);
  same(nn.rnn(rnnP, s)[0])({} as Tensor<[T, B, 4]>);
  same(nn.attention(x, x, x))({} as Tensor<[T, B, 16]>);
  same(nn.multiHeadAttention(mha, ctx, { context: ctx }))({} as Tensor<[B, T, 16]>);
  same(nn.dense(d1, flat))({} as Tensor<[B, 400]>);
  same(nn.embedding(emb, ids))({} as Tensor<[T, B, 8]>);
  same(nn.conv2d(c1, img, { padding: 2 }))({} as Tensor<[B, 6, 28, 28]>);
  same(nn.flatten(img))({} as Tensor<[B, 784]>);
}
export const g = grad((v: Tensor<[2]>) => sum(v));
export const y: Tensor<[32, 400]> = flatten({} as Tensor<[32, 16, 5, 5]>, { startAxis: 1 });
`;

const cases: Snippet[] = [
  { name: 'generic in number dims', code: generic('B extends number', 'T extends number') },
  { name: 'generic in named dims', code: generic('B extends string', 'T extends string') },
  {
    name: 'realistic mistakes',
    code: `${header}
export function mistakes<B extends number, T extends number>(
  feats: Tensor<[B, 400]>,
  s: Tensor<[T, B, 9]>,
  x: Tensor<[B, T, 16]>,
  ctx: Tensor<[B, T, 12]>,
) {
  nn.dense(d1, feats); // ERR: nn.dense: input features 400 and weight rows 784 differ
  nn.lstm(lstmP, s); // ERR: nn.lstm: input last dim 9 and features 8 differ
  nn.multiHeadAttention(mha, x, { context: ctx }); // ERR: nn.multiHeadAttention: input context width 12 and model dim 16 differ
}
`,
  },
];

let reports: Map<string, SnippetReport>;
beforeAll(async () => {
  reports = await checkSnippets(cases);
}, 300_000);

describe('layers in functions generic in their batch and time dims', () => {
  test.each(cases.map((c) => [c.name] as const))('%s', (name) => {
    const r = reports.get(name)!;
    expect(r.ts59, 'TypeScript 5.9').toEqual(r.expected);
    expect(r.ts7, 'TypeScript 7').toEqual(r.expected);
  });
});
