/**
 * The figure of docs/05-recurrent-nets.md: the norm of the gradient of the loss with respect to
 * the state at each time step, one line per network, on a logarithmic scale.
 */
import { legend, Panel, svgDocument } from '../src/plot/index.ts';

export interface NormSeries {
  readonly label: string;
  readonly color: string;
  /** Gradient norms at time steps 0, 1, …, T-1. */
  readonly norms: readonly number[];
  readonly dash?: string;
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

/** An SVG line plot of log10 gradient norms against the time step. */
export function gradientNormsSvg(series: readonly NormSeries[], title: string): string {
  const T = Math.max(...series.map((s) => s.norms.length));
  const logs = series.flatMap((s) => s.norms.map((n) => Math.log10(Math.max(n, 1e-30))));
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
    xLabel: 'time step t (the loss is computed after the last step)',
    yLabel: '', // drawn below, clear of the tick labels
    ticks: [],
  });
  for (const s of series) {
    const pts = s.norms.map((n, t) => [t, Math.log10(Math.max(n, 1e-30))] as const);
    const style = `stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}`;
    panel.polyline(pts, style);
  }
  const ticks: string[] = [
    `<text x="34" y="230" text-anchor="middle" font-style="italic" transform="rotate(-90 34 230)">‖∂loss/∂state_t‖ (log scale)</text>`,
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
