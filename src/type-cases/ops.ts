/** Type-test rows of the top-level ops (see case.ts). */
import type { TypeCase } from './case.ts';

const binary = (op: string, dtype = "'f32'"): TypeCase => ({
  name: op,
  ok: `same(tg.${op}(t<[B, T, 16]>(), t<[16]>()))(t<[B, T, 16], ${dtype}>());
same(tg.${op}(t<[B, 1]>(), t<[16]>()))(t<[B, 16], ${dtype}>());`,
  bad: `tg.${op}(t<[B, 16]>(), t<[B, 17]>()); // ERR: ${op}: dims 16 and 17 do not broadcast
tg.${op}(t<[B, 16]>(), t<[T, 16]>()); // ERR: ${op}: dims B and T do not broadcast`,
});

const unary = (op: string, dtype = "'f32'", extra = ''): TypeCase => ({
  name: op,
  ok: `same(tg.${op}(t<[B, T, 16]>()${extra}))(t<[B, T, 16], ${dtype}>());`,
  noBad: 'elementwise on one tensor: every shape is valid',
});

const reduce = (op: string, dtype = "'f32'"): TypeCase => ({
  name: op,
  ok: `same(tg.${op}(t<[B, T, 16]>(), { axis: -1 }))(t<[B, T], ${dtype}>());
same(tg.${op}(t<[B, T, 16]>(), { axis: [0, 1], keepdims: true }))(t<[1, 1, 16], ${dtype}>());`,
  bad: `tg.${op}(t<[B, 16]>(), { axis: 2 }); // ERR: ${op}: axis 2 is out of range for rank 2`,
});

const pool = (op: string, spatial: string, out: string): TypeCase => ({
  name: op,
  ok: `same(tg.${op}(t<[B, 6, ${spatial}]>(), { window: 2 }))(t<[B, 6, ${out}]>());`,
  bad: `tg.${op}(t<[B, 6, ${spatial.replaceAll('8', '3')}]>(), { window: 4 }); // ERR: ${op}: window 4 exceeds padded input 3`,
});

