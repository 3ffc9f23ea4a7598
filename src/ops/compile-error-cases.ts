/**
 * Negative type tests for the public ops, as data: each snippet must fail to compile
 * exactly on its `// ERR: <message>` lines, with that `ShapeError<"...">` message, under
 * TypeScript 5.9 and TypeScript 7; where a case has `runtime`, the op called on the same
 * shapes with dynamic dims must throw that message too. Run by compile-errors.test.ts.
 * Snippets import the package as '#typegrad'.
 */
import {
  adaptiveAvgPool2d,
  add,
  argmax,
  avgPool1d,
  avgPool2d,
  broadcastTo,
  concat,
  conv1d,
  conv2d,
  div,
  expandDims,
  flatten,
  less,
  logSoftmax,
  matmul,
  maximum,
  maxPool2d,
  maxPool3d,
  mean,
  oneHot,
  pad,
  reshape,
  softmax,
  squeeze,
  stack,
  sub,
  sum,
  type Tensor,
  take,
  takeAlongAxis,
  transpose,
  where,
  zeros,
} from '../index.ts';

export interface CompileErrorCase {
  readonly name: string;
  readonly code: string;
  /** The same call with dynamic dims: must throw the snippet's (single) message. */
  readonly runtime?: () => unknown;
}

const header = "import * as tg from '#typegrad';\nimport type { Tensor } from '#typegrad';\n";

/** A zero tensor whose static shape is unknown, so only the run-time check sees its dims. */
const dyn = (shape: number[], dtype: 'f32' | 'i32' | 'bool' = 'f32') =>
  zeros(shape, { dtype }) as unknown as Tensor<number[], never>;

function opCase(name: string, decls: string, call: string, message: string, runtime?: () => unknown) {
  return {
    name,
    code: `${header}${decls}\n${call} // ERR: ${message}\n`,
    ...(runtime ? { runtime } : {}),
  } satisfies CompileErrorCase;
}

