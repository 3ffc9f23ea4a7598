/**
 * Turns the JSON lines of `npm run bench -- --peers` into the markdown table of
 * bench/README.md: per case, each library's median (ms/iter, and GF/s or µs/op where
 * defined) and the median [range] of the per-round ratios typegrad/peer.
 *
 *   npm run bench -- --peers > run.jsonl; npx tsx bench/compare/table.ts run.jsonl
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

type Line = Record<string, unknown>;

const PEERS = ['typegrad', 'jax-js', 'tfjs'] as const;

/** One library's figure: ms/iter, with GF/s or µs/op beside it. */
function figure(m: Line | undefined, unsupported: Line | undefined): string {
  if (!m) return unsupported ? 'cannot' : '–';
  const extra =
    m.gflops !== undefined
      ? ` (${m.gflops} GF/s)`
      : m.us_per_op !== undefined
        ? ` (${m.us_per_op} µs/op)`
        : '';
  return `${m.ms_per_iter} ms${extra}`;
}

/**
 * The markdown table of the lines (in the order their cases first appear).
 *
 * @example
 *   markdownTable(readFileSync('run.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
 */
export function markdownTable(lines: readonly Line[]): string {
  const key = (l: Line) =>
    [l.workload, ...Object.entries((l.params ?? {}) as Line).map(([k, v]) => `${k}=${v}`)].join(' ');
  const cases = [...new Set(lines.filter((l) => l.workload !== undefined).map(key))];
  const find = (k: string, pred: (l: Line) => boolean) => lines.find((l) => key(l) === k && pred(l));
  const rows = cases.map((k) => {
    const cells = PEERS.map((p) =>
      figure(
        find(k, (l) => l.peer === p && l.ms_per_iter !== undefined),
        find(k, (l) => l.peer === p && l.unsupported !== undefined),
      ),
    );
    const ratios = PEERS.slice(1).map((p) => {
      const r = find(k, (l) => l.ratio === `typegrad/${p}`);
      return r ? `${r.median} [${r.min}–${r.max}]` : '–';
    });
    const load = find(k, (l) => l.peer === 'typegrad' && l.host_load1 !== undefined)?.host_load1 ?? '–';
    return `| ${k} | ${cells.join(' | ')} | ${ratios.join(' | ')} | ${load} |`;
  });
  return [
    '| case | typegrad | jax-js | tfjs | typegrad/jax-js | typegrad/tfjs | load1 |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

const file = process.argv[2];
if (file && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((s) => s.startsWith('{'))
    .map((s) => JSON.parse(s) as Line);
  console.log(markdownTable(lines));
}
