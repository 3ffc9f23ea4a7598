/**
 * Negative type tests for the typed transforms and the parity ops (vmap, scan, einsum, split,
 * the transposed convolutions, 1-d/3-d and adaptive pooling, flip, pad, std, max with
 * indices), in the form of compile-error-cases.ts: each snippet fails to compile exactly on
 * its `// ERR:` line with that message under TypeScript 5.9 and 7, and where a case has
 * `runtime`, the op on the same shapes with dynamic dims throws the same text.
 */
import {
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  add,
  avgPool3d,
  conv3d,
  convTranspose1d,
  convTranspose2d,
  convTranspose3d,
  einsum,
  flip,
  max,
  maxPool1d,
  maxPool2d,
  maxPool3d,
  min,
  pad,
  split,
  std,
  type Tensor,
  vmap,
  zeros,
} from '../index.ts';
import type { CompileErrorCase } from './compile-error-cases.ts';

const header = "import * as tg from '#typegrad';\nimport type { Tensor } from '#typegrad';\n";

/** A zero tensor whose static shape is unknown, so only the run-time check sees its dims. */
const dyn = (shape: number[], dtype: 'f32' | 'i32' = 'f32') =>
  zeros(shape, { dtype }) as unknown as Tensor<number[], never>;

function opCase(name: string, decls: string, call: string, message: string, runtime?: () => unknown) {
  return {
    name,
    code: `${header}${decls}\n${call} // ERR: ${message}\n`,
    ...(runtime ? { runtime } : {}),
  } satisfies CompileErrorCase;
}

const pairDecl =
  "const pair = (a: Tensor<[3], 'f32'>, b: Tensor<[3], 'f32'>) => tg.add(a, b);\n" +
  "declare const a: Tensor<[32, 3], 'f32'>; declare const b: Tensor<[16, 3], 'f32'>;";