export const opRows: TypeCase[] = [
  ...['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'].map((op) => binary(op)),
  ...['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'].map((op) => binary(op, "'bool'")),
  ...['abs', 'neg', 'sign', 'square', 'exp', 'log', 'sqrt', 'sin', 'cos', 'reciprocal', 'erf', 'erfc'].map(
    (op) => unary(op),
  ),
  ...['relu', 'sigmoid', 'tanh', 'silu', 'softplus', 'gelu', 'leakyRelu', 'elu'].map((op) => unary(op)),
  unary('clip', "'f32'", ', 0, 1'),
  unary('cast', "'i32'", ", 'i32'"),
  unary('stopGradient'),
  {
    name: 'softmax',
    ok: 'same(tg.softmax(t<[B, T, 16]>()))(t<[B, T, 16]>());\nsame(tg.softmax(t<[B, T]>(), { axis: 0 }))(t<[B, T]>());',
    bad: 'tg.softmax(t<[B, T]>(), { axis: 2 }); // ERR: softmax: axis 2 is out of range for rank 2',
  },
  {
    name: 'logSoftmax',
    ok: 'same(tg.logSoftmax(t<[B, 10]>()))(t<[B, 10]>());',
    bad: 'tg.logSoftmax(t<[B, 10]>(), { axis: -3 }); // ERR: logSoftmax: axis -3 is out of range for rank 2',
  },
  reduce('sum'),
  reduce('mean'),
  reduce('max'),
  reduce('min'),
  reduce('logsumexp'),
  reduce('variance'),
  reduce('std'),
  {
    name: 'argmax',
    ok: "same(tg.argmax(t<[B, 10]>(), { axis: 1 }))(t<[B], 'i32'>());",
    bad: 'tg.argmax(t<[B, 10]>(), { axis: 2 }); // ERR: argmax: axis 2 is out of range for rank 2',
  },
  {
    name: 'argmin',
    ok: "same(tg.argmin(t<[B, T]>(), { axis: 0 }))(t<[T], 'i32'>());",
    bad: 'tg.argmin(t<[B, T]>(), { axis: -3 }); // ERR: argmin: axis -3 is out of range for rank 2',
  },
  {
    name: 'matmul',
    ok: 'same(tg.matmul(t<[B, 784]>(), t<[784, 10]>()))(t<[B, 10]>());\nsame(tg.matmul(t<[B, T, 16]>(), t<[B, 16, T]>()))(t<[B, T, T]>());',
    bad: 'tg.matmul(t<[B, 400]>(), t<[784, 10]>()); // ERR: matmul: inner dims 400 and 784 differ\ntg.matmul(t<[B, T]>(), t<[B, 10]>()); // ERR: matmul: inner dims T and B differ',
  },
  {
    name: 'where',
    ok: "same(tg.where(t<[B, T], 'bool'>(), t<[B, T]>(), 0))(t<[B, T]>());",
    bad: "tg.where(t<[B, 4], 'bool'>(), t<[B, 3]>(), 0); // ERR: where: dims 4 and 3 do not broadcast",
  },
  {
    name: 'conv2d',
    ok: `same(tg.conv2d(t<[B, 3, 32, 32]>(), t<[16, 3, 3, 3]>(), { padding: 1 }))(t<[B, 16, 32, 32]>());
same(tg.conv2d(t<[B, T, 8, 8]>(), t<[16, T, 3, 3]>()))(t<[B, 16, 6, 6]>());`,
    bad: `tg.conv2d(t<[B, 3, 32, 32]>(), t<[16, 1, 3, 3]>()); // ERR: conv2d: input channels 3 and weight in-channels 1 differ
tg.conv2d(t<[B, T, 8, 8]>(), t<[16, B, 3, 3]>()); // ERR: conv2d: input channels T and weight in-channels B differ`,
  },
  {
    name: 'conv1d',
    ok: 'same(tg.conv1d(t<[B, 16, 100]>(), t<[32, 16, 5]>()))(t<[B, 32, 96]>());',
    bad: `tg.conv1d(t<[B, 16, 100]>(), t<[32, 8, 5]>()); // ERR: conv1d: input channels 16 and weight in-channels 8 differ
tg.conv1d(t<[B, T, 100]>(), t<[32, 8, 5]>()); // ERR: conv1d: input channels T and weight in-channels 8 differ`,
  },
  {
    name: 'conv3d',
    ok: 'same(tg.conv3d(t<[B, 3, 8, 8, 8]>(), t<[4, 3, 3, 3, 3]>()))(t<[B, 4, 6, 6, 6]>());',
    bad: `tg.conv3d(t<[B, 3, 8, 8, 8]>(), t<[4, 2, 3, 3, 3]>()); // ERR: conv3d: input channels 3 and weight in-channels 2 differ
tg.conv3d(t<[B, T, 8, 8, 8]>(), t<[4, B, 3, 3, 3]>()); // ERR: conv3d: input channels T and weight in-channels B differ`,
  },
  pool('maxPool2d', '8, 8', '4, 4'),
  pool('avgPool2d', '8, 8', '4, 4'),
  pool('maxPool1d', '8', '4'),
  pool('avgPool1d', '8', '4'),
  pool('maxPool3d', '8, 8, 8', '4, 4, 4'),
  pool('avgPool3d', '8, 8, 8', '4, 4, 4'),
  {
    name: 'adaptiveAvgPool2d',
    ok: 'same(tg.adaptiveAvgPool2d(t<[B, 6, 8, 8]>(), [1, 1]))(t<[B, 6, 1, 1]>());',
    bad: 'tg.adaptiveAvgPool2d(t<[B, 6, 8, 8]>(), [1, 2, 3]); // ERR: adaptiveAvgPool2d: output size length 3 and spatial rank 2 differ',
  },
  {
    name: 'adaptiveMaxPool2d',
    ok: 'same(tg.adaptiveMaxPool2d(t<[B, 6, 8, 8]>(), [2, 2]))(t<[B, 6, 2, 2]>());',
    bad: 'tg.adaptiveMaxPool2d(t<[B, 6, 8, 8]>(), [2]); // ERR: adaptiveMaxPool2d: output size length 1 and spatial rank 2 differ',
  },
  {
    name: 'transpose',
    ok: 'same(tg.transpose(t<[B, T, 16]>(), { perm: [1, 0, 2] }))(t<[T, B, 16]>());\nsame(tg.transpose(t<[B, T]>()))(t<[T, B]>());',
    bad: 'tg.transpose(t<[B, T, 16]>(), { perm: [1, 0] }); // ERR: transpose: perm length 2 and rank 3 differ',
  },
  {
    name: 'flatten',
    ok: 'same(tg.flatten(t<[B, 16, 5, 5]>(), { startAxis: 1 }))(t<[B, 400]>());',
    bad: 'tg.flatten(t<[B, 16, 5]>(), { startAxis: 2, endAxis: 1 }); // ERR: flatten: start axis 2 and end axis 1 are out of order',
  },
  {
    name: 'expandDims',
    ok: 'same(tg.expandDims(t<[B, T]>(), 1))(t<[B, 1, T]>());',
    bad: 'tg.expandDims(t<[B, T]>(), 3); // ERR: expandDims: axis 3 is out of range for rank 3',
  },
  {
    name: 'squeeze',
    ok: 'same(tg.squeeze(t<[B, 1, T]>(), { axis: 1 }))(t<[B, T]>());',
    bad: 'tg.squeeze(t<[B, 5]>(), { axis: 1 }); // ERR: squeeze: axis 1 has size 5 and not 1',
  },
  {
    name: 'broadcastTo',
    ok: 'same(tg.broadcastTo(t<[1, 16]>(), [8, 16]))(t<[8, 16]>());',
    bad: 'tg.broadcastTo(t<[B, 3]>(), [3]); // ERR: broadcastTo: rank 2 exceeds target rank 1',
  },
  {
    name: 'concat',
    ok: 'same(tg.concat([t<[B, 3]>(), t<[B, 4]>()], { axis: 1 }))(t<[B, 7]>());',
    bad: `tg.concat([t<[B, 3]>(), t<[B, 4]>()], { axis: 0 }); // ERR: concat: dims 3 and 4 at axis 1 differ
tg.concat([t<[B, 3]>(), t<[T, 4]>()], { axis: 1 }); // ERR: concat: dims B and T at axis 0 differ`,
  },
  {
    name: 'stack',
    ok: 'same(tg.stack([t<[B, 3]>(), t<[B, 3]>()]))(t<[2, B, 3]>());',
    bad: `tg.stack([t<[B, 3]>(), t<[B, 4]>()]); // ERR: stack: shapes [B, 3] and [B, 4] differ
tg.stack([t<[B, 3]>(), t<[T, 3]>()]); // ERR: stack: shapes [B, 3] and [T, 3] differ`,
  },
  {
    name: 'pad',
    ok: 'same(tg.pad(t<[B, 3]>(), [[0, 0], [1, 1]]))(t<[B, 5]>());',
    bad: 'tg.pad(t<[B, 3]>(), [[1, 1]]); // ERR: pad: widths length 1 and rank 2 differ',
  },
  {
    name: 'take',
    ok: "same(tg.take(t<[100, 8]>(), t<[T, B], 'i32'>(), { axis: 0 }))(t<[T, B, 8]>());",
    bad: "tg.take(t<[B, 3]>(), t<[4], 'i32'>(), { axis: 2 }); // ERR: take: axis 2 is out of range for rank 2",
  },
  {
    name: 'takeAlongAxis',
    ok: "same(tg.takeAlongAxis(t<[B, 10]>(), t<[B, 1], 'i32'>(), 1))(t<[B, 1]>());",
    bad: "tg.takeAlongAxis(t<[B, 10]>(), t<[B], 'i32'>(), 1); // ERR: takeAlongAxis: ranks 2 and 1 differ",
  },
  {
    name: 'oneHot',
    ok: "same(tg.oneHot(t<[B], 'i32'>(), 10))(t<[B, 10]>());",
    bad: "tg.oneHot(t<[B], 'i32'>(), -1); // ERR: oneHot: depth -1 is negative",
  },
  {
    name: 'flip',
    ok: 'same(tg.flip(t<[B, T]>(), 1))(t<[B, T]>());\nsame(tg.flip(t<[B, T]>(), [0, -1]))(t<[B, T]>());',
    bad: 'tg.flip(t<[B, T]>(), 2); // ERR: flip: axis 2 is out of range for rank 2',
  },
  {
    name: 'reshape',
    ok: 'same(tg.reshape(t<[8, 28, 28]>(), [8, 784]))(t<[8, 784]>());\nconst b = dim<B>();\nsame(tg.reshape(t<[B, 28, 28]>(), [b, 784]))(t<[B, 784]>());',
    bad: 'tg.reshape(t<[60000, 28, 28]>(), [60000, 785]); // ERR: reshape: element counts 47040000 and 47100000 differ (784 and 785 after the common leading dims)',
  },
  {
    name: 'slice',
    ok: `same(tg.slice(t<[T, B, 16]>(), [-1]))(t<[B, 16]>());
same(tg.slice(t<[B, 16]>(), [null, [undefined, 8]]))(t<[B, 8]>());`,
    bad: 'tg.slice(t<[B, 16]>(), [null, null, 0]); // ERR: slice: spec count 3 exceeds rank 2',
  },
  {
    name: 'split',
    ok: `const [a8, b8] = tg.split(t<[B, 16]>(), 2, { axis: 1 });
same(a8)(t<[B, 8]>());
same(b8)(t<[B, 8]>());`,
    bad: 'tg.split(t<[B, 10]>(), 3, { axis: 1 }); // ERR: split: axis 1 of size 10 does not split into 3 equal pieces',
  },
  {
    name: 'einsum',
    ok: `same(tg.einsum('bi,ij->bj', t<[B, 16]>(), t<[16, 4]>()))(t<[B, 4]>());
same(tg.einsum('tbi->bt', t<[T, B, 16]>()))(t<[B, T]>());`,
    bad: "tg.einsum('bi,ij->bj', t<[B, 3]>(), t<[4, 5]>()); // ERR: einsum: index i has sizes 3 and 4",
  },
  ...(['1d', '2d', '3d'] as const).map((d): TypeCase => {
    const sp = { '1d': '', '2d': ', 7', '3d': ', 7, 7' }[d];
    const ks = { '1d': '', '2d': ', 2', '3d': ', 2, 2' }[d];
    const out = { '1d': '', '2d': ', 14', '3d': ', 14, 14' }[d];
    return {
      name: `convTranspose${d}`,
      ok: `same(tg.convTranspose${d}(t<[B, 16, 7${sp}]>(), t<[16, 8, 2${ks}]>(), { stride: 2 }))(t<[B, 8, 14${out}]>());
same(tg.convTranspose${d}(t<[B, T, 7${sp}]>(), t<[T, 8, 2${ks}]>(), { stride: 2 }))(t<[B, 8, 14${out}]>());`,
      bad: `tg.convTranspose${d}(t<[B, 16, 7${sp}]>(), t<[8, 3, 2${ks}]>()); // ERR: convTranspose${d}: input channels 16 and weight in-channels 8 differ
tg.convTranspose${d}(t<[B, T, 7${sp}]>(), t<[B, 3, 2${ks}]>()); // ERR: convTranspose${d}: input channels T and weight in-channels B differ`,
    };
  }),
  {
    name: 'vmap',
    ok: `const w = t<[4, 3]>();
const dense = (x: Tensor<[4]>) => tg.matmul(x, w);
same(tg.vmap(dense)(t<[B, 4]>()))(t<[B, 3]>());
same(tg.vmap(dense, { inAxes: 1, outAxes: 1 })(t<[4, T]>()))(t<[3, T]>());`,
    bad: `const pair = (a: Tensor<[3]>, b: Tensor<[3]>) => tg.add(a, b);
tg.vmap(pair)(t<[32, 3]>(), t<[16, 3]>()); // ERR: vmap: mapped axes have different sizes 32 and 16
tg.vmap(pair)(t<[B, 3]>(), t<[T, 3]>()); // ERR: vmap: mapped axes have different sizes B and T`,
  },
  {
    name: 'scan',
    ok: `const w = t<[16, 16]>();
const step = (c: Tensor<[B, 16]>, x: Tensor<[B, 16]>) => {
  const n = tg.tanh(tg.add(tg.matmul(c, w), x));
  return [n, n] as const;
};
const [h, ys] = tg.scan(step, t<[B, 16]>(), t<[T, B, 16]>());
same(h)(t<[B, 16]>());
same(ys)(t<[T, B, 16]>());`,
    bad: `const w = t<[16, 32]>();
const grow = (c: Tensor<[B, 16]>, x: Tensor<[B, 16]>) => [tg.matmul(tg.add(c, x), w), null] as const;
tg.scan(grow, t<[B, 16]>(), t<[T, B, 16]>()); // ERR: scan: the body's new carry [B, 32] and the carry [B, 16] differ
const step = (c: Tensor<[B, 16]>, x: Tensor<[B, 16]>) => [tg.add(c, x), null] as const;
tg.scan(step, t<[B, 16]>(), t<[B, T, 16]>()); // ERR: scan: xs slices [T, 16] and the body's x [B, 16] differ`,
  },
  {
    name: 'assertShape',
    ok: "same(tg.assertShape(t<number[]>(), [8, 'N', 3], { dtype: 'f32' }))(t<[8, 'N', 3]>());",
    noBad: 'checks its input at run time (it is where unknown shapes become known)',
  },
];

/** Creation ops: the result shape comes from literal arguments; no input shape to get wrong. */
export const creationRows: TypeCase[] = [
  { name: 'zeros', ok: 'same(tg.zeros([8, 16]))(t<[8, 16]>());', noBad: 'creates a tensor' },
  { name: 'ones', ok: 'same(tg.ones([8, 16]))(t<[8, 16]>());', noBad: 'creates a tensor' },
  { name: 'full', ok: 'same(tg.full([8, 16], 2))(t<[8, 16]>());', noBad: 'creates a tensor' },
  { name: 'eye', ok: 'same(tg.eye(4))(t<[4, 4]>());', noBad: 'creates a tensor' },
  { name: 'linspace', ok: 'same(tg.linspace(0, 1, 5))(t<[5]>());', noBad: 'creates a tensor' },
  {
    name: 'arange',
    ok: "same(tg.arange(5, { dtype: 'i32' }))(t<[number], 'i32'>());",
    noBad: 'creates a tensor',
  },
  { name: 'tensor', ok: 'same(tg.tensor([[1, 2], [3, 4]]))(t<[2, 2]>());', noBad: 'creates a tensor' },
];
