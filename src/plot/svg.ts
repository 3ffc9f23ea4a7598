/**
 * A few lines of SVG plotting for the demo and the tutorials: panels with axes and ticks,
 * polylines, points, shaded regions of a classifier and the contour where it changes its mind.
 * No dependencies; the output is a plain string.
 */

/**
 * A point in data coordinates, `[x, y]`.
 *
 * @example
 * ```ts
 * import type { Point } from 'typegrad/plot';
 * const origin: Point = [0, 0];
 * ```
 */
export type Point = readonly [number, number];

const fmt = (v: number): string => (Math.round(v * 10) / 10).toString();
/** Escapes text for SVG (shared by the plot modules, not exported by the package). */
export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Where a {@link Panel} sits in the figure, the data ranges it shows and its labels.
 *
 * @example
 * ```ts
 * import type { PanelOptions } from 'typegrad/plot';
 * const o: PanelOptions = {
 *   x: 40, y: 20, width: 200, height: 150, xRange: [0, 1], yRange: [0, 1],
 *   title: 'accuracy', xLabel: 'epoch', yLabel: 'accuracy', ticks: [0, 0.5, 1],
 * };
 * ```
 */
export interface PanelOptions {
  /** Top-left corner and size of the plotting area in pixels. */
  readonly x: number;
  /** Top edge of the plotting area in the SVG, in pixels. */
  readonly y: number;
  /** Width of the plotting area, in pixels. */
  readonly width: number;
  /** Height of the plotting area, in pixels. */
  readonly height: number;
  /** Data ranges shown on each axis. */
  readonly xRange: Point;
  /** The data range `[min, max]` shown on the y axis. */
  readonly yRange: Point;
  /** Title drawn above the panel. */
  readonly title: string;
  /** Label under the x axis. */
  readonly xLabel: string;
  /** Label beside the y axis. */
  readonly yLabel: string;
  /** Tick values, drawn on both axes (default -1, -0.5, 0, 0.5, 1). */
  readonly ticks?: readonly number[];
}

/**
 * One plotting area: maps data coordinates to pixels and collects SVG elements, clipped to
 * the area. Drawing methods return the panel, so calls chain; {@link Panel.render} gives the
 * SVG fragment (frame, ticks and labels on top).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { Panel } from 'typegrad/plot';
 *
 * const p = new Panel({
 *   x: 0, y: 0, width: 100, height: 100, xRange: [0, 1], yRange: [0, 1],
 *   title: 't', xLabel: 'x', yLabel: 'y', ticks: [],
 * });
 * assert.equal(p.sx(0.5), 50); // data to pixels
 * assert.equal(p.sy(1), 0); // y grows upward
 * assert.ok(p.points([[0.5, 0.5]], 'red').render().includes('<circle'));
 * ```
 */
export class Panel {
  private readonly parts: string[] = [];
  /** Named by the panel's place, so a figure's text does not depend on what was drawn before. */
  private readonly clipId: string;

  /** @param o where the panel sits, its data ranges and labels. */
  constructor(readonly o: PanelOptions) {
    this.clipId = `clip-${o.x}-${o.y}-${o.width}-${o.height}`;
  }

  /**
   * The pixel x of data coordinate `v`.
   *
   * @example
   * ```ts
   * import assert from 'node:assert/strict';
   * import { Panel } from 'typegrad/plot';
   * const p = new Panel({
   *   x: 0, y: 0, width: 100, height: 100, xRange: [0, 1], yRange: [0, 1],
   *   title: 't', xLabel: 'x', yLabel: 'y', ticks: [],
   * });
   * assert.equal(p.sx(0.25), 25);
   * ```
   */
  sx(v: number): number {
    const { x, width, xRange } = this.o;
    return x + ((v - xRange[0]) / (xRange[1] - xRange[0])) * width;
  }

  /**
   * The pixel y of data coordinate `v` (data y grows upward).
   *
   * @example
   * ```ts
   * import assert from 'node:assert/strict';
   * import { Panel } from 'typegrad/plot';
   * const p = new Panel({
   *   x: 0, y: 0, width: 100, height: 100, xRange: [0, 1], yRange: [0, 1],
   *   title: 't', xLabel: 'x', yLabel: 'y', ticks: [],
   * });
   * assert.equal(p.sy(0.25), 75);
   * ```
   */
  sy(v: number): number {
    const { y, height, yRange } = this.o;
    return y + height - ((v - yRange[0]) / (yRange[1] - yRange[0])) * height;
  }