export const typedOpCases: CompileErrorCase[] = [
  opCase(
    'vmap batch sizes',
    pairDecl,
    'tg.vmap(pair)(a, b);',
    'vmap: mapped axes have different sizes 32 and 16',
    () => vmap((x: Tensor, y: Tensor) => add(x, y))(dyn([32, 3]), dyn([16, 3])),
  ),
  opCase(
    'vmap batch sizes at inAxes',
    `${pairDecl}\ndeclare const c: Tensor<[3, 16], 'f32'>;`,
    'tg.vmap(pair, { inAxes: [0, 1] })(a, c);',
    'vmap: mapped axes have different sizes 32 and 16',
    () => vmap((x: Tensor, y: Tensor) => add(x, y), { inAxes: [0, 1] })(dyn([32, 3]), dyn([3, 16])),
  ),
  opCase(
    'einsum index sizes',
    "declare const x: Tensor<['B', 3], 'f32'>; declare const w: Tensor<[4, 5], 'f32'>;",
    "tg.einsum('bi,ij->bj', x, w);",
    'einsum: index i has sizes 3 and 4',
    () => einsum('bi,ij->bj', dyn([2, 3]), dyn([4, 5])),
  ),
  opCase(
    'einsum diagonal sizes',
    "declare const m: Tensor<[3, 4], 'f32'>;",
    "tg.einsum('ii->i', m);",
    'einsum: index i has sizes 3 and 4',
    () => einsum('ii->i', dyn([3, 4])),
  ),
  opCase(
    'einsum ellipsis dims',
    "declare const a: Tensor<[2, 3, 4], 'f32'>; declare const b: Tensor<[5, 4, 6], 'f32'>;",
    "tg.einsum('...ij,...jk->...ik', a, b);",
    'einsum: index ... has sizes 2 and 5',
    () => einsum('...ij,...jk->...ik', dyn([2, 3, 4]), dyn([5, 4, 6])),
  ),
  opCase(
    'einsum operand count',
    "declare const a: Tensor<[2, 3], 'f32'>;",
    "tg.einsum('ij,jk->ik', a);",
    "einsum: 'ij,jk->ik' names 2 operands, got 1",
    () => einsum('ij,jk->ik', dyn([2, 3])),
  ),
  opCase(
    'convTranspose2d channels',
    "declare const x: Tensor<['B', 16, 7, 7], 'f32'>; declare const w: Tensor<[8, 3, 2, 2], 'f32'>;",
    'tg.convTranspose2d(x, w, { stride: 2 });',
    'convTranspose2d: input channels 16 and weight in-channels 8 differ',
    () => convTranspose2d(dyn([2, 16, 7, 7]), dyn([8, 3, 2, 2]), { stride: 2 }),
  ),
  opCase(
    'convTranspose2d output padding',
    "declare const x: Tensor<['B', 4, 7, 7], 'f32'>; declare const w: Tensor<[4, 3, 3, 3], 'f32'>;",
    'tg.convTranspose2d(x, w, { stride: 2, outputPadding: 2 });',
    'convTranspose2d: outputPadding 2 must be smaller than stride 2 or dilation 1',
    () => convTranspose2d(dyn([2, 4, 7, 7]), dyn([4, 3, 3, 3]), { stride: 2, outputPadding: 2 }),
  ),
  opCase(
    'convTranspose1d padding',
    "declare const x: Tensor<['B', 4, 8], 'f32'>; declare const w: Tensor<[4, 2, 2], 'f32'>;",
    'tg.convTranspose1d(x, w, { padding: 3 });',
    'convTranspose1d: padding 3 exceeds the dilated kernel span 1',
    () => convTranspose1d(dyn([2, 4, 8]), dyn([4, 2, 2]), { padding: 3 }),
  ),
  opCase(
    'convTranspose3d groups',
    "declare const x: Tensor<[1, 6, 4, 4, 4], 'f32'>; declare const w: Tensor<[6, 2, 2, 2, 2], 'f32'>;",
    'tg.convTranspose3d(x, w, { groups: 4 });',
    'convTranspose3d: input channels 6 not divisible by groups 4',
    () => convTranspose3d(dyn([1, 6, 4, 4, 4]), dyn([6, 2, 2, 2, 2]), { groups: 4 }),
  ),
  opCase(
    'convTranspose3d rank',
    "declare const x: Tensor<[6, 4, 4, 4], 'f32'>; declare const w: Tensor<[6, 2, 2, 2, 2], 'f32'>;",
    'tg.convTranspose3d(x, w);',
    'convTranspose3d: input rank 4 and expected rank 5 differ',
    () => convTranspose3d(dyn([6, 4, 4, 4]), dyn([6, 2, 2, 2, 2])),
  ),
  opCase(
    'nn.convTranspose2d channels',
    'const p = tg.nn.convTranspose2d.init(tg.random.key(0), { in: 16, out: 3, kernel: 2 });\n' +
      "declare const x: Tensor<['B', 8, 7, 7], 'f32'>;",
    'tg.nn.convTranspose2d(p, x, { stride: 2 });',
    'nn.convTranspose2d: input channels 8 and weight in-channels 16 differ',
  ),
  opCase(
    'split count',
    "declare const x: Tensor<['B', 10], 'f32'>;",
    'tg.split(x, 3, { axis: 1 });',
    'split: axis 1 of size 10 does not split into 3 equal pieces',
    () => split(dyn([2, 10]), 3, { axis: 1 }),
  ),
  opCase(
    'split sizes',
    "declare const x: Tensor<['B', 10], 'f32'>;",
    'tg.split(x, [4, 5], { axis: -1 });',
    'split: sizes [4, 5] sum to 9, not the axis size 10',
    () => split(dyn([2, 10]), [4, 5], { axis: -1 }),
  ),
  {
    name: 'scan body changes the carry',
    code: `${header}declare const h0: Tensor<['B', 16], 'f32'>;
declare const xs: Tensor<['T', 'B', 16], 'f32'>;
declare const w: Tensor<[16, 32], 'f32'>;
tg.scan(
  (h: Tensor<['B', 16], 'f32'>, x) => {
    const next = tg.tanh(tg.matmul(tg.add(h, x), w));
    return [next, next] as const;
  },
  h0, // ERR: scan: the body's new carry [B, 32] and the carry [B, 16] differ
  xs,
);
`,
  },
  {
    name: 'scan xs batch-major into a time-major body',
    code: `${header}declare const h0: Tensor<['B', 16], 'f32'>;
declare const xs: Tensor<['B', 'T', 16], 'f32'>;
tg.scan(
  (h: Tensor<['B', 16], 'f32'>, x: Tensor<['B', 16], 'f32'>) => [tg.add(h, x), null] as const,
  h0,
  xs, // ERR: scan: xs slices [T, 16] and the body's x [B, 16] differ
);
`,
  },
  opCase(
    'conv3d channels',
    "declare const x: Tensor<['B', 3, 8, 8, 8], 'f32'>; declare const w: Tensor<[16, 4, 3, 3, 3], 'f32'>;",
    'tg.conv3d(x, w);',
    'conv3d: input channels 3 and weight in-channels 4 differ',
    () => conv3d(dyn([2, 3, 8, 8, 8]), dyn([16, 4, 3, 3, 3])),
  ),
  opCase(
    'maxPool1d window',
    "declare const x: Tensor<['B', 6, 8], 'f32'>;",
    'tg.maxPool1d(x, { window: 9 });',
    'maxPool1d: window 9 exceeds padded input 8',
    () => maxPool1d(dyn([2, 6, 8]), { window: 9 }),
  ),
  opCase(
    'maxPool3d window',
    "declare const x: Tensor<['B', 6, 4, 4, 4], 'f32'>;",
    'tg.maxPool3d(x, { window: 5 });',
    'maxPool3d: window 5 exceeds padded input 4',
    () => maxPool3d(dyn([2, 6, 4, 4, 4]), { window: 5 }),
  ),
  opCase(
    'avgPool3d window length',
    "declare const x: Tensor<['B', 6, 4, 4, 4], 'f32'>;",
    'tg.avgPool3d(x, { window: [2, 2] });',
    'avgPool3d: window length 2 and spatial rank 3 differ',
    () => avgPool3d(dyn([2, 6, 4, 4, 4]), { window: [2, 2] }),
  ),
  opCase(
    'adaptiveMaxPool2d size',
    "declare const x: Tensor<['B', 6, 8, 8], 'f32'>;",
    'tg.adaptiveMaxPool2d(x, [1, 2, 3]);',
    'adaptiveMaxPool2d: output size length 3 and spatial rank 2 differ',
    () => adaptiveMaxPool2d(dyn([2, 6, 8, 8]), [1, 2, 3]),
  ),
  opCase(
    'adaptiveAvgPool2d rank (channels-first, batched, as conv2d)',
    "declare const x: Tensor<[6, 8, 8], 'f32'>;",
    'tg.adaptiveAvgPool2d(x, 2);',
    'adaptiveAvgPool2d: input rank 3 and expected rank 4 differ',
    () => adaptiveAvgPool2d(dyn([6, 8, 8]), 2),
  ),
  opCase(
    'maxPool2d rank (NCHW as conv2d)',
    "declare const x: Tensor<[6, 28, 28], 'f32'>;",
    'tg.maxPool2d(x, { window: 2 });',
    'maxPool2d: input rank 3 and expected rank 4 differ',
    () => maxPool2d(dyn([6, 28, 28]), { window: 2 }),
  ),
  opCase(
    'flip axis',
    "declare const x: Tensor<['B', 3], 'f32'>;",
    'tg.flip(x, 2);',
    'flip: axis 2 is out of range for rank 2',
    () => flip(dyn([2, 3]), 2),
  ),
  opCase(
    'flip repeated axis',
    "declare const x: Tensor<['B', 3], 'f32'>;",
    'tg.flip(x, [1, -1]);',
    'flip: axes 1 and -1 are the same axis',
    () => flip(dyn([2, 3]), [1, -1]),
  ),
  opCase(
    'pad negative widths',
    "declare const x: Tensor<['B', 3], 'f32'>;",
    'tg.pad(x, [[0, 0], [-2, -2]]);',
    'pad: axis 1 of size 3 and widths -2, -2 give size -1',
    () =>
      pad(dyn([2, 3]), [
        [0, 0],
        [-2, -2],
      ] as never),
  ),
  opCase(
    'std axis',
    "declare const x: Tensor<['B', 10], 'f32'>;",
    'tg.std(x, { axis: 2 });',
    'std: axis 2 is out of range for rank 2',
    () => std(dyn([2, 10]), { axis: 2 }),
  ),
  opCase(
    'max with indices axis',
    "declare const x: Tensor<['B', 10], 'f32'>;",
    'tg.max(x, { axis: 2, indices: true });',
    'max: axis 2 is out of range for rank 2',
    () => max(dyn([2, 10]), { axis: 2, indices: true }),
  ),
  opCase(
    'min with indices axis',
    "declare const x: Tensor<['B', 10], 'f32'>;",
    'tg.min(x, { axis: -3, indices: true });',
    'min: axis -3 is out of range for rank 2',
    () => min(dyn([2, 10]), { axis: -3, indices: true }),
  ),
];
