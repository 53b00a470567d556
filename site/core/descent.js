// @ts-check
/**
 * Gradient descent on the smallest model that still learns something: logistic
 * regression with two weights and no bias, on two seeded clouds of 2-D points.
 *
 * Two weights, so the loss over every possible pair of them is a picture (the
 * loss surface), and a path on that picture is the whole story of a training
 * run. The loss is the same binary cross-entropy a Keras model with one sigmoid
 * output would use, and its gradient comes from TF.js' automatic
 * differentiation (`tf.valueAndGrad`), exactly as in a real training step: no
 * derivative is written by hand here.
 *
 * No DOM: the widget (site/ui/descent-widget.js) and its painters draw; node's tests check the
 * gradient against finite differences.
 */
import { heat } from './activations.js';
import { readAndFree } from './read-tensors.js';
import { seededRandom } from './training-data.js';

/**
 * @typedef {typeof import('@tensorflow/tfjs')} TF
 * @typedef {[number, number]} Weights w1, w2
 * @typedef {{points: Float32Array, labels: Float32Array, count: number}} Clouds
 *   points: x1, y1, x2, y2, ... ; labels: 0 or 1 per point
 * @typedef {{loss: number, grad: Weights}} Evaluation
 */

/**
 * The fixed dataset: two elongated, overlapping clouds, mirror images through the origin.
 *
 * Mirror images, so the best boundary passes through the origin and two weights
 * (no bias) are enough; elongated, so the loss surface is a long, narrow
 * valley (steep across, shallow along) in which the step size matters;
 * overlapping, so the best weights are finite: with cleanly separable clouds
 * the loss keeps falling as the weights grow, and descent never ends.
 * @param {{seed?: number, perClass?: number}} [options]
 * @returns {Clouds}
 */
export function makeClouds({ seed = 7, perClass = 40 } = {}) {
  const random = seededRandom(seed);
  // Box-Muller: two uniform numbers -> one standard normal number.
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  // The clouds' long axis u and short axis v (unit vectors), their spreads along
  // each, and the centre of class 1 (class 0 is centred on its mirror image).
  const u = [0.8, 0.6], v = [-0.6, 0.8];
  const spreadU = 3, spreadV = 0.8;
  const centre = [1.2 * u[0] + 0.4 * v[0], 1.2 * u[1] + 0.4 * v[1]];
  const count = 2 * perClass;
  const points = new Float32Array(count * 2);
  const labels = new Float32Array(count);
  for (let i = 0; i < perClass; i++) {
    const a = spreadU * normal(), b = spreadV * normal();
    const x = centre[0] + a * u[0] + b * v[0], y = centre[1] + a * u[1] + b * v[1];
    points.set([x, y], 4 * i);
    points.set([-x, -y], 4 * i + 2);
    labels[2 * i] = 1;
    labels[2 * i + 1] = 0;
  }
  return { points, labels, count };
}

/**
 * The learning rates the widget offers. At the bottom of this surface the
 * steepest curvature (the largest eigenvalue of the loss' second derivatives)
 * is about 1.2, so descent can settle there only with a learning rate below
 * about 2 / 1.2. From START, 0.1 crawls; 1 converges in a few dozen steps;
 * 2.5 bounces across the valley for ever; 8 is thrown off the map at once,
 * the loss above where it started. The chapter's "Try this" prompts rely on these four behaviours, and
 * tests/js/descent.test.js checks them.
 */
export const LEARNING_RATES = [0.1, 1, 2.5, 8];

/** The learning rate selected at first: the one that works. */
export const DEFAULT_LEARNING_RATE = 1;

/** Where the widget starts: a poor guess on the far side of the valley, loss well above ln 2. */
export const START = /** @type {Weights} */ ([1.5, -1.5]);

/** The square of weight space the map shows: w1 and w2 from -EXTENT to EXTENT. */
export const EXTENT = 2;

export class LogisticDescent {
  /**
   * @param {TF} tf the TF.js namespace, backend already chosen
   * @param {Clouds} clouds
   */
  constructor(tf, clouds) {
    this.tf = tf;
    this.clouds = clouds;
    this.x = tf.tensor2d(clouds.points, [clouds.count, 2]);
    this.y = tf.tensor1d(clouds.labels);
    // The gradient of the loss with respect to the weights, by TF.js' autodiff.
    this.valueAndGrad = tf.valueAndGrad((/** @type {import('@tensorflow/tfjs').Tensor} */ w) => this.loss(w));
  }

  /**
   * Mean binary cross-entropy of the model p = sigmoid(w . x) on the clouds.
   * For a logit z and a label y in {0, 1}: -y ln sigmoid(z) - (1 - y) ln(1 - sigmoid(z))
   * = softplus(z) - y z, which TF.js computes without overflow for any z.
   * @param {import('@tensorflow/tfjs').Tensor} w shape [2]
   * @returns {import('@tensorflow/tfjs').Scalar}
   */
  loss(w) {
    const { tf } = this;
    const z = tf.matMul(this.x, tf.reshape(w, [2, 1])).reshape([-1]);
    return tf.mean(tf.sub(tf.softplus(z), tf.mul(this.y, z)));
  }

  /**
   * The loss and its gradient at one point of weight space.
   * @param {Weights} w
   * @returns {Promise<Evaluation>}
   */
  async evaluate(w) {
    const [loss, g] = await readAndFree(this.tf, () => {
      const { value, grad } = this.valueAndGrad(this.tf.tensor1d(w));
      return [value, grad];
    });
    return { loss: loss[0], grad: /** @type {Weights} */ ([g[0], g[1]]) };
  }

