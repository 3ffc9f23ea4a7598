/**
 * Draws the training loss of each epoch (the mean over its steps; log scale) and the test
 * accuracy after it (points) on a canvas, epoch e at x = e / epochs.
 */
export function drawPlot(
  canvas: HTMLCanvasElement,
  losses: readonly number[],
  accuracies: readonly number[],
  epochs: number,
): void {
  const g = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  g.clearRect(0, 0, w, h);
  const x = (e: number) => (e / Math.max(1, epochs)) * w;
  const yLoss = (l: number) => h - ((Math.log10(Math.max(l, 1e-3)) + 3) / 4) * h; // 1e-3 … 10
  g.strokeStyle = '#1f77b4';
  g.beginPath();
  for (const [i, l] of losses.entries()) {
    if (i === 0) g.moveTo(x(i + 1), yLoss(l));
    else g.lineTo(x(i + 1), yLoss(l));
  }
  g.stroke();
  g.fillStyle = '#d62728';
  accuracies.forEach((a, e) => {
    const px = x(e + 1) - 4;
    g.fillRect(Math.max(0, px), h - a * h - 4, 8, 8);
  });
  g.fillStyle = '#000';
  g.fillText(`loss ${losses.at(-1)?.toFixed(3) ?? '–'}`, 8, 14);
  g.fillText(`test accuracy ${accuracies.length ? `${(accuracies.at(-1)! * 100).toFixed(2)}%` : '–'}`, 8, 28);
}

/** Paints a [H, W] map of values into a new canvas, scaled to [0, 255] grey. */
export function mapCanvas(values: ArrayLike<number>, height: number, width: number): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < height * width; i++) {
    lo = Math.min(lo, values[i]!);
    hi = Math.max(hi, values[i]!);
  }
  const img = c.getContext('2d')!.createImageData(width, height);
  for (let i = 0; i < height * width; i++) {
    const v = hi > lo ? Math.round((255 * (values[i]! - lo)) / (hi - lo)) : 0;
    img.data.set([v, v, v, 255], 4 * i);
  }
  c.getContext('2d')!.putImageData(img, 0, 0);
  return c;
}
