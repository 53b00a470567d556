// @ts-check
/**
 * What fine-tuning trains on: the reader's drawings, repeated, mixed with
 * replayed MNIST images (and a few non-digits, for the "not a digit" output) so
 * that the model learns the new style without forgetting ordinary handwriting.
 * The recipe (epochs, step size, repeats, how much to replay) is metadata's
 * "fine_tune", chosen by measurement in the pipeline's benchmark. No DOM.
 */
import { seededRandom, shuffle, splitIndices } from './training-data.js';

/**
 * @typedef {import('./metadata-types.js').FineTune} FineTuneRecipe
 * @typedef {{pixels: ArrayLike<number>, label: number}} Example a preprocessed drawing (0..255) and its digit
 */

/**
 * @typedef {{shift: number, stroke: number, rotate: number, scale: number}} Jitter how far a repeat may
 *   differ from the drawing: shift in pixels either way, stroke (a share of a 3x3 dilation or erosion),
 *   rotate in degrees either way, scale as a share either way
 */

/**
 * One of the reader's drawings, turned by up to ``rotate`` degrees, resized by up to ``scale`` and
 * moved by up to ``shift`` pixels (bilinear), and, half the time, thickened or thinned (a 3x3
 * grey-level dilation or erosion blended in by up to ``stroke``): so five drawings of a digit teach
 * more than five exact copies would, as the reader's next drawing of it will lean and size
 * differently.
 * @param {ArrayLike<number>} pixels size * size, 0..255
 * @param {number} size
 * @param {Jitter} jitter
 * @param {() => number} random
 * @returns {Uint8Array}
 */
export function jitter(pixels, size, { shift, stroke, rotate, scale }, random) {
  const dx = Math.floor(random() * (2 * shift + 1)) - shift;
  const dy = Math.floor(random() * (2 * shift + 1)) - shift;
  const angle = ((2 * random() - 1) * rotate * Math.PI) / 180;
  const factor = 1 + (2 * random() - 1) * scale;
  const at = (/** @type {number} */ x, /** @type {number} */ y) => (x >= 0 && x < size && y >= 0 && y < size ? pixels[y * size + x] : 0);
  // Each output pixel reads the source where the inverse turn, resize and move take it.
  const cos = Math.cos(angle) / factor;
  const sin = Math.sin(angle) / factor;
  const centre = (size - 1) / 2;
  const moved = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = x - dx - centre;
      const v = y - dy - centre;
      const sx = cos * u + sin * v + centre;
      const sy = -sin * u + cos * v + centre;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      moved[y * size + x] = (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
    }
  }
  if (random() < 0.5) {
    const thicker = random() < 0.5;
    const amount = random() * stroke;
    const copy = moved.slice();
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let v = thicker ? 0 : 255;
        for (let j = -1; j <= 1; j++) {
          for (let i = -1; i <= 1; i++) {
            const n = x + i >= 0 && x + i < size && y + j >= 0 && y + j < size ? copy[(y + j) * size + x + i] : 0;
            v = thicker ? Math.max(v, n) : Math.min(v, n);
          }
        }
        moved[y * size + x] += amount * (v - moved[y * size + x]);
      }
    }
  }
  return Uint8Array.from(moved, (v) => Math.round(v));
}

/**
 * @param {import('./training-data.js').TrainingData} mnist the browser's training data
 * @param {{fine_tune: FineTuneRecipe}} metadata the model's metadata.json
 * @param {Example[]} examples the reader's drawings to learn from
 * @param {Example[]} heldOut the reader's drawings kept apart, to measure before and after
 * @param {number} seed
 */
export function fineTuneSet(mnist, metadata, examples, heldOut, seed) {
  const recipe = metadata.fine_tune;
  const random = seededRandom(seed);
  const pick = (/** @type {string} */ split, /** @type {number} */ n) => shuffle(splitIndices(mnist, split), random).subarray(0, n);
  const replay = pick('train', recipe.replay);
  const negatives = pick('negatives', recipe.negatives);
  const check = pick('test', recipe.mnist_check);
  const pixels = mnist.size * mnist.size;
  /** @type {Jitter} */
  const moves = { shift: recipe.jitter_shift, stroke: recipe.jitter_stroke, rotate: recipe.jitter_rotate, scale: recipe.jitter_scale };
  const sources = [...replay, ...negatives, ...check];
  // Layout: jittered repeats of the reader's examples, their held-out drawings as drawn, then MNIST.
  const jittered = examples.length * recipe.repeats;
  const count = jittered + heldOut.length + sources.length;
  const images = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  for (let r = 0; r < recipe.repeats; r++) {
    examples.forEach((example, k) => {
      const i = r * examples.length + k;
      images.set(jitter(example.pixels, mnist.size, moves, random), i * pixels);
      labels[i] = example.label;
    });
  }
  heldOut.forEach((example, k) => {
    images.set(Array.from(example.pixels, (v) => Math.round(v)), (jittered + k) * pixels);
    labels[jittered + k] = example.label;
  });
  sources.forEach((source, k) => {
    const i = jittered + heldOut.length + k;
    images.set(mnist.images.subarray(source * pixels, (source + 1) * pixels), i * pixels);
    labels[i] = mnist.labels[source];
  });
  const range = (/** @type {number} */ start, /** @type {number} */ n) => Int32Array.from({ length: n }, (_, i) => start + i);
  const base = jittered + heldOut.length;
  return {
    data: { images, labels, size: mnist.size, descriptor: mnist.descriptor },
    train: Int32Array.from([...range(0, jittered), ...range(base, replay.length + negatives.length)]),
    heldOut: range(jittered, heldOut.length),
    mnistTest: range(base + replay.length + negatives.length, check.length),
    epochs: recipe.epochs,
    learningRate: recipe.learning_rate,
  };
}