  /**
   * Shades each cell of an n×n raster by `classify(x, y)` (true → `colors[1]`), merging runs per row.
   *
   * @example
   * ```ts
   * import assert from 'node:assert/strict';
   * import { Panel } from 'typegrad/plot';
   * const p = new Panel({
   *   x: 0, y: 0, width: 100, height: 100, xRange: [0, 1], yRange: [0, 1],
   *   title: 't', xLabel: 'x', yLabel: 'y', ticks: [],
   * });
   * assert.ok(p.regions((x) => x > 0.5, ['#fff', '#000'], 4).render().includes('fill="#000"'));
   * ```
   */
  regions(classify: (x: number, y: number) => boolean, colors: readonly [string, string], n = 80): this {
    const { xRange, yRange } = this.o;
    const dx = (xRange[1] - xRange[0]) / n;
    const dy = (yRange[1] - yRange[0]) / n;
    for (let r = 0; r < n; r++) {
      const yc = yRange[0] + (r + 0.5) * dy;
      let start = 0;
      let cls = classify(xRange[0] + 0.5 * dx, yc);
      for (let c = 1; c <= n; c++) {
        const next = c < n ? classify(xRange[0] + (c + 0.5) * dx, yc) : !cls;
        if (next !== cls) {
          const x0 = this.sx(xRange[0] + start * dx);
          const x1 = this.sx(xRange[0] + c * dx);
          const y1 = this.sy(yRange[0] + r * dy);
          const y0 = this.sy(yRange[0] + (r + 1) * dy);
          this.parts.push(
            `<rect x="${fmt(x0)}" y="${fmt(y0)}" width="${fmt(x1 - x0 + 0.3)}" height="${fmt(y1 - y0 + 0.3)}" fill="${colors[cls ? 1 : 0]}"/>`,
          );
          start = c;
          cls = next;
        }
      }
    }
    return this;
  }

  /**
   * The level set `f(x, y) = 0` by marching squares on an n×n raster, as one path.
   *
   * @example
   * ```ts
   * import assert from 'node:assert/strict';
   * import { Panel } from 'typegrad/plot';
   * const p = new Panel({
   *   x: 0, y: 0, width: 100, height: 100, xRange: [0, 1], yRange: [0, 1],
   *   title: 't', xLabel: 'x', yLabel: 'y', ticks: [],
   * });
   * assert.ok(p.contour((x, y) => x - y, 'stroke="red"', 8).render().includes('<path d="M'));
   * ```
   */
  contour(f: (x: number, y: number) => number, style: string, n = 120): this {
    const { xRange, yRange } = this.o;
    const xs = Array.from({ length: n + 1 }, (_, i) => xRange[0] + ((xRange[1] - xRange[0]) * i) / n);
    const ys = Array.from({ length: n + 1 }, (_, j) => yRange[0] + ((yRange[1] - yRange[0]) * j) / n);
    const v = ys.map((y) => xs.map((x) => f(x, y)));
    const d: string[] = [];
    const lerp = (a: Point, fa: number, b: Point, fb: number): Point => {
      const t = fa / (fa - fb);
      return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    };
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const corners: [Point, number][] = [
          [[xs[i]!, ys[j]!], v[j]![i]!],
          [[xs[i + 1]!, ys[j]!], v[j]![i + 1]!],
          [[xs[i + 1]!, ys[j + 1]!], v[j + 1]![i + 1]!],
          [[xs[i]!, ys[j + 1]!], v[j + 1]![i]!],
        ];
        const hits: Point[] = [];
        for (let k = 0; k < 4; k++) {
          const [a, fa] = corners[k]!;
          const [b, fb] = corners[(k + 1) % 4]!;
          if (fa < 0 !== fb < 0) hits.push(lerp(a, fa, b, fb));
        }
        for (let k = 0; k + 1 < hits.length; k += 2) {
          const [p, q] = [hits[k]!, hits[k + 1]!];
          d.push(`M${fmt(this.sx(p[0]))} ${fmt(this.sy(p[1]))}L${fmt(this.sx(q[0]))} ${fmt(this.sy(q[1]))}`);
        }
      }
    }
    this.parts.push(`<path d="${d.join('')}" ${style} fill="none"/>`);
    return this;
  }

  /**
   * A line through `points`; `style` is raw SVG attributes (`'stroke="red"'`).
   *
   * @example
   * ```ts
   * import assert from 'node:assert/strict';
   * import { Panel } from 'typegrad/plot';
   * const p = new Panel({
   *   x: 0, y: 0, width: 100, height: 100, xRange: [0, 1], yRange: [0, 1],
   *   title: 't', xLabel: 'x', yLabel: 'y', ticks: [],
   * });
   * assert.ok(p.polyline([[0, 0], [1, 1]], 'stroke="red"').render().includes('points="0,100 100,0"'));
   * ```
   */
  polyline(points: readonly Point[], style: string): this {
    const pts = points.map(([a, b]) => `${fmt(this.sx(a))},${fmt(this.sy(b))}`).join(' ');
    this.parts.push(`<polyline points="${pts}" fill="none" ${style}/>`);
    return this;
  }

  /**
   * A dot of radius `r` at each point.
   *
   * @example
   * ```ts
   * import assert from 'node:assert/strict';
   * import { Panel } from 'typegrad/plot';
   * const p = new Panel({
   *   x: 0, y: 0, width: 100, height: 100, xRange: [0, 1], yRange: [0, 1],
   *   title: 't', xLabel: 'x', yLabel: 'y', ticks: [],
   * });
   * assert.ok(p.points([[0.5, 0.5]], 'blue').render().includes('cx="50" cy="50"'));
   * ```
   */
  points(points: readonly Point[], fill: string, r = 3.5): this {
    for (const [a, b] of points)
      this.parts.push(
        `<circle cx="${fmt(this.sx(a))}" cy="${fmt(this.sy(b))}" r="${r}" fill="${fill}" stroke="white" stroke-width="0.8"/>`,
      );
    return this;
  }

  /**
   * The frame, ticks, tick labels, axis labels and title, drawn above the clipped content.
   *
   * @example
   * ```ts
   * import assert from 'node:assert/strict';
   * import { Panel } from 'typegrad/plot';
   * const p = new Panel({
   *   x: 0, y: 0, width: 100, height: 100, xRange: [0, 1], yRange: [0, 1],
   *   title: 't', xLabel: 'x', yLabel: 'y', ticks: [],
   * });
   * assert.ok(p.render().includes('<clipPath'));
   * ```
   */
  render(): string {
    const { x, y, width, height, title, xLabel, yLabel, ticks = [-1, -0.5, 0, 0.5, 1] } = this.o;
    const out: string[] = [
      `<clipPath id="${this.clipId}"><rect x="${x}" y="${y}" width="${width}" height="${height}"/></clipPath>`,
      `<g clip-path="url(#${this.clipId})">${this.parts.join('')}</g>`,
      `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="none" stroke="#334155" stroke-width="1.2"/>`,
    ];
    for (const t of ticks) {
      const px = fmt(this.sx(t));
      const py = fmt(this.sy(t));
      out.push(
        `<line x1="${px}" y1="${y + height}" x2="${px}" y2="${y + height + 5}" stroke="#334155"/>`,
        `<text x="${px}" y="${y + height + 18}" text-anchor="middle">${t}</text>`,
        `<line x1="${x - 5}" y1="${py}" x2="${x}" y2="${py}" stroke="#334155"/>`,
        `<text x="${x - 8}" y="${py}" text-anchor="end" dominant-baseline="middle">${t}</text>`,
      );
    }
    out.push(
      `<text x="${x + width / 2}" y="${y + height + 38}" text-anchor="middle" font-style="italic">${esc(xLabel)}</text>`,
      `<text x="${x - 36}" y="${y + height / 2}" text-anchor="middle" font-style="italic" transform="rotate(-90 ${x - 36} ${y + height / 2})">${esc(yLabel)}</text>`,
      `<text x="${x + width / 2}" y="${y - 12}" text-anchor="middle" font-size="15" font-weight="600">${esc(title)}</text>`,
    );
    return out.join('\n');
  }
}

