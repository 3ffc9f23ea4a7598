// Builds the package: JavaScript + declarations into dist/ (relative .ts imports rewritten
// to .js), plus the data assets the digits loader reads next to its module.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
cpSync('src/data/assets', 'dist/data/assets', { recursive: true });
console.log('built dist/');
