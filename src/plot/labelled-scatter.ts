/**
 * A scatter plot of labelled points in groups, labels placed clear of each other: e.g. a 2-D map
 * of word vectors (docs/04-word-vectors.md, the paper's Figure 4).
 */
import { esc, legend, Panel, svgDocument } from './svg.ts';

/**
 * One point of {@link labelledScatterSvg}, drawn with its label.
 *
 * @example
 * ```ts
 * import type { LabelledPoint } from 'typegrad/plot';
 * const p: LabelledPoint = { label: 'king', x: 0.3, y: -1.2, group: 0 };
 * ```
 */
export interface LabelledPoint {
  /** The text written by the point, e.g. a word. */
  readonly label: string;
  /** The horizontal coordinate, in data units (the axes are fitted to the points). */
  readonly x: number;
  /** The vertical coordinate, in data units. */
  readonly y: number;
  /** Index into the groups passed to `labelledScatterSvg`. */
  readonly group: number;
}

/**
 * A group of points: its legend entry and colour.
 *
 * @example
 * ```ts
 * import type { PointGroup } from 'typegrad/plot';
 * const g: PointGroup = { label: 'royalty', color: '#7c3aed' };
 * ```
 */
export interface PointGroup {
  /** The group's name in the legend. */
  readonly label: string;
  /** An SVG colour for the group's points and labels, e.g. `'#7c3aed'`. */
  readonly color: string;
}

/** Nice symmetric range around the data, with a margin for the labels. */
function range(values: readonly number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = 0.08 * (hi - lo || 1);
  return [lo - pad, hi + pad];
}

/**
 * Greedy label placement: each label (baseline position) goes to the first of a few spots
 * around its dot where it overlaps no label placed before it (else to the first spot).
 */
function placeLabels(dots: readonly (readonly [number, number, string])[]): [number, number][] {
  const boxes: [number, number, number, number][] = []; // x0, y0, x1, y1
  const H = 13;
  return dots.map(([x, y, word]) => {
    const W = 7.3 * word.length;
    const spots: [number, number][] = [
      [x + 6, y - 5],
      [x + 6, y + 13],
      [x - 6 - W, y - 5],
      [x - 6 - W, y + 13],
      [x - W / 2, y - 9],
      [x - W / 2, y + 18],
    ];
    const free = ([lx, ly]: [number, number]) =>
      boxes.every(([a, b, c, d]) => lx + W < a || lx > c || ly < b || ly - H > d);
    const [lx, ly] = spots.find(free) ?? spots[0]!;
    boxes.push([lx, ly - H, lx + W, ly]);
    return [lx, ly];
  });
}

/**
 * An SVG scatter plot (900×700) of labelled points coloured by group, with a legend; the axes
 * carry names but no ticks (for maps where directions matter, not units).
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import { labelledScatterSvg } from 'typegrad/plot';
 *
 * const svg = labelledScatterSvg(
 *   [
 *     { label: 'cat', x: 0, y: 0, group: 0 },
 *     { label: 'dog', x: 1, y: 0.5, group: 0 },
 *     { label: 'Paris', x: -1, y: 2, group: 1 },
 *   ],
 *   [{ label: 'animals', color: '#16a34a' }, { label: 'cities', color: '#2563eb' }],
 *   'three words',
 * );
 * assert.ok(svg.includes('>Paris</text>') && svg.includes('cities'));
 * ```
 */
export function labelledScatterSvg(
  words: readonly LabelledPoint[],
  groups: readonly PointGroup[],
  title: string,
  axes: readonly [string, string] = ['first principal component', 'second principal component'],
): string {
  const xRange = range(words.map((w) => w.x));
  const yRange = range(words.map((w) => w.y));
  const panel = new Panel({
    x: 70,
    y: 50,
    width: 760,
    height: 560,
    xRange,
    yRange,
    title,
    xLabel: axes[0],
    yLabel: axes[1],
    ticks: [], // the directions matter, not the units
  });
  for (const [g, { color }] of groups.entries()) {
    panel.points(
      words.filter((w) => w.group === g).map((w) => [w.x, w.y] as const),
      color,
      4,
    );
  }
  const labels = placeLabels(words.map((w) => [panel.sx(w.x), panel.sy(w.y), w.label] as const)).map(
    ([x, y], i) => {
      const w = words[i]!;
      const color = groups[w.group]?.color ?? '#0f172a';
      return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" fill="${color}" font-size="13">${esc(w.label)}</text>`;
    },
  );
  const key = legend(
    80,
    680,
    groups.map((g) => ({ label: g.label, kind: 'point' as const, color: g.color })),
  );
  return svgDocument(900, 700, [panel.render(), ...labels, key]);
}
