/**
 * Negative type tests: each snippet must fail to compile exactly on its `// ERR:` lines with
 * that `ShapeError` message, under TypeScript 5.9 and TypeScript 7 alike, printed message
 * first, and the run-time twin must throw the same text for the same shapes. The snippets call
 * the real ops ('#typegrad'), so the test also checks how their guards print.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { checkSnippets, type SnippetReport } from '../../test/compile-errors.ts';
import {
  broadcastShapes,
  concatShape,
  conv1dShape,
  conv2dShape,
  expandDimsShape,
  flattenShape,
  matmulShape,
  oneHotShape,
  padShape,
  pool2dShape,
  reduceShape,
  reshapeShape,
  ShapeError,
  sliceShape,
  squeezeShape,
  stackShape,
  takeShape,
  transposeShape,
} from './index.ts';

interface Case {
  readonly name: string;
  readonly code: string;
  /** The run-time twin on the same shapes; it must throw the snippet's message. */
  readonly runtime?: () => unknown;
}

const header =
  "import { add, concat, conv1d, conv2d, expandDims, flatten, matmul, maxPool2d, oneHot, pad, relu, reshape, slice, squeeze, stack, sum, take, transpose, type Tensor } from '#typegrad';\n";

function opCase(
  name: string,
  declarations: string,
  call: string,
  message: string,
  runtime: () => unknown,
): Case {
  return { name, code: `${header}${declarations}\n${call} // ERR: ${message}\n`, runtime };
}

const ruleCases: Case[] = [
  opCase(
    'matmul inner dims',
    'declare const a: Tensor<[32, 400]>; declare const w: Tensor<[784, 10]>;',
    'matmul(a, w);',
    'matmul: inner dims 400 and 784 differ',
    () => matmulShape([32, 400], [784, 10]),
  ),
  opCase(
    'matmul batch dims',
    'declare const a: Tensor<[2, 3, 4]>; declare const b: Tensor<[5, 4, 6]>;',
    'matmul(a, b);',
    'matmul: batch dims 2 and 5 do not broadcast',
    () => matmulShape([2, 3, 4], [5, 4, 6]),
  ),
  opCase(
    'broadcast',
    'declare const a: Tensor<[8, 3]>; declare const b: Tensor<[4]>;',
    'add(a, b);',
    'add: dims 3 and 4 do not broadcast',
    () => broadcastShapes('add', [8, 3], [4]),
  ),
  opCase(
    'reshape count',
    'declare const x: Tensor<[60000, 28, 28]>;',
    'reshape(x, [60000, 785]);',
    'reshape: element counts 47040000 and 47100000 differ (784 and 785 after the common leading dims)',
    () => reshapeShape([60000, 28, 28], [60000, 785]),
  ),
  opCase(
    'reshape -1',
    'declare const x: Tensor<[60000, 28, 28]>;',
    'reshape(x, [-1, 785]);',
    'reshape: element count 47040000 is not divisible by 785',
    () => reshapeShape([60000, 28, 28], [-1, 785]),
  ),
  opCase(
    'transpose',
    'declare const x: Tensor<[2, 3, 4]>;',
    'transpose(x, { perm: [0, 2, -1] });',
    'transpose: axes 2 and -1 are the same axis',
    () => transposeShape([2, 3, 4], [0, 2, -1]),
  ),
  opCase(
    'reduce',
    'declare const x: Tensor<[2, 3]>;',
    'sum(x, { axis: [0, 2] });',
    'sum: axis 2 is out of range for rank 2',
    () => reduceShape('sum', [2, 3], [0, 2]),
  ),
  opCase(
    'concat',
    'declare const a: Tensor<[2, 3]>; declare const b: Tensor<[4, 5]>;',
    'concat([a, b], { axis: 1 });',
    'concat: dims 2 and 4 at axis 0 differ',
    () =>
      concatShape(
        'concat',
        [
          [2, 3],
          [4, 5],
        ],
        1,
      ),
  ),
  opCase(
    'stack',
    'declare const a: Tensor<[2, 3]>; declare const b: Tensor<[2, 4]>;',
    'stack([a, b], { axis: 0 });',
    'stack: shapes [2, 3] and [2, 4] differ',
    () =>
      stackShape(
        [
          [2, 3],
          [2, 4],
        ],
        0,
      ),
  ),
  opCase(
    'squeeze',
    'declare const x: Tensor<[1, 3]>;',
    'squeeze(x, { axis: 1 });',
    'squeeze: axis 1 has size 3 and not 1',
    () => squeezeShape([1, 3], 1),
  ),
  opCase(
    'expandDims',
    'declare const x: Tensor<[2, 3]>;',
    'expandDims(x, -4);',
    'expandDims: axis -4 is out of range for rank 3',
    () => expandDimsShape([2, 3], -4),
  ),
  opCase(
    'flatten',
    'declare const x: Tensor<[2, 3, 4]>;',
    'flatten(x, { startAxis: 2, endAxis: 1 });',
    'flatten: start axis 2 and end axis 1 are out of order',
    () => flattenShape([2, 3, 4], 2, 1),
  ),
  opCase(
    'slice',
    'declare const x: Tensor<[10, 4]>;',
    'slice(x, [null, [1, undefined, 0]]);',
    'slice: axis 1 has step 0',
    () => sliceShape([10, 4], [null, { start: 1, step: 0 }]),
  ),
  opCase(
    'pad',
    'declare const x: Tensor<[2, 3]>;',
    'pad(x, [[1, 1]]);',
    'pad: widths length 1 and rank 2 differ',
    () => padShape([2, 3], [[1, 1]]),
  ),
  opCase(
    'take',
    "declare const x: Tensor<[10, 3]>; declare const i: Tensor<[4], 'i32'>;",
    'take(x, i, { axis: 2 });',
    'take: axis 2 is out of range for rank 2',
    () => takeShape([10, 3], [4], 2),
  ),
  opCase(
    'oneHot',
    "declare const y: Tensor<[32], 'i32'>;",
    'oneHot(y, -1);',
    'oneHot: depth -1 is negative',
    () => oneHotShape([32], -1),
  ),
  opCase(
    'conv1d',
    'declare const x: Tensor<[2, 3, 4]>; declare const w: Tensor<[8, 3, 5]>;',
    'conv1d(x, w);',
    'conv1d: dilated kernel 5 exceeds padded input 4',
    () => conv1dShape([2, 3, 4], [8, 3, 5]),
  ),
  opCase(
    'conv2d groups',
    'declare const x: Tensor<[2, 6, 8, 8]>; declare const w: Tensor<[4, 2, 3, 3]>;',
    'conv2d(x, w, { groups: 4 });',
    'conv2d: input channels 6 not divisible by groups 4',
    () => conv2dShape([2, 6, 8, 8], [4, 2, 3, 3], { groups: 4 }),
  ),
  opCase(
    'maxPool2d',
    'declare const x: Tensor<[2, 6, 2, 2]>;',
    'maxPool2d(x, { window: 3 });',
    'maxPool2d: window 3 exceeds padded input 2',
    () => pool2dShape('maxPool2d', [2, 6, 2, 2], { window: 3 }),
  ),
];

