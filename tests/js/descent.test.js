// @ts-check
// The gradient descent figure's maths (site/core/descent.js) on TF.js' CPU backend: TF.js'
// autodiff against finite differences of an independent double-precision loss, the batched
// loss surface, and the behaviour of each learning rate the figure offers.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  DEFAULT_LEARNING_RATE, EXTENT, LEARNING_RATES, LogisticDescent, START, descend, describeStep, judgeRun, makeClouds,
  surfaceColors,
} from '../../site/core/descent.js';

await tf.setBackend('cpu');
const clouds = makeClouds();
const problem = new LogisticDescent(tf, clouds);

/** -ln sigmoid(z) = ln(1 + e^-z), in doubles, without overflow for large |z|. @param {number} z */
const minusLogSigmoid = (z) => (z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z)));

/**
 * The oracle: mean binary cross-entropy in plain JS doubles, written from the definition
 * -y ln p - (1 - y) ln(1 - p), p = sigmoid(w . x) (and 1 - p = sigmoid(-w . x)), sharing
 * no code with the figure.
 * @param {number[]} w
 */
function referenceLoss(w) {
  let total = 0;
  for (let i = 0; i < clouds.count; i++) {
    const z = w[0] * clouds.points[2 * i] + w[1] * clouds.points[2 * i + 1];
    total += clouds.labels[i] ? minusLogSigmoid(z) : minusLogSigmoid(-z);
  }
  return total / clouds.count;
}

/** Central finite differences of the oracle. @param {number[]} w */
function numericGradient(w, h = 1e-5) {
  return w.map((_, j) => {
    const up = [...w], down = [...w];
    up[j] += h;
    down[j] -= h;
    return (referenceLoss(up) - referenceLoss(down)) / (2 * h);
  });
}

/**
 * Plain gradient descent from the figure's start, as the widget's Step button does it.
 * @param {number} learningRate
 * @param {number} [steps]
 */
async function run(learningRate, steps = 60) {
  let w = /** @type {[number, number]} */ ([...START]);
  const losses = [];
  let last = await problem.evaluate(w);
  for (let i = 0; i < steps; i++) {
    losses.push(last.loss);
    w = descend(w, last.grad, learningRate);
    last = await problem.evaluate(w);
  }
  losses.push(last.loss);
  return { losses, w, last };
}

test('the clouds are the same for the same seed, and differ for another', async () => {
  const again = makeClouds();
  assert.deepEqual(Array.from(again.points), Array.from(clouds.points));
  assert.deepEqual(Array.from(again.labels), Array.from(clouds.labels));
  assert.notDeepEqual(Array.from(makeClouds({ seed: 8 }).points), Array.from(clouds.points));
  assert.equal(clouds.points.length, 2 * clouds.count);
  assert.equal(clouds.labels.filter((y) => y === 1).length, clouds.count / 2);
});

test("TF.js' autodiff gradient matches finite differences of an independent loss", async () => {
  // The origin too: every logit is exactly 0 there, where a hand-written |z| trick would get the slope wrong.
  const points = [[0, 0], START, [-0.4, 1.15], [2, 2], [-1.7, 0.3], [0.01, -1.9], [6, 8]];
  for (const w of points) {
    const { loss, grad } = await problem.evaluate(/** @type {[number, number]} */ (w));
    const expected = numericGradient(w);
    assert.ok(Math.abs(loss - referenceLoss(w)) <= 1e-5 * Math.max(1, referenceLoss(w)), `loss at ${w}: ${loss} vs ${referenceLoss(w)}`);
    grad.forEach((g, j) => {
      assert.ok(Math.abs(g - expected[j]) <= 1e-4 * Math.max(1, Math.abs(expected[j])), `dL/dw${j + 1} at ${w}: ${g} vs ${expected[j]}`);
    });
  }
});

test('the batched loss surface equals the loss at each grid point', async () => {
  const size = 9;
  const surface = await problem.surface(size);
  assert.equal(surface.length, size * size);
  for (const [row, col] of [[0, 0], [0, size - 1], [size - 1, 0], [4, 4], [2, 7], [8, 3]]) {
    // Row 0 is the top of the map: w2 = +EXTENT; column 0 its left: w1 = -EXTENT.
    const w1 = -EXTENT + (2 * EXTENT * col) / (size - 1), w2 = EXTENT - (2 * EXTENT * row) / (size - 1);
    const expected = referenceLoss([w1, w2]);
    assert.ok(Math.abs(surface[row * size + col] - expected) <= 1e-5 * Math.max(1, expected), `(${row}, ${col})`);
  }
  assert.ok(Math.abs(surface[4 * size + 4] - Math.LN2) < 1e-6, 'at the origin every p is 1/2: the loss is ln 2');
});

