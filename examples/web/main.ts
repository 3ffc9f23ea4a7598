/**
 * The browser demo page (`npm run demo:web`): trains examples/lenet.ts's LeNet-5 on the
 * embedded digits in this tab, on WebGPU when the browser has it, else on the CPU backend.
 * URL options (options.ts): `?backend=webgpu|cpu|auto`, `?epochs=N`, `?steps=N`, `?train=N`.
 *
 * What the CI check (scripts/demo-web-check.mjs) reads from `document.body.dataset`:
 * `backend` (the backend training runs on, as soon as it is chosen), `lossStart` / `lossEnd`
 * (the held-out loss before the first and after the last step), `accuracy` (the test accuracy,
 * set last: the run is over), or `error` (the message, when the page failed).
 */

import type { ImageSplit } from '../../src/data/index.ts';
import { loadDigits } from '../../src/datasets/digits.ts';
import { getBackend, scope, setBackend, tensor, train as trainKit } from '../../src/index.ts';
import { initLeNet, type LeNetParams, lenet, score, trainLeNet } from '../lenet.ts';
import { lenetFeatures } from '../lenet-features.ts';
import { type BackendChoice, epochsFor, parseOptions, stepsPerEpoch } from './options.ts';
import { drawPlot, mapCanvas, type Point } from './plot.ts';

/** Held-out digits measured during the run (the first of the test split). */
const PROBE = 256;

const status = document.getElementById('status')!;
const label = document.getElementById('backend')!;
const plot = document.getElementById('plot') as HTMLCanvasElement;

/** The first `n` examples of a split. */
function head(split: ImageSplit, n: number): ImageSplit {
  const [, c, h, w] = split.shape;
  return {
    n,
    images: split.images.subarray(0, n * c * h * w),
    labels: split.labels.subarray(0, n),
    shape: [n, c, h, w],
  };
}

/** Switches to the backend asked for; returns why it is the one in use. */
async function chooseBackend(choice: BackendChoice): Promise<string> {
  if (choice === 'cpu') {
    await setBackend('cpu');
    return 'asked for';
  }
  if (choice === 'webgpu') {
    await setBackend('webgpu'); // no fallback when asked for: its error is the page's error
    return 'asked for';
  }
  if (!('gpu' in navigator)) {
    await setBackend('cpu');
    return 'fallback: this browser has no WebGPU';
  }
  try {
    await setBackend('webgpu');
    return 'auto: the browser has a WebGPU adapter';
  } catch (e) {
    await setBackend('cpu');
    return `fallback: WebGPU failed (${(e as Error).message.split('.')[0]})`;
  }
}

async function showFeatureMaps(params: LeNetParams, image: Float32Array): Promise<void> {
  const f = lenetFeatures(params, tensor(image, [1, 1, 28, 28]));
  const c1 = await f.c1.data(); // data(), not dataSync(): WebGPU reads back asynchronously
  const maps = document.getElementById('maps')!;
  maps.replaceChildren(mapCanvas(image, 28, 28));
  for (let k = 0; k < 6; k++) maps.append(mapCanvas(c1.subarray(k * 784, (k + 1) * 784), 28, 28));
}

function drawingPad(classify: (pixels: Float32Array) => Promise<number>): void {
  const pad = document.getElementById('pad') as HTMLCanvasElement;
  const g = pad.getContext('2d', { willReadFrequently: true })!;
  const clear = () => {
    g.fillStyle = '#000';
    g.fillRect(0, 0, pad.width, pad.height);
  };
  clear();
  let drawing = false;
  pad.onpointerdown = () => (drawing = true);
  pad.onpointermove = (e) => {
    if (!drawing) return;
    g.fillStyle = '#fff';
    g.beginPath();
    g.arc(e.offsetX, e.offsetY, 12, 0, 2 * Math.PI);
    g.fill();
  };
  pad.onpointerup = async () => {
    drawing = false;
    // 280×280 → 28×28 by averaging 10×10 blocks, as the digits are stored (white on black).
    const px = g.getImageData(0, 0, 280, 280).data;
    const small = new Float32Array(784);
    for (let y = 0; y < 280; y++)
      for (let x = 0; x < 280; x++)
        small[((y / 10) | 0) * 28 + ((x / 10) | 0)]! += px[4 * (y * 280 + x)]! / 255 / 100;
    document.getElementById('guess')!.textContent = String(await classify(small));
  };
  document.getElementById('clear')!.onclick = clear;
}

async function run(): Promise<void> {
  const options = parseOptions(location.search);
  const why = await chooseBackend(options.backend);
  const backend = getBackend();
  document.body.dataset.backend = backend;
  label.textContent = `training on: ${backend} (${why})`;
  status.textContent = 'Loading the digits…';
  const digits = await loadDigits();
  const test = head(digits.test, options.test);
  const probe = head(test, Math.min(PROBE, test.n));
  const epochs = epochsFor(options);
  const totalSteps = Math.min(options.steps ?? Infinity, epochs * stepsPerEpoch(options));
  const every = Math.max(1, Math.ceil(totalSteps / options.points));
  const points: Point[] = [];
  const measure = async (params: LeNetParams, step: number) => {
    points.push({ step, ...(await score(params, probe)) });
    drawPlot(plot, points, totalSteps);
  };
  const seed = 0;
  await scope(() => measure(initLeNet(seed), 0)); // trainLeNet starts from these parameters
  const params = await trainLeNet(head(digits.train, options.train), {
    epochs,
    batchSize: options.batch,
    lr: 3e-3,
    seed,
    // train.fit's progress line, redrawn in the status line
    sink: {
      tty: true,
      write: (text) => {
        const line = text.replaceAll('\u001b[K', '').replace(/[\r\n]/g, '');
        if (line) status.textContent = line;
      },
    },
    callbacks: [
      trainKit.hook({
        onStep: async (info) => {
          const last = info.globalStep === totalSteps;
          if (info.globalStep % every === 0 || last) await measure(info.params, info.globalStep);
          return last ? 'stop' : undefined;
        },
      }),
    ],
  });
  document.body.dataset.lossStart = String(points[0]!.loss);
  document.body.dataset.lossEnd = String(points.at(-1)!.loss);
  // the probe's last point is the test score when the test digits are the probe's
  const { accuracy } = test.n === probe.n ? points.at(-1)! : await score(params, test);
  status.textContent = `Trained ${totalSteps} steps on ${backend}: ${(accuracy * 100).toFixed(2)}% of the ${test.n} test digits right. Draw one!`;
  await showFeatureMaps(params, digits.test.images.slice(0, 784));
  drawingPad(async (pixels) => {
    const scores = await lenet(params, tensor(pixels, [1, 1, 28, 28])).data();
    return scores.indexOf(Math.max(...scores));
  });
  document.body.dataset.accuracy = String(accuracy);
}

run().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  status.textContent = `error: ${message}`;
  document.body.dataset.error = message;
  document.title = 'error';
});
