// Runs inside the temporary app of `npm run test:dist`, in plain Node (no TypeScript loader):
// imports every subpath of the installed tarball by name and uses each once.
//   node smoke-dist.mjs without-peers   fast-check absent: typegrad/testing still works,
//                                       typegrad/testing/arbitraries names what to install
//   node smoke-dist.mjs with-peers      fast-check installed: the arbitraries work too
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grad, matmul, memory, nn, random, sum, tanh, tensor } from 'typegrad';
import { DIGITS_TRAIN, loadDigits } from 'typegrad/datasets/digits';
import { loadDigitsSync, loadSafetensors, saveSafetensors } from 'typegrad/node';
import { Panel, svgDocument } from 'typegrad/plot';
import { checkGrads } from 'typegrad/testing';

const mode = process.argv[2];
assert.ok(
  mode === 'with-peers' || mode === 'without-peers',
  `usage: smoke-dist.mjs with-peers|without-peers`,
);

const g = grad((x) => sum(tanh(x)))(tensor([0, 1], { dtype: 'f64' }));
assert.ok(Math.abs(g.dataSync()[1] - (1 - Math.tanh(1) ** 2)) < 1e-12, 'grad of tanh');
assert.deepEqual(matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray(), [[11]]);

const p = nn.dense.init(random.key(0), { in: 3, out: 2 });
assert.deepEqual(nn.dense(p, tensor([[1, 2, 3]])).shape, [1, 2]);

checkGrads((x) => sum(tanh(x)), [tensor([0.3, -0.2], { dtype: 'f64' })]);

const panel = new Panel({
  x: 0,
  y: 0,
  width: 10,
  height: 10,
  xRange: [0, 1],
  yRange: [0, 1],
  title: '',
  xLabel: '',
  yLabel: '',
  ticks: [],
});
assert.ok(svgDocument(10, 10, [panel.render()]).startsWith('<svg'), 'typegrad/plot');

const digits = await loadDigits();
assert.equal(digits.train.n, DIGITS_TRAIN);
assert.equal(loadDigitsSync().test.n, 2000);

const dir = mkdtempSync(join(tmpdir(), 'typegrad-smoke-'));
try {
  saveSafetensors(join(dir, 'w.safetensors'), { w: { shape: [2], data: new Float32Array([1.5, -2]) } });
  assert.deepEqual(Array.from(loadSafetensors(join(dir, 'w.safetensors')).tensors.w.data), [1.5, -2]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// ESM-only package: require() of it works on Node >= 20.19 (require(esm), unflagged).
const require = createRequire(import.meta.url);
assert.equal(typeof require('typegrad').matmul, 'function', 'require("typegrad")');

if (mode === 'without-peers') {
  await assert.rejects(import('typegrad/testing/arbitraries'), (e) => {
    assert.match(String(e.message), /fast-check/);
    return true;
  });
} else {
  const fc = (await import('fast-check')).default;
  const { arbTensor } = await import('typegrad/testing/arbitraries');
  const [t] = fc.sample(arbTensor([2, 3]), 1);
  assert.deepEqual(t.shape, [2, 3]);
}
console.log(`dist smoke test (${mode}): ok (${memory().cpu.tensors} live tensors)`);