test('each learning rate the figure offers does what the chapter says', async () => {
  assert.deepEqual(LEARNING_RATES, [0.1, 1, 2.5, 8]);
  assert.ok(LEARNING_RATES.includes(DEFAULT_LEARNING_RATE));
  // The bottom of the valley, found the slow, safe way.
  const best = (await run(0.5, 2000)).last.loss;

  const tiny = await run(0.1);
  assert.ok(tiny.losses.every((l, i) => i === 0 || l < tiny.losses[i - 1]), '0.1: the loss falls at every step');
  assert.ok(tiny.last.loss > best + 0.05, '0.1: still far from the bottom after 60 steps');

  const good = await run(1);
  assert.ok(good.losses.every((l, i) => i === 0 || l <= tiny.losses[i] + 1e-6), '1: always at or below 0.1\'s loss');
  assert.ok(good.last.loss < best + 1e-3, `1: at the bottom after 60 steps (${good.last.loss} vs ${best})`);
  assert.equal(judgeRun(good.losses, Math.hypot(...good.last.grad)), 'converged');

  const large = await run(2.5);
  assert.ok(large.last.loss > best + 0.02, '2.5: never settles');
  assert.equal(judgeRun(large.losses, Math.hypot(...large.last.grad)), 'bouncing');
  assert.ok(Math.max(...large.losses.slice(1)) < large.losses[0], '2.5: below the start all the same');

  const huge = await run(8, 10);
  assert.ok(huge.losses[1] > huge.losses[0], '8: the very first step makes things worse');
  assert.ok(huge.losses.some((w) => w > 3 * huge.losses[0]), '8: the loss climbs far above the start');
  assert.ok(huge.losses.slice(1).some((_, i) => judgeRun(huge.losses.slice(0, i + 2), 1) === 'climbing'));
});

test('the curvatures the chapter quotes: about 1.2 across the valley floor, about ten times less along it', async () => {
  const bottom = (await run(0.5, 2000)).w;
  // Second derivatives: finite differences of TF.js' gradient.
  const h = 1e-3;
  const H = await Promise.all([0, 1].map(async (j) => {
    const up = /** @type {[number, number]} */ ([...bottom]), down = /** @type {[number, number]} */ ([...bottom]);
    up[j] += h;
    down[j] -= h;
    const [gu, gd] = [(await problem.evaluate(up)).grad, (await problem.evaluate(down)).grad];
    return [0, 1].map((i) => (gu[i] - gd[i]) / (2 * h));
  }));
  const trace = H[0][0] + H[1][1], det = H[0][0] * H[1][1] - H[0][1] * H[1][0];
  const spread = Math.sqrt(trace * trace / 4 - det);
  const [steep, gentle] = [trace / 2 + spread, trace / 2 - spread];
  assert.ok(steep > 1.1 && steep < 1.3, `steepest curvature ${steep}`);
  assert.ok(steep / gentle > 8 && steep / gentle < 14, `ratio ${steep / gentle}`);
  // So 1 is below the limit 2 / steep and 2.5 above it.
  assert.ok(1 < 2 / steep && 2.5 > 2 / steep);
});

test('judging a run from its losses', async () => {
  assert.equal(judgeRun([1], 1), 'start');
  assert.equal(judgeRun([1, 0.8, 0.7], 0.5), 'descending');
  assert.equal(judgeRun([1, 0.8, 0.7], 1e-4), 'converged');
  assert.equal(judgeRun([1, 0.6, 0.7, 0.6], 0.5), 'bouncing');
  assert.equal(judgeRun([1, 1.5], 0.5), 'climbing');
  assert.equal(judgeRun([1, NaN], 0.5), 'climbing');
});

test('a step goes against the gradient, scaled by the learning rate, and is described in words', async () => {
  assert.deepEqual(descend([1, 2], [0.5, -0.25], 2), [0, 2.5]);
  const text = describeStep({ step: 3, w: [1, 2], loss: 0.5, grad: [0.5, -0.25], previous: 0.75, learningRate: 2 });
  assert.match(text, /^Step 3: w1 = 1\.000, w2 = 2\.000; loss 0\.500 \(down 0\.250\)\./);
  assert.match(text, /moves to \(0\.000, 2\.500\)/);
  assert.match(describeStep({ step: 1, w: [0, 0], loss: 2, grad: [0, 0], previous: 1, learningRate: 1 }), /up 1\.000: the step overshot/);
});

test('the surface colours: one RGBA pixel per value, darker where the loss is lower', async () => {
  const size = 24;
  const { rgba, min, max } = surfaceColors(await problem.surface(size), size);
  assert.equal(rgba.length, size * size * 4);
  assert.ok(min > 0 && max > min);
  const brightness = (/** @type {number} */ i) => rgba[4 * i] + rgba[4 * i + 1] + rgba[4 * i + 2];
  const values = await problem.surface(size);
  const lowest = values.indexOf(min), highest = values.indexOf(max);
  assert.ok(brightness(lowest) < brightness(highest));
});

test('no tensor is left behind', async () => {
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) await problem.evaluate([i / 10, -i / 10]);
  await problem.surface(16);
  assert.equal(tf.memory().numTensors, before);
  const other = new LogisticDescent(tf, makeClouds({ seed: 3 }));
  other.dispose();
  assert.equal(tf.memory().numTensors, before);
});