// ---- LeNet-5, with one layer size changed at a time ----

const lenetShapes = {
  x: '[B, 1, 28, 28]',
  c1: '[6, 1, 5, 5]',
  c1b: '[6, 1, 1]',
  c3: '[16, 6, 5, 5]',
  c3b: '[16, 1, 1]',
  f5: '[400, 120]',
  f5b: '[120]',
  f6: '[120, 84]',
  f6b: '[84]',
  f7: '[84, 10]',
  f7b: '[10]',
};
type LeNetLine = 'c1' | 'c3' | 'f5' | 'f6' | 'out';
const lenetBody: Record<LeNetLine, string> = {
  c1: 'const c1 = maxPool2d(relu(add(conv2d(x, p.c1, { padding: 2 }), p.c1b)), { window: 2 });',
  c3: 'const c3 = maxPool2d(relu(add(conv2d(c1, p.c3), p.c3b)), { window: 2 });',
  f5: 'const f5 = relu(add(matmul(flatten(c3, { startAxis: 1 }), p.f5), p.f5b));',
  f6: 'const f6 = relu(add(matmul(f5, p.f6), p.f6b));',
  out: 'return add(matmul(f6, p.f7), p.f7b);',
};

function lenetCase(
  name: string,
  changed: Partial<typeof lenetShapes>,
  errorLine?: LeNetLine,
  message?: string,
  runtime?: () => unknown,
): Case {
  const shapes = { ...lenetShapes, ...changed };
  const params = Object.entries(shapes)
    .filter(([key]) => key !== 'x')
    .map(([key, shape]) => `  ${key}: Tensor<${shape}>;`)
    .join('\n');
  const body = (Object.keys(lenetBody) as LeNetLine[])
    .map((line) => `  ${lenetBody[line]}${line === errorLine ? ` // ERR: ${message}` : ''}`)
    .join('\n');
  const code = `${header}interface Params {\n${params}\n}\nexport function lenet<B extends number>(p: Params, x: Tensor<${shapes.x}>) {\n${body}\n}\n`;
  return runtime ? { name: `LeNet-5: ${name}`, code, runtime } : { name: `LeNet-5: ${name}`, code };
}

const lenetCases: Case[] = [
  lenetCase('conv1 output channels', { c1: '[8, 1, 5, 5]' }, 'c1', 'add: dims 8 and 6 do not broadcast', () =>
    broadcastShapes('add', [32, 8, 28, 28], [6, 1, 1]),
  ),
  lenetCase(
    'conv1 width (and bias)',
    { c1: '[8, 1, 5, 5]', c1b: '[8, 1, 1]' },
    'c3',
    'conv2d: input channels 8 and weight in-channels 6 differ',
    () => conv2dShape([32, 8, 14, 14], [16, 6, 5, 5]),
  ),
  lenetCase(
    'conv3 in-channels',
    { c3: '[16, 8, 5, 5]' },
    'c3',
    'conv2d: input channels 6 and weight in-channels 8 differ',
    () => conv2dShape([32, 6, 14, 14], [16, 8, 5, 5]),
  ),
  lenetCase('conv1 kernel size', { c1: '[6, 1, 7, 7]' }, 'f5', 'matmul: inner dims 256 and 400 differ', () =>
    matmulShape([32, 256], [400, 120]),
  ),
  lenetCase(
    'conv3 width (and bias)',
    { c3: '[20, 6, 5, 5]', c3b: '[20, 1, 1]' },
    'f5',
    'matmul: inner dims 500 and 400 differ',
    () => matmulShape([32, 500], [400, 120]),
  ),
  lenetCase('input size', { x: '[B, 1, 32, 32]' }, 'f5', 'matmul: inner dims 576 and 400 differ', () =>
    matmulShape([32, 576], [400, 120]),
  ),
  lenetCase('dense 5 inputs', { f5: '[300, 120]' }, 'f5', 'matmul: inner dims 400 and 300 differ', () =>
    matmulShape([32, 400], [300, 120]),
  ),
  lenetCase('dense 6 inputs', { f6: '[100, 84]' }, 'f6', 'matmul: inner dims 120 and 100 differ', () =>
    matmulShape([32, 120], [100, 84]),
  ),
  lenetCase('dense 6 bias', { f6b: '[80]' }, 'f6', 'add: dims 84 and 80 do not broadcast', () =>
    broadcastShapes('add', [32, 84], [80]),
  ),
  lenetCase('dense 7 outputs', { f7: '[84, 12]' }, 'out', 'add: dims 12 and 10 do not broadcast', () =>
    broadcastShapes('add', [32, 12], [10]),
  ),
];

// ---- Two different generic dims: the check cannot be decided, and prints its message first ----

const einsumHeader = "import { einsum, reshape, type Tensor } from '#typegrad';\n";
const genericCases: Case[] = [
  {
    name: 'reshape, two generic dims',
    code: `${einsumHeader}export function f<B extends number, T extends number>(x: Tensor<[B, 784]>, t: [T, 784]) {
  return reshape(x, t); // ERR: reshape: [B, 784] cannot be proved to hold as many elements as [T, 784]
}\n`,
  },
  {
    name: 'reshape, two generic dims and -1',
    code: `${einsumHeader}export function f<B extends number, T extends number>(x: Tensor<[B, 28, 28]>, t: [T, -1]) {
  return reshape(x, t); // ERR: reshape: [B, 28, 28] cannot be proved to hold as many elements as [T, -1]
}\n`,
  },
  {
    name: 'einsum, two generic dims',
    code: `${einsumHeader}export function f<B extends number, T extends number>(x: Tensor<[B, 3]>, y: Tensor<[T, 5]>) {
  return einsum('bi,bj->ij', x, y); // ERR: einsum: the index sizes of 'bi,bj->ij' cannot be proved to agree on [B, 3] and [T, 5]
}\n`,
  },
  {
    name: 'reshape and einsum, one generic dim, compile',
    code: `${einsumHeader}export function f<B extends number>(x: Tensor<[B, 784]>, y: Tensor<[B, 5]>, t: [B, 4, 196]) {
  const r: Tensor<[B, 4, 196]> = reshape(x, t);
  const e: Tensor<[784, 5]> = einsum('bi,bj->ij', x, y);
  return [r, e];
}\n`,
  },
  {
    name: 'reshape, one generic dim, literal counts differ',
    code: `${einsumHeader}export function f<B extends number>(x: Tensor<[B, 784]>, t: [B, 4, 197]) {
  return reshape(x, t); // ERR: reshape: element counts Times<[B], 784> and Times<[B], 788> differ (784 and 788 after the common leading dims)
}\n`,
  },
];

const cases = [...ruleCases, ...lenetCases, ...genericCases, lenetCase('unchanged compiles', {})];

let reports: Map<string, SnippetReport>;
beforeAll(async () => {
  reports = await checkSnippets(cases);
}, 60_000);

describe.each(cases)('$name', (c) => {
  test('TypeScript 5.9 reports the expected ShapeError on the expected line', () => {
    const report = reports.get(c.name)!;
    expect(report.ts59).toEqual(report.expected);
  });
  test('TypeScript 7 agrees', () => {
    const report = reports.get(c.name)!;
    expect(report.ts7).toEqual(report.ts59);
  });
  test('printed message first, on one line', () => {
    expect(reports.get(c.name)!.unpackaged).toEqual([]);
  });
  // A snippet that compiles has no error, so no run-time twin to compare.
  const runtime = c.runtime;
  if (runtime) {
    test('the run-time twin throws the same message', () => {
      const message = reports.get(c.name)!.expected[0]?.message;
      expect(runtime).toThrow(ShapeError);
      expect(runtime).toThrow(new ShapeError(message ?? ''));
    });
  }
});
