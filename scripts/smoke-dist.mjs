// Uses the built package as a user would, in plain Node (no TypeScript loader): imports
// 'typegrad', 'typegrad/node' and 'typegrad/testing' by name and trains a step.
import assert from 'node:assert/strict';
import { grad, memory, nn, random, sum, tanh, tensor } from 'typegrad';
import { loadDigitsSync } from 'typegrad/node';
import { checkGrads } from 'typegrad/testing';

const g = grad((x) => sum(tanh(x)))(tensor([0, 1], { dtype: 'f64' }));
assert.ok(Math.abs(g.dataSync()[1] - (1 - Math.tanh(1) ** 2)) < 1e-12, 'grad of tanh');

const p = nn.dense.init(random.key(0), { in: 3, out: 2 });
const y = nn.dense(p, tensor([[1, 2, 3]]));
assert.deepEqual(y.shape, [1, 2]);

checkGrads((x) => sum(tanh(x)), [tensor([0.3, -0.2], { dtype: 'f64' })]);

const digits = loadDigitsSync();
assert.equal(digits.train.n + digits.test.n, 10000);
console.log(`dist smoke test: ok (${memory().cpu.tensors} live tensors)`);