export const opCases: CompileErrorCase[] = [
  opCase(
    'matmul inner dims',
    "declare const x: Tensor<['B', 400], 'f32'>; declare const w: Tensor<[784, 10], 'f32'>;",
    'tg.matmul(x, w);',
    'matmul: inner dims 400 and 784 differ',
    () => matmul(dyn([32, 400]), dyn([784, 10])),
  ),
  opCase(
    'matmul batch dims',
    "declare const a: Tensor<[2, 3, 4], 'f32'>; declare const b: Tensor<[5, 4, 6], 'f32'>;",
    'tg.matmul(a, b);',
    'matmul: batch dims 2 and 5 do not broadcast',
    () => matmul(dyn([2, 3, 4]), dyn([5, 4, 6])),
  ),
  opCase(
    'matmul vector',
    "declare const v: Tensor<[3], 'f32'>; declare const m: Tensor<[4, 2], 'f32'>;",
    'tg.matmul(v, m);',
    'matmul: inner dims 3 and 4 differ',
    () => matmul(dyn([3]), dyn([4, 2])),
  ),
  opCase(
    'add broadcast',
    "declare const a: Tensor<[8, 3], 'f32'>; declare const b: Tensor<[4], 'f32'>;",
    'tg.add(a, b);',
    'add: dims 3 and 4 do not broadcast',
    () => add(dyn([8, 3]), dyn([4])),
  ),
  opCase(
    'sub broadcast',
    "declare const a: Tensor<[2, 5], 'f32'>; declare const b: Tensor<[3, 5], 'f32'>;",
    'tg.sub(a, b);',
    'sub: dims 2 and 3 do not broadcast',
    () => sub(dyn([2, 5]), dyn([3, 5])),
  ),
  opCase(
    'mul named dims',
    "declare const a: Tensor<['B', 10], 'f32'>; declare const b: Tensor<['T', 10], 'f32'>;",
    'tg.mul(a, b);',
    'mul: dims B and T do not broadcast',
  ),
  opCase(
    'div broadcast',
    "declare const a: Tensor<[6], 'f32'>; declare const b: Tensor<[7], 'f32'>;",
    'tg.div(a, b);',
    'div: dims 6 and 7 do not broadcast',
    () => div(dyn([6]), dyn([7])),
  ),
  opCase(
    'maximum broadcast',
    "declare const a: Tensor<[6], 'f32'>; declare const b: Tensor<[2, 7], 'f32'>;",
    'tg.maximum(a, b);',
    'maximum: dims 6 and 7 do not broadcast',
    () => maximum(dyn([6]), dyn([2, 7])),
  ),
  opCase(
    'less broadcast',
    "declare const a: Tensor<[6], 'f32'>; declare const b: Tensor<[5], 'i32'>;",
    'tg.less(a, b);',
    'less: dims 6 and 5 do not broadcast',
    () => less(dyn([6]), dyn([5], 'i32')),
  ),
  opCase(
    'where branch',
    "declare const c: Tensor<[4], 'bool'>; declare const a: Tensor<[3], 'f32'>;",
    'tg.where(c, a, 0);',
    'where: dims 4 and 3 do not broadcast',
    () => where(dyn([4], 'bool') as never, dyn([3]), 0),
  ),
  opCase(
    'reshape counts',
    "declare const x: Tensor<[60000, 28, 28], 'f32'>;",
    'tg.reshape(x, [60000, 785]);',
    'reshape: element counts 47040000 and 47100000 differ (784 and 785 after the common leading dims)',
    () => reshape(dyn([60000, 28, 28]), [60000, 785]),
  ),
  opCase(
    'reshape -1 not divisible',
    "declare const x: Tensor<[10, 28, 28], 'f32'>;",
    'tg.reshape(x, [-1, 1000]);',
    'reshape: element count 7840 is not divisible by 1000',
    () => reshape(dyn([10, 28, 28]), [-1, 1000]),
  ),
  opCase(
    'reshape two -1',
    "declare const x: Tensor<[4, 6], 'f32'>;",
    'tg.reshape(x, [-1, -1]);',
    'reshape: -1 appears 2 times',
    () => reshape(dyn([4, 6]), [-1, -1]),
  ),
  opCase(
    'transpose perm length',
    "declare const x: Tensor<[2, 3, 4], 'f32'>;",
    'tg.transpose(x, { perm: [1, 0] });',
    'transpose: perm length 2 and rank 3 differ',
    () => transpose(dyn([2, 3, 4]), { perm: [1, 0] }),
  ),
  opCase(
    'transpose repeated axis',
    "declare const x: Tensor<[2, 3], 'f32'>;",
    'tg.transpose(x, { perm: [1, -1] });',
    'transpose: axes 1 and -1 are the same axis',
    () => transpose(dyn([2, 3]), { perm: [1, -1] }),
  ),
  opCase(
    'sum axis',
    "declare const x: Tensor<[2, 3, 4], 'f32'>;",
    'tg.sum(x, { axis: 3 });',
    'sum: axis 3 is out of range for rank 3',
    () => sum(dyn([2, 3, 4]), { axis: 3 }),
  ),
  opCase(
    'mean repeated axes',
    "declare const x: Tensor<[2, 3, 4], 'f32'>;",
    'tg.mean(x, { axis: [0, -3] });',
    'mean: axes 0 and -3 are the same axis',
    () => mean(dyn([2, 3, 4]), { axis: [0, -3] }),
  ),
  opCase(
    'argmax axis',
    "declare const x: Tensor<['B', 10], 'f32'>;",
    'tg.argmax(x, { axis: 2 });',
    'argmax: axis 2 is out of range for rank 2',
    () => argmax(dyn([5, 10]), { axis: 2 }),
  ),
  opCase(
    'softmax axis',
    "declare const x: Tensor<['B', 10], 'f32'>;",
    'tg.softmax(x, { axis: -3 });',
    'softmax: axis -3 is out of range for rank 2',
    () => softmax(dyn([5, 10]), { axis: -3 }),
  ),
  opCase(
    'logSoftmax axis',
    "declare const x: Tensor<[10], 'f32'>;",
    'tg.logSoftmax(x, { axis: 1 });',
    'logSoftmax: axis 1 is out of range for rank 1',
    () => logSoftmax(dyn([10]), { axis: 1 }),
  ),
  opCase(
    'flatten order',
    "declare const x: Tensor<[2, 3, 4], 'f32'>;",
    'tg.flatten(x, { startAxis: 2, endAxis: 1 });',
    'flatten: start axis 2 and end axis 1 are out of order',
    () => flatten(dyn([2, 3, 4]), { startAxis: 2, endAxis: 1 }),
  ),
  opCase(
    'expandDims axis',
    "declare const x: Tensor<[2, 3], 'f32'>;",
    'tg.expandDims(x, 3);',
    'expandDims: axis 3 is out of range for rank 3',
    () => expandDims(dyn([2, 3]), 3),
  ),
  opCase(
    'squeeze size',
    "declare const x: Tensor<[1, 5], 'f32'>;",
    'tg.squeeze(x, { axis: 1 });',
    'squeeze: axis 1 has size 5 and not 1',
    () => squeeze(dyn([1, 5]), { axis: 1 }),
  ),
  opCase(
    'broadcastTo',
    "declare const x: Tensor<[3], 'f32'>;",
    'tg.broadcastTo(x, [3, 2]);',
    'broadcastTo: dim 3 cannot stretch to 2',
    () => broadcastTo(dyn([3]), [3, 2]),
  ),
  opCase(
    'broadcastTo a smaller target',
    "declare const x: Tensor<[2, 3], 'f32'>;",
    'tg.broadcastTo(x, [3]);',
    'broadcastTo: rank 2 exceeds target rank 1',
    () => broadcastTo(dyn([2, 3]), [3]),
  ),
  opCase(
    'concat dims',
    "declare const a: Tensor<[2, 3], 'f32'>; declare const b: Tensor<[2, 4], 'f32'>;",
    'tg.concat([a, b], { axis: 0 });',
    'concat: dims 3 and 4 at axis 1 differ',
    () => concat([dyn([2, 3]), dyn([2, 4])], { axis: 0 }),
  ),
  opCase(
    'stack shapes',
    "declare const a: Tensor<[2, 3], 'f32'>; declare const b: Tensor<[3, 2], 'f32'>;",
    'tg.stack([a, b]);',
    'stack: shapes [2, 3] and [3, 2] differ',
    () => stack([dyn([2, 3]), dyn([3, 2])]),
  ),
  opCase(
    'pad widths',
    "declare const x: Tensor<[2, 3], 'f32'>;",
    'tg.pad(x, [[1, 1]]);',
    'pad: widths length 1 and rank 2 differ',
    () => pad(dyn([2, 3]), [[1, 1]] as never),
  ),
  opCase(
    'take axis',
    "declare const x: Tensor<[2, 3], 'f32'>; declare const i: Tensor<[4], 'i32'>;",
    'tg.take(x, i, { axis: 2 });',
    'take: axis 2 is out of range for rank 2',
    () => take(dyn([2, 3]), dyn([4], 'i32') as never, { axis: 2 }),
  ),
  opCase(
    'takeAlongAxis ranks',
    "declare const x: Tensor<[2, 3], 'f32'>; declare const i: Tensor<[2], 'i32'>;",
    'tg.takeAlongAxis(x, i, 1);',
    'takeAlongAxis: ranks 2 and 1 differ',
    () => takeAlongAxis(dyn([2, 3]), dyn([2], 'i32') as never, 1),
  ),
  opCase(
    'oneHot depth',
    "declare const l: Tensor<['B'], 'i32'>;",
    'tg.oneHot(l, -1);',
    'oneHot: depth -1 is negative',
    () => oneHot(dyn([3], 'i32') as never, -1),
  ),
  opCase(
    'conv2d channels',
    "declare const x: Tensor<['B', 3, 32, 32], 'f32'>; declare const w: Tensor<[16, 1, 3, 3], 'f32'>;",
    'tg.conv2d(x, w);',
    'conv2d: input channels 3 and weight in-channels 1 differ',
    () => conv2d(dyn([2, 3, 32, 32]), dyn([16, 1, 3, 3])),
  ),
  opCase(
    'conv2d kernel too big',
    "declare const x: Tensor<['B', 1, 4, 4], 'f32'>; declare const w: Tensor<[2, 1, 5, 5], 'f32'>;",
    'tg.conv2d(x, w);',
    'conv2d: dilated kernel 5 exceeds padded input 4',
    () => conv2d(dyn([2, 1, 4, 4]), dyn([2, 1, 5, 5])),
  ),
  opCase(
    'conv2d dilated kernel',
    "declare const x: Tensor<['B', 1, 6, 6], 'f32'>; declare const w: Tensor<[2, 1, 3, 3], 'f32'>;",
    'tg.conv2d(x, w, { dilation: 3 });',
    'conv2d: dilated kernel 7 exceeds padded input 6',
    () => conv2d(dyn([2, 1, 6, 6]), dyn([2, 1, 3, 3]), { dilation: 3 }),
  ),
  opCase(
    'conv2d groups',
    "declare const x: Tensor<[1, 6, 8, 8], 'f32'>; declare const w: Tensor<[4, 2, 3, 3], 'f32'>;",
    'tg.conv2d(x, w, { groups: 4 });',
    'conv2d: input channels 6 not divisible by groups 4',
    () => conv2d(dyn([1, 6, 8, 8]), dyn([4, 2, 3, 3]), { groups: 4 }),
  ),
  opCase(
    'conv2d negative stride',
    "declare const x: Tensor<[1, 1, 8, 8], 'f32'>; declare const w: Tensor<[1, 1, 3, 3], 'f32'>;",
    'tg.conv2d(x, w, { stride: -1 });',
    'conv2d: stride -1 is not positive',
    () => conv2d(dyn([1, 1, 8, 8]), dyn([1, 1, 3, 3]), { stride: -1 }),
  ),
  opCase(
    'conv1d channels',
    "declare const x: Tensor<['B', 16, 100], 'f32'>; declare const w: Tensor<[32, 8, 5], 'f32'>;",
    'tg.conv1d(x, w);',
    'conv1d: input channels 16 and weight in-channels 8 differ',
    () => conv1d(dyn([2, 16, 100]), dyn([32, 8, 5])),
  ),
  opCase(
    'maxPool2d window',
    "declare const x: Tensor<['B', 6, 3, 3], 'f32'>;",
    'tg.maxPool2d(x, { window: 4 });',
    'maxPool2d: window 4 exceeds padded input 3',
    () => maxPool2d(dyn([2, 6, 3, 3]), { window: 4 }),
  ),
  opCase(
    'maxPool2d stride',
    "declare const x: Tensor<['B', 6, 8, 8], 'f32'>;",
    'tg.maxPool2d(x, { window: 2, stride: 0 });',
    'maxPool2d: stride 0 is not positive',
    () => maxPool2d(dyn([2, 6, 8, 8]), { window: 2, stride: 0 }),
  ),
  opCase(
    'maxPool2d window 0',
    "declare const x: Tensor<['B', 6, 8, 8], 'f32'>;",
    'tg.maxPool2d(x, { window: 0 });',
    'maxPool2d: window 0 is not positive',
    () => maxPool2d(dyn([2, 6, 8, 8]), { window: 0 }),
  ),
  opCase(
    'avgPool2d window [2, -1]',
    "declare const x: Tensor<['B', 6, 8, 8], 'f32'>;",
    'tg.avgPool2d(x, { window: [2, -1] });',
    'avgPool2d: window[1] -1 is not positive',
    () => avgPool2d(dyn([2, 6, 8, 8]), { window: [2, -1] }),
  ),
  opCase(
    'avgPool2d window rank',
    "declare const x: Tensor<['B', 6, 8, 8], 'f32'>;",
    'tg.avgPool2d(x, { window: [2, 2, 2] });',
    'avgPool2d: window length 3 and spatial rank 2 differ',
    () => avgPool2d(dyn([2, 6, 8, 8]), { window: [2, 2, 2] }),
  ),
  opCase(
    'maxPool2d dilation',
    "declare const x: Tensor<['B', 6, 5, 5], 'f32'>;",
    'tg.maxPool2d(x, { window: 3, dilation: 3 });',
    'maxPool2d: window 7 exceeds padded input 5',
    () => maxPool2d(dyn([2, 6, 5, 5]), { window: 3, dilation: 3 }),
  ),
  opCase(
    'maxPool3d rank',
    "declare const x: Tensor<[6, 8], 'f32'>;",
    'tg.maxPool3d(x, { window: 2 });',
    'maxPool3d: input rank 2 and expected rank 5 differ',
    () => maxPool3d(dyn([6, 8]), { window: 2 }),
  ),
  opCase(
    'avgPool1d ceilMode stride',
    "declare const x: Tensor<['B', 6, 8], 'f32'>;",
    'tg.avgPool1d(x, { window: 2, stride: 0, ceilMode: true });',
    'avgPool1d: stride 0 is not positive',
    () => avgPool1d(dyn([2, 6, 8]), { window: 2, stride: 0, ceilMode: true }),
  ),
  opCase(
    'adaptiveAvgPool2d size',
    "declare const x: Tensor<['B', 6, 8, 8], 'f32'>;",
    'tg.adaptiveAvgPool2d(x, [1, 2, 3]);',
    'adaptiveAvgPool2d: output size length 3 and spatial rank 2 differ',
    () => adaptiveAvgPool2d(dyn([2, 6, 8, 8]), [1, 2, 3]),
  ),
];

