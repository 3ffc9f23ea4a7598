/**
 * Full training steps on WebGPU in headless Chromium: a small MLP (jitted, donated
 * parameters) and LeNet-5 on a batch of 8, with the loss decreasing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tg from '../../src/index.ts';
import { values } from '../backends/helpers.ts';
import {
  initLeNet,
  initMlp,
  type LeNetParams,
  lenetBatch,
  lenetStep,
  type MlpParams,
  mlpBatch,
  mlpStep,
  type T,
} from '../backends/models.ts';

beforeAll(async () => {
  await tg.setBackend('webgpu');
});

describe('training on webgpu in the browser', () => {
  it('a small MLP: 100 jitted SGD steps lower the loss, live bytes stay flat', async () => {
    const { x, y, p0 } = tg.scope(() => ({ ...mlpBatch(1, 8, 8, 4), p0: initMlp(2, 8, 16, 4) }));
    let p = p0;
    const step = tg.jit((q: MlpParams, xx: T, yy: T) => mlpStep(q, xx, yy, 0.1), { donate: [0] });
    const losses: number[] = [];
    let at10 = -1;
    for (let i = 1; i <= 100; i++) {
      const [next, loss] = step(p, x, y);
      p = next;
      if (i === 1 || i === 100) losses.push((await values(loss))[0]!);
      loss.dispose();
      if (i === 10) at10 = tg.memory().webgpu!.bytes;
    }
    expect(tg.memory().webgpu!.bytes).toBe(at10);
    expect(losses[1]!).toBeLessThan(losses[0]! * 0.7);
  });

  it('LeNet-5: SGD steps on a batch of 8 lower the loss', async () => {
    const losses = await tg.scope(async () => {
      let p: LeNetParams = initLeNet(7);
      const { x, y } = lenetBatch(3);
      const out: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = lenetStep(p, x, y, 0.05);
        out.push((await values(r.loss))[0]!);
        p = r.params;
      }
      return out;
    });
    for (const l of losses) expect(Number.isFinite(l)).toBe(true);
    expect(losses[2]!).toBeLessThan(losses[0]!);
  });
});