  /**
   * The loss at a size x size grid of weights, all at once: one matrix product
   * of every grid point's weights with every data point, then the same
   * cross-entropy, averaged per grid point.
   * @param {number} size grid points per side
   * @param {number} [extent] w1, w2 from -extent to extent
   * @returns {Promise<Float32Array>} size * size losses, row-major, row 0 at the top (w2 = +extent)
   */
  async surface(size, extent = EXTENT) {
    const { tf } = this;
    const [losses] = await readAndFree(tf, () => {
      const axis = tf.linspace(-extent, extent, size);
      const w1 = tf.tile(axis.reshape([1, size]), [size, 1]);
      const w2 = tf.tile(axis.reverse().reshape([size, 1]), [1, size]);
      const grid = tf.stack([w1.reshape([-1]), w2.reshape([-1])], 1);
      const z = tf.matMul(grid, this.x, false, true);
      return tf.mean(tf.sub(tf.softplus(z), tf.mul(this.y.reshape([1, -1]), z)), 1);
    });
    return losses;
  }

  /**
   * Share of points on the right side of the boundary w . x = 0.
   * @param {Weights} w
   */
  accuracy(w) {
    return accuracyOf(this.clouds, w);
  }

  dispose() {
    this.x.dispose();
    this.y.dispose();
  }
}

/**
 * Share of the clouds' points on the right side of the boundary w . x = 0 (plain arithmetic, no TF.js).
 * @param {Clouds} clouds
 * @param {Weights} w
 */
export function accuracyOf({ points, labels, count }, w) {
  let right = 0;
  for (let i = 0; i < count; i++) {
    const z = w[0] * points[2 * i] + w[1] * points[2 * i + 1];
    if ((z > 0 ? 1 : 0) === labels[i]) right++;
  }
  return right / count;
}

/**
 * One step of plain gradient descent: w - learningRate * gradient.
 * @param {Weights} w
 * @param {Weights} grad
 * @param {number} learningRate
 * @returns {Weights}
 */
export function descend(w, grad, learningRate) {
  return [w[0] - learningRate * grad[0], w[1] - learningRate * grad[1]];
}

/**
 * What a run of steps is doing, judged from its losses.
 * @param {number[]} losses every loss so far, the first at the start
 * @param {number} gradNorm the length of the last gradient
 * @returns {'start' | 'converged' | 'descending' | 'bouncing' | 'climbing'}
 *   bouncing: the loss went up at least once in the last few steps but is not
 *   above where it started; climbing: it is now above where it started.
 */
export function judgeRun(losses, gradNorm) {
  if (losses.length < 2) return 'start';
  const last = losses[losses.length - 1];
  if (!Number.isFinite(last) || last > losses[0]) return 'climbing';
  if (gradNorm < 1e-3) return 'converged';
  const recent = losses.slice(-6);
  const rose = recent.some((loss, i) => i > 0 && loss > recent[i - 1] + 1e-9);
  return rose ? 'bouncing' : 'descending';
}

/**
 * Colours for the loss surface: the dark-to-bright heat map on the logarithm
 * of the loss (the valley floor and the far slopes differ by orders of
 * magnitude), with a darker line at each of `levels` equal steps, like the
 * contour lines of a map.
 * @param {Float32Array} losses size * size values, row-major
 * @param {number} size
 * @param {number} [levels]
 * @returns {{rgba: Uint8ClampedArray, min: number, max: number}}
 */
export function surfaceColors(losses, size, levels = 12) {
  let min = Infinity, max = -Infinity;
  for (const v of losses) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const lo = Math.log(min), span = Math.log(max) - lo || 1;
  const t = Float32Array.from(losses, (v) => (Math.log(v) - lo) / span);
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const i = row * size + col;
      const band = Math.floor(t[i] * levels);
      // A contour line where a neighbour (right or below) falls in another band.
      const edge = (col + 1 < size && Math.floor(t[i + 1] * levels) !== band)
        || (row + 1 < size && Math.floor(t[i + size] * levels) !== band);
      const [r, g, b] = heat(0.08 + 0.9 * t[i]);
      const k = edge ? 0.55 : 1;
      rgba.set([r * k, g * k, b * k, 255], i * 4);
    }
  }
  return { rgba, min, max };
}

/**
 * A sentence describing one step, for the live region and the read-out.
 * @param {{step: number, w: Weights, loss: number, grad: Weights, previous?: number, learningRate: number}} s
 */
export function describeStep({ step, w, loss, grad, previous, learningRate }) {
  const f = (/** @type {number} */ v) => (Math.abs(v) >= 1000 ? v.toExponential(1) : v.toFixed(3));
  const where = `w1 = ${f(w[0])}, w2 = ${f(w[1])}`;
  const norm = Math.hypot(grad[0], grad[1]);
  const change = previous === undefined ? ''
    : loss < previous ? ` (down ${f(previous - loss)})` : loss > previous ? ` (up ${f(loss - previous)}: the step overshot)` : ' (unchanged)';
  const next = descend(w, grad, learningRate);
  return `Step ${step}: ${where}; loss ${f(loss)}${change}. Gradient (${f(grad[0])}, ${f(grad[1])}), length ${f(norm)}; `
    + `the next step moves to (${f(next[0])}, ${f(next[1])}).`;
}
