/**
 * Type-cost budget: compiles the shape type tests and the LeNet-5 sample with
 * `tsc --extendedDiagnostics` (TypeScript 5.9) and fails when the number of type
 * instantiations exceeds the committed budget in scripts/type-budget.json.
 *
 *   npx tsx scripts/type-budget.ts            check against the budget
 *   npx tsx scripts/type-budget.ts --update   set the budget to 25% above the measured count
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const budgetFile = path.join(repoRoot, 'scripts/type-budget.json');

/** The files whose type cost is budgeted: every shape type test and the LeNet-5 sample. */
export function budgetedFiles(): string[] {
  const shapes = path.join(repoRoot, 'src/shapes');
  const typeTests = readdirSync(shapes)
    .filter((f) => f.endsWith('.test-d.ts'))
    .map((f) => path.join(shapes, f));
  return [...typeTests, path.join(repoRoot, 'test/lenet-sample.ts')];
}

/** Runs tsc 5.9 over the budgeted files; returns the instantiation count (throws on type errors). */
export function measureInstantiations(): number {
  const dir = mkdtempSync(path.join(tmpdir(), 'typegrad-type-budget-'));
  try {
    const tsconfig = {
      extends: path.join(repoRoot, 'tsconfig.json'),
      compilerOptions: { types: [], noEmit: true },
      include: [],
      files: budgetedFiles(),
    };
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
    const output = execFileSync(
      process.execPath,
      [tsc, '-p', dir, '--extendedDiagnostics', '--pretty', 'false'],
      {
        encoding: 'utf8',
      },
    );
    const match = /^Instantiations:\s+(\d+)/m.exec(output);
    if (!match) throw new Error(`no instantiation count in tsc output:\n${output}`);
    return Number(match[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function readBudget(): number {
  return (JSON.parse(readFileSync(budgetFile, 'utf8')) as { instantiations: number }).instantiations;
}

function main(): void {
  const measured = measureInstantiations();
  if (process.argv.includes('--update')) {
    const budget = Math.ceil((measured * 1.25) / 1000) * 1000;
    writeFileSync(budgetFile, `${JSON.stringify({ instantiations: budget, measured }, null, 2)}\n`);
    console.log(`type budget set to ${budget} instantiations (measured ${measured})`);
    return;
  }
  const budget = readBudget();
  console.log(`type instantiations: ${measured} (budget ${budget})`);
  if (measured > budget) {
    console.error(
      'over the type budget: make the shape types cheaper, or raise the budget with --update and say why',
    );
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
