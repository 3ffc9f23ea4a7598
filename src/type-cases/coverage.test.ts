/**
 * Every public op and layer has type tests (rows in ops.ts and layers.ts): inside functions
 * generic in the batch and time dims, correct code compiles to the exact result shape, with
 * `number` dims and with named string dims; a mistake fails on its own line with a message
 * naming the op or layer and both dims; on TypeScript 5.9 and 7. The coverage test fails when
 * a public function has no row and no reason here.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { checkSnippets, type LineError, type SnippetReport } from '../../test/compile-errors.ts';
import * as tg from '../index.ts';
import { buildSnippet, type Section, type TypeCase } from './case.ts';
import { layerRows } from './layers.ts';
import { mistakes } from './mistakes.ts';
import { creationRows, opRows } from './ops.ts';

const rows: TypeCase[] = [...opRows, ...creationRows, ...layerRows];

/** Public functions that are not ops on shaped tensors (transforms, runtime control, tools). */
const notOps: Record<string, string> = {
  ShapeError: 'an error class',
  Tensor: 'the tensor class',
  clone: 'copies any pytree',
  customVjp: 'wraps a function',
  dispose: 'memory management',
  scope: 'memory management',
  memory: 'memory statistics',
  setAllocationLimit: 'runtime setting',
  getBackend: 'runtime setting',
  setBackend: 'runtime setting',
  grad: 'a transform of a function',
  valueAndGrad: 'a transform of a function',
  hessian: 'a transform of a function',
  jacfwd: 'a transform of a function',
  jacrev: 'a transform of a function',
  jvp: 'a transform of a function',
  vjp: 'a transform of a function',
  jit: 'a transform of a function',
  makeJaxpr: 'a transform of a function',
  foriLoop: 'a loop over a function',
  whileLoop: 'a loop over a function',
  whileLoopAsync: 'a loop over a function',
  'nn.summary': 'prints a parameter table',
};

const functions = (ns: object, prefix: string) =>
  Object.entries(ns)
    .filter(([, v]) => typeof v === 'function')
    .map(([k, v]) => [prefix + k, v] as const);

describe('type-test coverage', () => {
  test('every public op and layer has a row or a reason', () => {
    const byName = new Set(rows.map((r) => r.name));
    const top = functions(tg, '');
    const topByValue = new Map(top.map(([k, v]) => [v, k]));
    const missing: string[] = [];
    for (const [name, value] of [...top, ...functions(tg.nn, 'nn.')]) {
      // nn re-exports the activations and pools: the top-level row covers them
      const alias = topByValue.get(value);
      if ([name, alias].some((n) => n !== undefined && (byName.has(n) || n in notOps))) continue;
      missing.push(name);
    }
    expect(missing).toEqual([]);
  });

  test('every row has a negative case or says why not', () => {
    expect(rows.filter((r) => (r.bad === undefined) === (r.noBad === undefined)).map((r) => r.name)).toEqual(
      [],
    );
  });
});

const snippets = {
  number: buildSnippet(rows, (r) => r.ok, 'number'),
  string: buildSnippet(rows, (r) => r.ok, 'string'),
  bad: buildSnippet(rows, (r) => r.bad, 'number'),
};
let reports: Map<string, SnippetReport>;

beforeAll(async () => {
  // one program for the rows and the mistakes: the library is type-checked once
  reports = await checkSnippets([
    ...Object.entries(snippets).map(([name, s]) => ({ name, code: s.code })),
    ...mistakes,
  ]);
}, 600_000);

const inSection = (s: Section | undefined, errors: readonly LineError[]) =>
  s === undefined ? [] : errors.filter((e) => e.line >= s.from && e.line <= s.to);

describe.each(rows.map((r) => [r.name, r] as const))('%s', (name) => {
  test.each(['number', 'string'] as const)('compiles with %s dims, to the exact shapes', (dim) => {
    const section = snippets[dim].sections.find((s) => s.name === name);
    const r = reports.get(dim)!;
    expect(inSection(section, r.ts59), 'TypeScript 5.9').toEqual([]);
    expect(inSection(section, r.ts7), 'TypeScript 7').toEqual([]);
  });
  test('a mistake fails on its line, naming the op and both dims', () => {
    const section = snippets.bad.sections.find((s) => s.name === name);
    if (section === undefined) return; // noBad: checked above
    const r = reports.get('bad')!;
    const expected = inSection(section, r.expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(inSection(section, r.ts59), 'TypeScript 5.9').toEqual(expected);
    expect(inSection(section, r.ts7), 'TypeScript 7').toEqual(expected);
    expect(inSection(section, r.unpackaged), 'printed message first, on one line').toEqual([]);
  });
});

test('no error outside the rows', () => {
  for (const [name, s] of Object.entries(snippets)) {
    const r = reports.get(name)!;
    const outside = (errors: readonly LineError[]) =>
      errors.filter((e) => !s.sections.some((sec) => e.line >= sec.from && e.line <= sec.to));
    expect(outside(r.ts59), `${name}: TypeScript 5.9`).toEqual([]);
    expect(outside(r.ts7), `${name}: TypeScript 7`).toEqual([]);
  }
});

describe('realistic mistakes fail on their line with a message naming the layer and the dims', () => {
  test.each(mistakes.map((m) => [m.name] as const))('%s', (name) => {
    const r = reports.get(name)!;
    expect(r.ts59, 'TypeScript 5.9').toEqual(r.expected);
    expect(r.ts7, 'TypeScript 7').toEqual(r.expected);
    expect(r.unpackaged, 'printed message first, on one line').toEqual([]);
  });
});
