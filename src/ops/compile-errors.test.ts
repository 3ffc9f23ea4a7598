/**
 * Negative type tests of the public ops (cases in compile-error-cases.ts): every snippet must
 * fail to compile exactly on its `// ERR:` lines with that `ShapeError<"...">` message under
 * TypeScript 5.9 (compiler API, one program for all snippets) and TypeScript 7 (its CLI, one
 * run), and the op's run-time twin must throw the same text.
 *
 * test/compile-errors.ts does the same for src/shapes, but compiles with `types: []`, which
 * cannot load the real ops (the backends need the WebGPU and Node types); this runner keeps
 * the repo's compiler options and writes its snippets under node_modules/.cache so that those
 * types resolve.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, test } from 'vitest';
import { type CompileErrorCase, lenetCases, opCases } from './compile-error-cases.ts';

interface LineError {
  readonly line: number;
  readonly message: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MARKER = '// ERR: ';
const byLine = (a: LineError, b: LineError) => a.line - b.line || a.message.localeCompare(b.message);
const shapeMessage = (text: string) => /ShapeError<"([^"]*)">/.exec(text)?.[1] ?? text;

function expectedErrors(code: string): LineError[] {
  return code.split('\n').flatMap((text, i) => {
    const at = text.indexOf(MARKER);
    return at < 0 ? [] : [{ line: i + 1, message: text.slice(at + MARKER.length).trim() }];
  });
}

function compileWithTs59(files: readonly string[]): Map<string, LineError[]> {
  const config = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
  const program = ts.createProgram(files, { ...options, noEmit: true });
  const out = new Map<string, LineError[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = path.resolve(d.file?.fileName ?? '<global>');
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    const message = shapeMessage(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    out.set(name, [...(out.get(name) ?? []), { line, message }]);
  }
  return out;
}

async function compileWithTs7(files: readonly string[], dir: string): Promise<Map<string, LineError[]>> {
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: path.join(repoRoot, 'tsconfig.json'),
      compilerOptions: { noEmit: true },
      include: [],
      files,
    }),
  );
  const tsc7 = path.join(repoRoot, 'node_modules/typescript7/bin/tsc');
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc7, '-p', dir, '--pretty', 'false'], { cwd: dir });
    let text = '';
    child.stdout.on('data', (c) => {
      text += c;
    });
    child.stderr.on('data', (c) => {
      text += c;
    });
    child.on('error', reject);
    child.on('close', () => resolve(text));
  });
  const out = new Map<string, LineError[]>();
  for (const block of output.split(/\n(?=\S)/)) {
    const m = /^(.+?)\((\d+),\d+\): error TS\d+: ([\s\S]*)$/.exec(block.trim());
    if (!m) continue;
    const name = path.resolve(dir, m[1]!);
    out.set(name, [...(out.get(name) ?? []), { line: Number(m[2]), message: shapeMessage(m[3]!) }]);
  }
  return out;
}

interface Report {
  expected: LineError[];
  ts59: LineError[];
  ts7: LineError[];
}

async function checkAll(cases: readonly CompileErrorCase[]): Promise<Map<string, Report>> {
  const cache = path.join(repoRoot, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, 'typegrad-ops-compile-errors-'));
  try {
    const index = path.join(repoRoot, 'src/index.ts');
    const files = cases.map((c, i) => {
      const file = path.join(dir, `snippet${i}.ts`);
      writeFileSync(file, c.code.replaceAll("'#typegrad'", `'${index}'`));
      return file;
    });
    const ts7Run = compileWithTs7(files, dir);
    const ts59 = compileWithTs59(files);
    const ts7 = await ts7Run;
    const stray = [...ts59.keys(), ...ts7.keys()].filter((f) => !files.includes(f));
    if (stray.length > 0) {
      const details = stray.map((f) => `${f}: ${JSON.stringify(ts59.get(f) ?? ts7.get(f))}`);
      throw new Error(`errors outside the snippets:\n${details.join('\n')}`);
    }
    return new Map(
      cases.map((c, i) => [
        c.name,
        {
          expected: expectedErrors(c.code).sort(byLine),
          ts59: (ts59.get(files[i]!) ?? []).sort(byLine),
          ts7: (ts7.get(files[i]!) ?? []).sort(byLine),
        },
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cases = [...opCases, ...lenetCases];
let reports: Map<string, Report>;

beforeAll(async () => {
  reports = await checkAll(cases);
}, 600_000);

describe('ops: compile errors land on the offending line with the ShapeError message', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = reports.get(c.name)!;
    expect(r.ts59, 'TypeScript 5.9').toEqual(r.expected);
    expect(r.ts7, 'TypeScript 7').toEqual(r.expected);
    if (c.runtime) {
      const [only] = r.expected;
      expect(r.expected).toHaveLength(1);
      expect(c.runtime, 'run-time twin').toThrow(only!.message);
    }
  });
});
