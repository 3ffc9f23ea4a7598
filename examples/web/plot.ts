/** One measurement of the run: after `step` training steps, the loss and accuracy on held-out digits. */
export interface Point {
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number;
}

/**
 * Draws the held-out loss (blue line, log scale from 1e-3 to 10) and accuracy (red line, 0 to 1)
 * of each point on a canvas, step s at x = s / totalSteps, redrawn as points arrive.
 */
export function drawPlot(canvas: HTMLCanvasElement, points: readonly Point[], totalSteps: number): void {
  const g = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  g.clearRect(0, 0, w, h);
  const x = (s: number) => (s / Math.max(1, totalSteps)) * (w - 8) + 4;
  const yLoss = (l: number) => h - ((Math.log10(Math.max(l, 1e-3)) + 3) / 4) * h;
  const yAcc = (a: number) => h - 4 - a * (h - 8);
  const line = (color: string, y: (p: Point) => number) => {
    g.strokeStyle = color;
    g.beginPath();
    for (const [i, p] of points.entries()) (i === 0 ? g.moveTo : g.lineTo).call(g, x(p.step), y(p));
    g.stroke();
  };
  line('#1f77b4', (p) => yLoss(p.loss));
  line('#d62728', (p) => yAcc(p.accuracy));
  const last = points.at(-1);
  g.fillStyle = '#1f77b4';
  g.fillText(`held-out loss ${last?.loss.toFixed(3) ?? '–'}`, 8, 14);
  g.fillStyle = '#d62728';
  g.fillText(`held-out accuracy ${last ? `${(last.accuracy * 100).toFixed(1)}%` : '–'}`, 8, 28);
  g.fillStyle = '#000';
  g.fillText(`step ${last?.step ?? 0} of ${totalSteps}`, 8, 42);
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
