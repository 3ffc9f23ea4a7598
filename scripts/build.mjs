// Builds the package: JavaScript + declarations into dist/ (relative .ts imports rewritten
// to .js; `#platform` stays a package import, resolved by package.json `imports`), plus the
// digits asset next to the module that loads it (typegrad/datasets/digits), once.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
cpSync('src/datasets/assets', 'dist/datasets/assets', { recursive: true });
console.log('built dist/');
