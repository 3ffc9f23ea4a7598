/**
 * The README's example must fail to compile exactly where it says, with the message it shows.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, expect, test } from 'vitest';
import { checkSnippets, type SnippetReport } from './compile-errors.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const errorLine = 'return matmul(h, w2);';
const shown = /'"([^"]*)"'\./.exec(block)?.[1] ?? '';

let report: SnippetReport;
beforeAll(async () => {
  const code = block
    .replaceAll("from 'typegrad'", "from '#typegrad'")
    .split('\n')
    .map((line) => (line.includes(errorLine) ? `${line} // ERR: ${shown}` : line))
    .join('\n');
  report = (await checkSnippets([{ name: 'readme', code }])).get('readme')!;
}, 120_000);

test('the README example fails on its last statement with the message it shows', () => {
  expect(shown).toBe('matmul: inner dims 512 and 400 differ');
  expect(report.expected).toHaveLength(1);
  expect(report.ts59).toEqual(report.expected);
  expect(report.ts7).toEqual(report.expected);
});
