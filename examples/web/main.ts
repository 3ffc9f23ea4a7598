/**
 * The browser demo page (`npm run demo:web`): trains examples/lenet.ts's LeNet-5 on the
 * embedded digits in this tab, on WebGPU when the browser has it, else on the CPU backend.
 * URL options: `?epochs=N` (default 4), `?train=N` (training digits used, default 8000),
 * `?backend=cpu`. When training ends, `document.body.dataset.accuracy` holds the test accuracy
 * (the CI check reads it).
 */

import { loadDigits } from '../../src/datasets/digits.ts';
import { getBackend, setBackend, tensor, train as trainKit } from '../../src/index.ts';
import { evaluate, type LeNetParams, lenet, trainLeNet } from '../lenet.ts';
import { lenetFeatures } from '../lenet-features.ts';
import { drawPlot, mapCanvas } from './plot.ts';

const q = new URLSearchParams(location.search);
const epochs = Number(q.get('epochs') ?? 4);
const trainN = Number(q.get('train') ?? 8000);
const status = document.getElementById('status')!;
const plot = document.getElementById('plot') as HTMLCanvasElement;

async function chooseBackend(): Promise<string> {
  if (q.get('backend') === 'cpu') return 'cpu (asked for)';
  if (!('gpu' in navigator)) return 'cpu (this browser has no WebGPU)';
  try {
    await setBackend('webgpu');
    return 'webgpu';
  } catch (e) {
    await setBackend('cpu');
    return `cpu (WebGPU failed: ${(e as Error).message.split('.')[0]})`;
  }
}

function showFeatureMaps(params: LeNetParams, image: Float32Array): void {
  const f = lenetFeatures(params, tensor(image, [1, 1, 28, 28]));
  const maps = document.getElementById('maps')!;
  maps.replaceChildren(mapCanvas(image, 28, 28));
  const c1 = f.c1.dataSync();
  for (let k = 0; k < 6; k++) maps.append(mapCanvas(c1.subarray(k * 784, (k + 1) * 784), 28, 28));
}

function drawingPad(classify: (pixels: Float32Array) => number): void {
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
  pad.onpointerup = () => {
    drawing = false;
    // 280×280 → 28×28 by averaging 10×10 blocks, as the digits are stored (white on black).
    const px = g.getImageData(0, 0, 280, 280).data;
    const small = new Float32Array(784);
    for (let y = 0; y < 280; y++)
      for (let x = 0; x < 280; x++)
        small[((y / 10) | 0) * 28 + ((x / 10) | 0)]! += px[4 * (y * 280 + x)]! / 255 / 100;
    document.getElementById('guess')!.textContent = String(classify(small));
  };
  document.getElementById('clear')!.onclick = clear;
}

const backend = await chooseBackend();
status.textContent = `backend: ${getBackend()} — ${backend}. Loading the digits…`;
const digits = await loadDigits();
const train = {
  ...digits.train,
  n: trainN,
  images: digits.train.images.subarray(0, trainN * 784),
  labels: digits.train.labels.subarray(0, trainN),
  shape: [trainN, 1, 28, 28] as [number, 1, 28, 28],
};
const losses: number[] = [];
const accuracies: number[] = [];
const params = await trainLeNet(train, {
  epochs,
  batchSize: 128,
  lr: 3e-3,
  seed: 0,
  // train.fit's progress line, redrawn in the status line
  sink: {
    tty: true,
    write: (text) => {
      const line = text.replaceAll('\u001b[K', '').replace(/[\r\n]/g, '');
      if (line) status.textContent = `backend: ${backend}. ${line}`;
    },
  },
  callbacks: [
    trainKit.hook({
      onEpochEnd: async (record, info) => {
        losses.push(record.train.loss);
        accuracies.push(await evaluate(info.params, digits.test));
        drawPlot(plot, losses, accuracies, epochs);
      },
    }),
  ],
});
const accuracy = accuracies.at(-1)!;
status.textContent = `backend: ${backend}. Trained: ${(accuracy * 100).toFixed(2)}% of the 2,000 test digits right. Draw one!`;
showFeatureMaps(params, digits.test.images.slice(0, 784));
drawingPad((pixels) => {
  const scores = lenet(params, tensor(pixels, [1, 1, 28, 28])).dataSync();
  return scores.indexOf(Math.max(...scores));
});
document.body.dataset.accuracy = String(accuracy);
