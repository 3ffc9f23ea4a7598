// TypeScript consumers of the installed package: strict, skipLibCheck false, under
// lib ES2022 and ES2022+DOM, with moduleResolution bundler and node16.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BROWSER_CONSUMER = `import { grad, matmul, type Tensor, tensor, sum, tanh } from 'typegrad';
import { checkGrads } from 'typegrad/testing';
import { DIGITS_TRAIN, loadDigits } from 'typegrad/datasets/digits';

const a: Tensor<[2, 2], 'f32'> = tensor([[1, 2], [3, 4]]);
const b = matmul(a, tensor([[1], [1]]));
const shape: readonly [2, 1] = b.shape;
const g = grad((x: Tensor<[2], 'f64'>) => sum(tanh(x)))(tensor([0, 1], { dtype: 'f64' }));
checkGrads((x: Tensor<[2], 'f64'>) => sum(tanh(x)), [tensor([0.3, -0.2], { dtype: 'f64' })]);
const n: number = DIGITS_TRAIN;
export const used = [shape, g, n, loadDigits] as const;
`;

const NODE_CONSUMER = `import { tensor } from 'typegrad';
import { loadDigitsSync, saveSafetensors } from 'typegrad/node';
import { arbTensor } from 'typegrad/testing/arbitraries';

saveSafetensors('/tmp/x.safetensors', { w: { shape: [2], data: tensor([1, 2]).dataSync() } });
export const used = [loadDigitsSync().train.n, arbTensor([2])] as const;
`;

/** The consumer projects: each resolution, each lib, browser-only and Node (+@types/node). */
export function consumerProjects() {
  const projects = [];
  for (const resolution of ['bundler', 'node16']) {
    for (const lib of [['ES2022'], ['ES2022', 'DOM']]) {
      projects.push({
        name: `browser-${resolution}-${lib.join('+')}`,
        resolution,
        lib,
        types: [],
        source: BROWSER_CONSUMER,
      });
    }
    projects.push({
      name: `node-${resolution}`,
      resolution,
      lib: ['ES2022'],
      types: ['node'],
      source: NODE_CONSUMER,
    });
  }
  return projects;
}

/** Writes each consumer into `app/consumers/<name>` and type-checks it; throws on any error. */
export function typecheckConsumers(app, tscPath) {
  const results = [];
  for (const p of consumerProjects()) {
    const dir = join(app, 'consumers', p.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.ts'), p.source);
    const compilerOptions = {
      target: 'ES2022',
      lib: p.lib,
      module: p.resolution === 'bundler' ? 'ESNext' : 'Node16',
      moduleResolution: p.resolution === 'bundler' ? 'Bundler' : 'Node16',
      types: p.types,
      strict: true,
      skipLibCheck: false,
      noEmit: true,
    };
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, files: ['main.ts'] }, null, 2),
    );
    // node16 resolution reads the nearest package.json for the module format: make it ESM.
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    try {
      execFileSync(process.execPath, [tscPath, '-p', join(dir, 'tsconfig.json')], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      throw new Error(`type-check of the consumer ${p.name} failed:\n${e.stdout}${e.stderr}`);
    }
    results.push(p.name);
  }
  return results;
}