/**
 * One entry of a {@link legend}.
 *
 * @example
 * ```ts
 * import type { LegendEntry } from 'typegrad/plot';
 * const e: LegendEntry = { label: 'train', kind: 'line', color: '#2563eb' };
 * ```
 */
export interface LegendEntry {
  /** The text after the swatch. */
  readonly label: string;
  /** 'point' draws a dot, 'line' a short stroke, 'area' a swatch. */
  readonly kind: 'point' | 'line' | 'area';
  /** The swatch's stroke colour (any SVG colour). */
  readonly color: string;
  /** An SVG `stroke-dasharray` for a dashed swatch. */
  readonly dash?: string | undefined;
}

/**
 * A horizontal legend starting at (x, y), as an SVG fragment.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { legend } from 'typegrad/plot';
 * const svg = legend(10, 10, [{ label: 'test', kind: 'point', color: 'red' }]);
 * assert.ok(svg.includes('>test</text>'));
 * ```
 */
export function legend(x: number, y: number, entries: readonly LegendEntry[]): string {
  let cx = x;
  const out: string[] = [];
  for (const e of entries) {
    if (e.kind === 'point') out.push(`<circle cx="${cx + 6}" cy="${y}" r="5" fill="${e.color}"/>`);
    else if (e.kind === 'area')
      out.push(`<rect x="${cx}" y="${y - 6}" width="14" height="12" fill="${e.color}" stroke="#94a3b8"/>`);
    else
      out.push(
        `<line x1="${cx - 2}" y1="${y}" x2="${cx + 16}" y2="${y}" stroke="${e.color}" stroke-width="2.5"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>`,
      );
    out.push(`<text x="${cx + 22}" y="${y}" dominant-baseline="middle">${esc(e.label)}</text>`);
    cx += 34 + e.label.length * 7;
  }
  return out.join('\n');
}

/**
 * Wraps the parts in an `<svg>` document with a white background and one font.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { svgDocument } from 'typegrad/plot';
 * assert.ok(svgDocument(10, 10, []).includes('width="10"'));
 * ```
 */
export function svgDocument(width: number, height: number, body: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#0f172a">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
