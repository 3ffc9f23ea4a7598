/**
 * Realistic mistakes, written as users write models: each snippet compiles except on its
 * `// ERR:` line, where the message names the op or layer and the dims that disagree
 * (`// ERR~:` for the two mistakes that are not shape rules: the optimizer state and the
 * checkpoint template, whose plain TypeScript errors name the types that differ).
 */
import type { Snippet } from '../../test/compile-errors.ts';

const header = `import * as tg from '#typegrad';
import { io, nn, optim, random, type Tensor } from '#typegrad';
const key = random.key(0);
`;

const mistake = (name: string, code: string): Snippet => ({ name, code: `${header}${code.trim()}\n` });

export const mistakes: Snippet[] = [
  mistake(
    'a dense layer sized 784 after a flatten that gives 400',
    `
export function head<B extends number>(s4: Tensor<[B, 16, 5, 5]>) {
  const f5 = nn.dense.init(key, { in: 784, out: 120 }); // sized for the raw image
  const flat = nn.flatten(s4); // [B, 400]
  return nn.dense(f5, flat); // ERR: nn.dense: input features 400 and weight rows 784 differ
}`,
  ),
  mistake(
    'conv channels swapped in init (in and out)',
    `
export function stem<B extends number>(img: Tensor<[B, 3, 32, 32]>) {
  const c1 = nn.conv2d.init(key, { in: 16, out: 3, kernel: 3 }); // meant in: 3, out: 16
  return nn.conv2d(c1, img, { padding: 1 }); // ERR: nn.conv2d: input channels 3 and weight in-channels 16 differ
}`,
  ),
  mistake(
    'NHWC images into an NCHW convolution',
    `
export function stem<B extends number>(img: Tensor<[B, 28, 28, 1]>) {
  const c1 = nn.conv2d.init(key, { in: 1, out: 6, kernel: 5 });
  return nn.conv2d(c1, img, { padding: 2 }); // ERR: nn.conv2d: input channels 28 and weight in-channels 1 differ
}`,
  ),
  mistake(
    'an LSTM whose input size is not the embedding width',
    `
export function lm<B extends number, T extends number>(ids: Tensor<[T, B], 'i32'>) {
  const emb = nn.embedding.init(key, { vocab: 1000, dim: 64 });
  const lstm = nn.lstm.init(key, { in: 128, hidden: 256 });
  return nn.lstm(lstm, nn.embedding(emb, ids)); // ERR: nn.lstm: input last dim 64 and features 128 differ
}`,
  ),
  mistake(
    'batch-major data into a time-major LSTM with an initial state',
    `
const lstm = nn.lstm.init(key, { in: 8, hidden: 16 });
const h0 = { h: tg.zeros([32, 16]), c: tg.zeros([32, 16]) }; // batch 32
const batchMajor = tg.zeros([32, 100, 8]); // [B, T, F], but nn.lstm reads [T, B, F]
export const out = nn.lstm(lstm, batchMajor, { initial: h0 }); // ERR: nn.lstm: initial state batch 32 and 100 differ`,
  ),
  mistake(
    'batch-major data into a time-major scan',
    `
export function rnnLoop<B extends number, T extends number>(xs: Tensor<[B, T, 8]>, h0: Tensor<[B, 8]>) {
  const step = (h: Tensor<[B, 8]>, x: Tensor<[B, 8]>) => [tg.tanh(tg.add(h, x)), null] as const;
  return tg.scan(step, h0, xs); // ERR: scan: xs slices [T, 8] and the body's x [B, 8] differ
}`,
  ),
  mistake(
    'labels of another batch size in the loss',
    `
const logits = tg.zeros([64, 10]);
const labels = tg.zeros([32], { dtype: 'i32' }); // the last, smaller batch
export const loss = nn.softmaxCrossEntropy(logits, labels); // ERR: nn.softmaxCrossEntropy: batch dims 64 and 32 differ`,
  ),
  mistake(
    'labels typed with another batch parameter in a generic loss',
    `
export function loss<B extends number, N extends number>(logits: Tensor<[B, 10]>, labels: Tensor<[N], 'i32'>) {
  return nn.softmaxCrossEntropy(logits, labels); // ERR: nn.softmaxCrossEntropy: batch dims B and N differ
}`,
  ),
  mistake(
    'a forgotten keepdims in a stable softmax',
    `
const logits = tg.zeros([32, 10]);
const m = tg.max(logits, { axis: 1 }); // [32]: keepdims would give [32, 1]
export const centred = tg.sub(logits, m); // ERR: sub: dims 10 and 32 do not broadcast`,
  ),
  mistake(
    'a forgotten flatten between the conv stack and the classifier',
    `
export function head<B extends number>(s4: Tensor<[B, 16, 5, 5]>) {
  const f5 = nn.dense.init(key, { in: 400, out: 120 });
  return nn.dense(f5, s4); // ERR: nn.dense: input features 5 and weight rows 400 differ
}`,
  ),
  mistake(
    'an SGD state passed to the Adam update',
    `
const params = nn.dense.init(key, { in: 784, out: 10 });
const adam = optim.adam(1e-3);
const state = optim.sgd(1e-3).init(params); // the state of another optimizer
export const step = adam.update(params, state); // ERR~: is missing the following properties from type 'AdamState<DenseParams<784, 10, "f32">>': mu, nu`,
  ),
  mistake(
    'a checkpoint loaded with the template of another model',
    `
const model = nn.dense.init(key, { in: 784, out: 10 });
const other = nn.dense.init(key, { in: 784, out: 512 });
declare const bytes: Uint8Array;
export const loaded: typeof model = io.decodeParams(bytes, other); // ERR~: Type 'DenseParams<784, 512, "f32">' is not assignable to type 'DenseParams<784, 10, "f32">'`,
  ),
  mistake(
    'the same models, written right, compile',
    `
export function lenetHead<B extends number>(s4: Tensor<[B, 16, 5, 5]>) {
  const f5 = nn.dense.init(key, { in: 400, out: 120 });
  const y: Tensor<[B, 120]> = nn.dense(f5, nn.flatten(s4));
  return y;
}
const lstm = nn.lstm.init(key, { in: 8, hidden: 16 });
const h0 = { h: tg.zeros([32, 16]), c: tg.zeros([32, 16]) };
export const ok = nn.lstm(lstm, tg.transpose(tg.zeros([32, 100, 8]), { perm: [1, 0, 2] }), { initial: h0 });
const logits = tg.zeros([32, 10]);
export const centred: Tensor<[32, 10]> = tg.sub(logits, tg.max(logits, { axis: 1, keepdims: true }));
export function rnnLoop<B extends number, T extends number>(xs: Tensor<[T, B, 8]>, h0: Tensor<[B, 8]>) {
  const step = (h: Tensor<[B, 8]>, x: Tensor<[B, 8]>) => [tg.tanh(tg.add(h, x)), null] as const;
  const [h]: [Tensor<[B, 8]>, null] = tg.scan(step, h0, xs);
  return h;
}`,
  ),
];
