/**
 * A line plot of positive series on a logarithmic y axis (powers of 10), e.g. gradient norms per
 * time step (docs/05-recurrent-nets.md) or losses per epoch.
 */
import { esc, legend, Panel, svgDocument } from './svg.ts';

/**
 * One line of {@link logLinesSvg}: its values at x = 0, 1, …, n - 1.
 *
 * @example
 * ```ts
 * import type { LogSeries } from 'typegrad/plot';
 * const s: LogSeries = { label: 'rnn', color: '#dc2626', values: [1, 0.1, 0.01], dash: '6 4' };
 * ```
 */
export interface LogSeries {
  /** The series' name in the legend. */
  readonly label: string;
  /** An SVG colour for the line, e.g. `'#dc2626'`. */
  readonly color: string;
  /** Positive values at x = 0, 1, …, n - 1 (values below 1e-30 are drawn at 1e-30). */
  readonly values: readonly number[];
  /** An SVG `stroke-dasharray`, e.g. `'6 4'`. */
  readonly dash?: string;
}

/**
 * The title and axis labels of {@link logLinesSvg}.
 *
 * @example
 * ```ts
 * import type { LogLinesOptions } from 'typegrad/plot';
 * const o: LogLinesOptions = { title: 'loss', xLabel: 'epoch', yLabel: 'loss (log scale)' };
 * ```
 */
export interface LogLinesOptions {
  /** The heading over the plot. */
  readonly title: string;
  /** The label under the x axis (the index of the values). */
  readonly xLabel: string;
  /** Written vertically left of the y ticks. */
  readonly yLabel: string;
}

const SUP: Record<string, string> = {
  '-': '⁻',
  0: '⁰',
  1: '¹',
  2: '²',
  3: '³',
  4: '⁴',
  5: '⁵',
  6: '⁶',
  7: '⁷',
  8: '⁸',
  9: '⁹',
};
/** 10 to the power e, with superscript digits. */
const power = (e: number): string => `10${[...String(e)].map((c) => SUP[c] ?? c).join('')}`;

/**
 * An SVG line plot (760×500) of several positive series against their index, y on a log10
 * scale with ticks at powers of 10, with a legend.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { logLinesSvg } from 'typegrad/plot';
 *
 * const svg = logLinesSvg(
 *   [{ label: 'decaying', color: '#2563eb', values: [1, 0.1, 0.01, 0.001] }],
 *   { title: 'gradient norms', xLabel: 'time step', yLabel: 'norm (log scale)' },
 * );
 * assert.ok(svg.startsWith('<svg') && svg.includes('10⁻³') && svg.includes('decaying'));
 * ```
 */
export function logLinesSvg(series: readonly LogSeries[], options: LogLinesOptions): string {
  const { title, xLabel, yLabel } = options;
  const T = Math.max(...series.map((s) => s.values.length));
  const logs = series.flatMap((s) => s.values.map((n) => Math.log10(Math.max(n, 1e-30))));
  const lo = Math.floor(Math.min(...logs));
  const hi = Math.ceil(Math.max(...logs));
  const panel = new Panel({
    x: 100,
    y: 50,
    width: 620,
    height: 360,
    xRange: [-0.5, T - 0.5],
    yRange: [lo, hi],
    title,
    xLabel,
    yLabel: '', // drawn below, clear of the tick labels
    ticks: [],
  });
  for (const s of series) {
    const pts = s.values.map((n, t) => [t, Math.log10(Math.max(n, 1e-30))] as const);
    const style = `stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}`;
    panel.polyline(pts, style);
  }
  const ticks: string[] = [
    `<text x="34" y="230" text-anchor="middle" font-style="italic" transform="rotate(-90 34 230)">${esc(yLabel)}</text>`,
  ];
  const yStep = Math.max(1, Math.ceil((hi - lo) / 8));
  for (let e = lo; e <= hi; e += yStep) {
    const py = panel.sy(e).toFixed(1);
    ticks.push(
      `<line x1="95" y1="${py}" x2="100" y2="${py}" stroke="#334155"/>`,
      `<text x="92" y="${py}" text-anchor="end" dominant-baseline="middle">${power(e)}</text>`,
    );
  }
  const xStep = T > 40 ? 10 : 5;
  for (let t = 0; t < T; t += xStep) {
    const px = panel.sx(t).toFixed(1);
    ticks.push(
      `<line x1="${px}" y1="410" x2="${px}" y2="415" stroke="#334155"/>`,
      `<text x="${px}" y="428" text-anchor="middle">${t}</text>`,
    );
  }
  const key = legend(
    90,
    475,
    series.map((s) => ({ label: s.label, kind: 'line' as const, color: s.color, dash: s.dash })),
  );
  return svgDocument(760, 500, [panel.render(), ...ticks, key]);
}
