/**
 * Training on every backend: a LeNet-5 SGD step on a batch of 8 agrees between the CPU and
 * WebGPU (loss and every gradient), and 1,000 MLP steps keep live bytes flat (`memory()`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as tg from '../../src/index.ts';
import { backendsUnderTest, expectClose, onBackend, useKernels, values, webGpuAvailable } from './helpers.ts';
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
} from './models.ts';

const BACKENDS = await backendsUnderTest();
const gpu = await webGpuAvailable();

afterEach(async () => {
  await tg.setBackend('cpu');
});

async function lenetStepOn(name: 'cpu' | 'webgpu') {
  return onBackend(name, () =>
    tg.scope(async () => {
      const p = initLeNet(7);
      const { x, y } = lenetBatch(3);
      const r = lenetStep(p, x, y, 0.05);
      const grads: Record<string, number[]> = {};
      for (const k of Object.keys(r.grads)) grads[k] = await values(r.grads[k as keyof LeNetParams]);
      const { x: x2, y: y2 } = lenetBatch(3);
      const after = lenetStep(r.params, x2, y2, 0.05);
      return { loss: (await values(r.loss))[0]!, loss2: (await values(after.loss))[0]!, grads };
    }),
  );
}

describe.skipIf(!gpu)('LeNet-5 on WebGPU', () => {
  it('one SGD step on a batch of 8: loss and gradients agree with the CPU', async () => {
    const cpu = await lenetStepOn('cpu');
    const web = await lenetStepOn('webgpu');
    expect(Number.isFinite(web.loss)).toBe(true);
    expectClose([web.loss], [cpu.loss], 1e-4, 1e-6, 'loss');
    expectClose([web.loss2], [cpu.loss2], 1e-4, 1e-6, 'loss after the step');
    expect(web.loss2).toBeLessThan(web.loss);
    for (const k of Object.keys(cpu.grads)) {
      const c = cpu.grads[k]!;
      const scale = Math.max(...c.map(Math.abs));
      // Each gradient is a sum over the batch and the windows: 1e-3 relative to its largest entry.
      expectClose(web.grads[k]!, c, 1e-3, 1e-3 * scale, `d loss / d ${k}`);
    }
  });
});

describe.each(BACKENDS)('MLP training on $name', (backend) => {
  const { name, available } = backend;
  useKernels(backend);
  const STEPS = 1000;

  // The scoped loop runs first: a dropped jitted function's cached constants are freed only
  // by the GC, which would make the other loop's count move.
  it.skipIf(!available)('200 plain steps, one scope per step, keep live bytes flat', async () => {
    await tg.setBackend(name);
    // Setup in a scope, so its intermediates are freed now rather than by the GC mid-loop.
    const { x, y, p0 } = tg.scope(() => ({ ...mlpBatch(1, 8, 8, 4), p0: initMlp(2, 8, 16, 4) }));
    let p = p0;
    let at10 = -1;
    for (let i = 1; i <= 200; i++) {
      const old = p;
      p = tg.scope(() => mlpStep(old, x, y, 0.1)[0]);
      for (const t of Object.values(old)) t.dispose();
      if (i === 10) at10 = tg.memory()[name]!.bytes;
    }
    await values(p.b2);
    expect(tg.memory()[name]!.bytes).toBe(at10);
    for (const t of [x, y, p.w1, p.b1, p.w2, p.b2]) t.dispose();
  });

  it.skipIf(!available)(`${STEPS} jitted steps with donation keep live bytes flat`, async () => {
    await tg.setBackend(name);
    // Setup in a scope, so its intermediates are freed now rather than by the GC mid-loop.
    const { x, y, p0 } = tg.scope(() => ({ ...mlpBatch(1, 8, 8, 4), p0: initMlp(2, 8, 16, 4) }));
    let p = p0;
    const step = tg.jit((q: MlpParams, xx: T, yy: T) => mlpStep(q, xx, yy, 0.1), { donate: [0] });
    let first = Number.NaN;
    let at10 = -1;
    let last = Number.NaN;
    for (let i = 1; i <= STEPS; i++) {
      const [next, loss] = step(p, x, y);
      p = next;
      if (i === 1) first = (await values(loss))[0]!;
      if (i === STEPS) last = (await values(loss))[0]!;
      loss.dispose();
      if (i === 10) at10 = tg.memory()[name]!.bytes;
      if (i % 200 === 0) await values(p.b2); // let the queue drain now and then
    }
    expect(tg.memory()[name]!.bytes).toBe(at10);
    expect(step.cacheSize).toBe(1);
    expect(last).toBeLessThan(first * 0.5);
    for (const t of [x, y, p.w1, p.b1, p.w2, p.b2]) t.dispose();
  });
});
