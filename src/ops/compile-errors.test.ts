/**
 * Negative type tests of the public ops (cases in compile-error-cases.ts): every snippet must
 * fail to compile exactly on its `// ERR:` lines with that `ShapeError<"...">` message under
 * TypeScript 5.9 and TypeScript 7 (test/compile-errors.ts), and the op's run-time twin must
 * throw the same text.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { checkSnippets, type SnippetReport } from '../../test/compile-errors.ts';
import { lenetCases, opCases } from './compile-error-cases.ts';
import { typedOpCases } from './typed-ops-cases.ts';

const cases = [...opCases, ...typedOpCases, ...lenetCases];
let reports: Map<string, SnippetReport>;

beforeAll(async () => {
  reports = await checkSnippets(cases);
}, 600_000);

describe('ops: compile errors land on the offending line with the ShapeError message', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = reports.get(c.name)!;
    expect(r.ts59, 'TypeScript 5.9').toEqual(r.expected);
    expect(r.ts7, 'TypeScript 7').toEqual(r.expected);
    expect(r.unpackaged, 'printed message first, on one line').toEqual([]);
    if (c.runtime) {
      const [only] = r.expected;
      expect(r.expected).toHaveLength(1);
      expect(c.runtime, 'run-time twin').toThrow(only!.message);
    }
  });
});
