/**
 * Models initialised from example inputs inside functions generic in their batch and time
 * dims: no size is written twice, the records carry x's literal dims, so a later layer that
 * does not fit is still a compile error on its own line (TypeScript 5.9 and 7).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { checkSnippets, type Snippet, type SnippetReport } from '../../test/compile-errors.ts';

const header = `import { nn, random, type Tensor } from '#typegrad';
const key = random.key(0);
const same = <A>(a: A) => <B extends A>(_b: B & (A extends B ? unknown : never)) => true;
`;

const model = (b: string, t: string) => `${header}
export function model<${b}, ${t}>(img: Tensor<[B, 1, 28, 28]>, s: Tensor<[T, B, 8]>, x: Tensor<[B, T, 16]>) {
  const c1 = nn.conv2d.initFor(key, img, { out: 6, kernel: 5 });
  same(c1.w)({} as Tensor<[6, 1, 5, 5]>);
  const h = nn.flatten(nn.conv2d(c1, img, { padding: 2 }));
  same(h)({} as Tensor<[B, 4704]>);
  const d = nn.dense.initFor(key, h, { out: 10 });
  same(d.w)({} as Tensor<[4704, 10]>);
  same(nn.dense(d, h))({} as Tensor<[B, 10]>);
  const l1 = nn.lstm.initFor(key, s, { hidden: 32 });
  const [ys] = nn.lstm(l1, s);
  const l2 = nn.gru.initFor(key, ys, { hidden: 4 });
  same(l2.wx)({} as Tensor<[32, 12]>);
  same(nn.gru(l2, ys)[0])({} as Tensor<[T, B, 4]>);
  same(nn.layerNorm.initFor(key, x).gamma)({} as Tensor<[16]>);
  same(nn.batchNorm.initFor(key, img).gamma)({} as Tensor<[1]>);
  same(nn.multiHeadAttention.initFor(key, x, { heads: 4 }).wq)({} as Tensor<[16, 4, number]>);
}
`;

const cases: Snippet[] = [
  { name: 'generic in number dims', code: model('B extends number', 'T extends number') },
  { name: 'generic in named dims', code: model('B extends string', 'T extends string') },
  {
    name: 'mistakes stay compile errors on their line',
    code: `${header}
export function mistakes<B extends number, T extends number>(img: Tensor<[B, 1, 28, 28]>, s: Tensor<[T, B, 8]>) {
  const h = nn.flatten(img);
  const d = nn.dense.initFor(key, nn.flatten(nn.maxPool2d(img, { window: 2 })), { out: 10 });
  nn.dense(d, h); // ERR: nn.dense: input features 784 and weight rows 196 differ
  nn.conv2d.initFor(key, h, { out: 6, kernel: 5 }); // ERR: nn.conv2d.initFor: input rank 2 and expected rank 4 differ
  const l = nn.lstm.initFor(key, s, { hidden: 32 });
  const [ys] = nn.lstm(l, s);
  nn.lstm(l, ys); // ERR: nn.lstm: input last dim 32 and features 8 differ
  nn.rnn.initFor(key, img, { hidden: 3 }); // ERR: nn.rnn.initFor: input rank 4 and expected rank 3 differ
}
`,
  },
];

let reports: Map<string, SnippetReport>;
beforeAll(async () => {
  reports = await checkSnippets(cases);
}, 300_000);

describe('initFor in functions generic in their batch and time dims', () => {
  test.each(cases.map((c) => [c.name] as const))('%s', (name) => {
    const r = reports.get(name)!;
    expect(r.ts59, 'TypeScript 5.9').toEqual(r.expected);
    expect(r.ts7, 'TypeScript 7').toEqual(r.expected);
  });
});