/** LeNet-5 for 28x28 inputs, generic in its batch dim, with the real ops; `edit` changes one layer. */
export function lenetCode(edit: (code: string) => string = (c) => c): string {
  return edit(`${header}
interface LeNet {
  readonly c1: Tensor<[6, 1, 5, 5], 'f32'>;
  readonly c1b: Tensor<[6, 1, 1], 'f32'>;
  readonly c3: Tensor<[16, 6, 5, 5], 'f32'>;
  readonly c3b: Tensor<[16, 1, 1], 'f32'>;
  readonly f5: Tensor<[400, 120], 'f32'>;
  readonly f5b: Tensor<[120], 'f32'>;
  readonly f6: Tensor<[120, 84], 'f32'>;
  readonly f6b: Tensor<[84], 'f32'>;
  readonly f7: Tensor<[84, 10], 'f32'>;
  readonly f7b: Tensor<[10], 'f32'>;
}
export function lenet<B extends number | string>(p: LeNet, x: Tensor<[B, 1, 28, 28], 'f32'>) {
  const c1 = tg.relu(tg.add(tg.conv2d(x, p.c1, { padding: 2 }), p.c1b)); // C1
  const s2 = tg.maxPool2d(c1, { window: 2 }); // S2
  const c3 = tg.relu(tg.add(tg.conv2d(s2, p.c3), p.c3b)); // C3
  const s4 = tg.maxPool2d(c3, { window: 2 }); // S4
  const f = tg.flatten(s4, { startAxis: 1 }); // FLAT
  const f5 = tg.relu(tg.add(tg.matmul(f, p.f5), p.f5b)); // F5
  const f6 = tg.relu(tg.add(tg.matmul(f5, p.f6), p.f6b)); // F6
  return tg.add(tg.matmul(f6, p.f7), p.f7b); // F7
}
`);
}

