/**
 * Line-exact negative type tests of models built from nn layers: the error lands on the
 * layer that does not fit, names the op and both dims, under TypeScript 5.9 and 7.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { checkSnippets, type Snippet, type SnippetReport } from '../../test/compile-errors.ts';

const header = `import { nn, random, type Tensor } from '#typegrad';
import { pipe } from 'fp-ts/lib/function.js';
const key = random.key(0);
declare const x: Tensor<['B', 784], 'f32'>;
declare const img: Tensor<['B', 1, 28, 28], 'f32'>;
`;

const cases: Snippet[] = [
  {
    name: 'an MLP whose second layer expects the wrong width',
    code: `${header}const p1 = nn.dense.init(key, { in: 784, out: 512 });
const p2 = nn.dense.init(key, { in: 400, out: 10 });
export const y = pipe(
  x,
  (h) => nn.dense(p1, h),
  nn.relu,
  (h) => nn.dense(p2, h), // ERR: nn.dense: input features 512 and weight rows 400 differ
);
`,
  },
  {
    name: 'a ConvNet whose conv layer expects 3 input channels',
    code: `${header}const c1 = nn.conv2d.init(key, { in: 3, out: 6, kernel: 5 });
export const y = nn.conv2d(c1, img, { padding: 2 }); // ERR: nn.conv2d: input channels 1 and weight in-channels 3 differ
`,
  },
  {
    name: 'the same models with fitting sizes compile',
    code: `${header}const p1 = nn.dense.init(key, { in: 784, out: 512 });
const p2 = nn.dense.init(key, { in: 512, out: 10 });
export const y: Tensor<['B', 10], 'f32'> = pipe(x, (h) => nn.dense(p1, h), nn.relu, (h) => nn.dense(p2, h));
const c1 = nn.conv2d.init(key, { in: 1, out: 6, kernel: 5 });
export const z: Tensor<['B', 6, 28, 28], 'f32'> = nn.conv2d(c1, img, { padding: 2 });
`,
  },
];

let reports: Map<string, SnippetReport>;
beforeAll(async () => {
  reports = await checkSnippets(cases);
}, 300_000);

describe('nn: compile errors land on the layer that does not fit', () => {
  test.each(cases.map((c) => [c.name] as const))('%s', (name) => {
    const r = reports.get(name)!;
    expect(r.ts59, 'TypeScript 5.9').toEqual(r.expected);
    expect(r.ts7, 'TypeScript 7').toEqual(r.expected);
  });
});
