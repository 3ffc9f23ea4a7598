/**
 * The inside of LeNet-5 (examples/lenet.ts): the same layers as `lenet`, returning every
 * intermediate representation, for the paper's Figure 2 in docs/06-inside-a-convnet.md.
 */
import { flatten, maxPool2d, nn, relu, type Tensor } from '../src/index.ts';
import type { LeNetParams } from './lenet.ts';

/** The outputs of each layer of LeNet-5 for a batch of B images. */
export interface LeNetFeatures<B extends number> {
  /** The input images. */
  readonly input: Tensor<[B, 1, 28, 28]>;
  /** conv 1→6 5×5 (padding 2), then ReLU: 6 feature maps. */
  readonly c1: Tensor<[B, 6, 28, 28], 'f32'>;
  /** 2×2 max pooling of c1. */
  readonly s2: Tensor<[B, 6, 14, 14], 'f32'>;
  /** conv 6→16 5×5, then ReLU: 16 feature maps. */
  readonly c3: Tensor<[B, 16, 10, 10], 'f32'>;
  /** 2×2 max pooling of c3. */
  readonly s4: Tensor<[B, 16, 5, 5], 'f32'>;
  /** The two hidden dense layers (ReLU). */
  readonly f5: Tensor<[B, 120], 'f32'>;
  readonly f6: Tensor<[B, 84], 'f32'>;
  /** The class scores (logits), exactly `lenet(p, x)`. */
  readonly scores: Tensor<[B, 10], 'f32'>;
}

/** LeNet-5 layer by layer, as `lenet` computes it, keeping every layer's output. */
export function lenetFeatures<B extends number>(p: LeNetParams, x: Tensor<[B, 1, 28, 28]>): LeNetFeatures<B> {
  const c1 = relu(nn.conv2d(p.c1, x, { padding: 2 }));
  const s2 = maxPool2d(c1, { window: 2 });
  const c3 = relu(nn.conv2d(p.c3, s2));
  const s4 = maxPool2d(c3, { window: 2 });
  const f5 = relu(nn.dense(p.f5, flatten(s4, { startAxis: 1 })));
  const f6 = relu(nn.dense(p.f6, f5));
  return { input: x, c1, s2, c3, s4, f5, f6, scores: nn.dense(p.f7, f6) };
}
