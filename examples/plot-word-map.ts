/**
 * The 2-D map of word vectors drawn by docs/04-word-vectors.md (the paper's Figure 4): one
 * labelled dot per word, coloured by the group the reader expects it to fall in.
 */
import { legend, Panel, svgDocument } from '../src/plot/index.ts';

export interface MapWord {
  readonly word: string;
  readonly x: number;
  readonly y: number;
  /** Index into the groups passed to `wordMapSvg`. */
  readonly group: number;
}

export interface MapGroup {
  readonly label: string;
  readonly color: string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

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

/** An SVG scatter plot of the words at their 2-D coordinates, with labels and a legend. */
export function wordMapSvg(
  words: readonly MapWord[],
  groups: readonly MapGroup[],
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
  const labels = placeLabels(words.map((w) => [panel.sx(w.x), panel.sy(w.y), w.word] as const)).map(
    ([x, y], i) => {
      const w = words[i]!;
      const color = groups[w.group]?.color ?? '#0f172a';
      return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" fill="${color}" font-size="13">${esc(w.word)}</text>`;
    },
  );
  const key = legend(
    80,
    680,
    groups.map((g) => ({ label: g.label, kind: 'point' as const, color: g.color })),
  );
  return svgDocument(900, 700, [panel.render(), ...labels, key]);
}