/** Changes `from` to `to` in the code and expects `message` on the line tagged `// <tag>`. */
function lenetEdit(from: string, to: string, tag: string, message: string) {
  return (code: string) => {
    if (!code.includes(from)) throw new Error(`lenet edit: '${from}' not found`);
    return code.replace(from, to).replace(`// ${tag}\n`, `// ${tag} // ERR: ${message}\n`);
  };
}

export const lenetCases: CompileErrorCase[] = [
  {
    name: 'LeNet-5 compiles and types to [B, 10]',
    code: lenetCode(
      (c) =>
        `${c}declare const p: LeNet;\ndeclare const img: Tensor<['B', 1, 28, 28], 'f32'>;\n` +
        "export const y: Tensor<['B', 10], 'f32'> = lenet(p, img);\n" +
        "export const y64: Tensor<[64, 10], 'f32'> = lenet(p, {} as Tensor<[64, 1, 28, 28], 'f32'>);\n",
    ),
  },
  {
    name: 'LeNet C1 in-channels',
    code: lenetCode(
      lenetEdit(
        'c1: Tensor<[6, 1, 5, 5]',
        'c1: Tensor<[6, 3, 5, 5]',
        'C1',
        'conv2d: input channels 1 and weight in-channels 3 differ',
      ),
    ),
  },
  {
    name: 'LeNet C1 bias size',
    code: lenetCode(
      lenetEdit('c1b: Tensor<[6, 1, 1]', 'c1b: Tensor<[7, 1, 1]', 'C1', 'add: dims 6 and 7 do not broadcast'),
    ),
  },
  {
    name: 'LeNet C3 in-channels',
    code: lenetCode(
      lenetEdit(
        'c3: Tensor<[16, 6, 5, 5]',
        'c3: Tensor<[16, 5, 5, 5]',
        'C3',
        'conv2d: input channels 6 and weight in-channels 5 differ',
      ),
    ),
  },
  {
    name: 'LeNet C3 bias size',
    code: lenetCode(
      lenetEdit(
        'c3b: Tensor<[16, 1, 1]',
        'c3b: Tensor<[12, 1, 1]',
        'C3',
        'add: dims 16 and 12 do not broadcast',
      ),
    ),
  },
  {
    name: 'LeNet F5 in-features',
    code: lenetCode(
      lenetEdit(
        'f5: Tensor<[400, 120]',
        'f5: Tensor<[256, 120]',
        'F5',
        'matmul: inner dims 400 and 256 differ',
      ),
    ),
  },
  {
    name: 'LeNet F5 bias size',
    code: lenetCode(
      lenetEdit('f5b: Tensor<[120]', 'f5b: Tensor<[100]', 'F5', 'add: dims 120 and 100 do not broadcast'),
    ),
  },
  {
    name: 'LeNet F6 in-features',
    code: lenetCode(
      lenetEdit(
        'f6: Tensor<[120, 84]',
        'f6: Tensor<[100, 84]',
        'F6',
        'matmul: inner dims 120 and 100 differ',
      ),
    ),
  },
  {
    name: 'LeNet F7 in-features',
    code: lenetCode(
      lenetEdit('f7: Tensor<[84, 10]', 'f7: Tensor<[80, 10]', 'F7', 'matmul: inner dims 84 and 80 differ'),
    ),
  },
  {
    name: 'LeNet F7 bias size',
    code: lenetCode(
      lenetEdit('f7b: Tensor<[10]', 'f7b: Tensor<[12]', 'F7', 'add: dims 10 and 12 do not broadcast'),
    ),
  },
  {
    name: 'LeNet C1 without padding: the flattened size reaches F5 as 256',
    code: lenetCode(
      lenetEdit(
        'tg.conv2d(x, p.c1, { padding: 2 })',
        'tg.conv2d(x, p.c1)',
        'F5',
        'matmul: inner dims 256 and 400 differ',
      ),
    ),
  },
  {
    name: 'LeNet S2 window 7: C3 kernel exceeds its 4x4 input',
    code: lenetCode(
      lenetEdit(
        'tg.maxPool2d(c1, { window: 2 })',
        'tg.maxPool2d(c1, { window: 7 })',
        'C3',
        'conv2d: dilated kernel 5 exceeds padded input 4',
      ),
    ),
  },
  {
    name: 'LeNet S4 window 3: F5 sees 16 * 3 * 3 = 144 features',
    code: lenetCode(
      lenetEdit(
        'tg.maxPool2d(c3, { window: 2 })',
        'tg.maxPool2d(c3, { window: 3 })',
        'F5',
        'matmul: inner dims 144 and 400 differ',
      ),
    ),
  },
];
