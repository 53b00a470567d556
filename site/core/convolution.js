// @ts-check
/**
 * One 3x3 convolution filter over a one-channel image, as a Keras Conv2D layer
 * with padding="same", stride 1 and a ReLU computes it.
 *
 * Two routes to the same numbers: `convolveAt` does one position by hand, the
 * nine products and their sum, for the widget to show as arithmetic; and
 * `featureMap` asks TF.js' own `tf.conv2d` for the whole map at once. The node
 * tests check that both agree with each other and with the shipped CNN's first
 * layer. Like Keras (and every deep learning library), the kernel is not
 * flipped: strictly speaking this is a cross-correlation, which is what "conv"
 * means in deep learning.
 *
 * Images are Float32Arrays of size * size values, row-major, already scaled as
 * the model expects (pixels / metadata.input.divide_by). No DOM.
 */
import { readAndFree } from './read-tensors.js';

/**
 * @typedef {typeof import('@tensorflow/tfjs')} TF
 * @typedef {{name: string, weights: number[], bias: number, learned: boolean, description?: string}} Kernel
 *   weights: 9 values, row-major (top-left first), as kernel[row][col] in Keras' [3, 3, 1, filters]
 * @typedef {{row: number, col: number, patch: number[], products: number[], sum: number, preActivation: number,
 *   output: number}} Position patch: the 9 input values under the kernel (0 where it hangs over the
 *   border: the "same" padding); products: patch[i] * weights[i]; preActivation: sum + bias; output: ReLU of it
 */

/** The kernel's side. */
export const KERNEL_SIZE = 3;

/**
 * Hand-made kernels, the classics of image processing, to compare with the learned ones.
 * Sobel: a derivative across (a difference of neighbours) smoothed along; Laplacian:
 * the centre minus its neighbours, for outlines; box blur: the average of nine pixels.
 * @type {Kernel[]}
 */
export const CLASSIC_KERNELS = [
  { name: 'Vertical edges (Sobel)', weights: [-1, 0, 1, -2, 0, 2, -1, 0, 1], bias: 0, learned: false,
    description: 'bright where the ink gets brighter from left to right: left edges of strokes' },
  { name: 'Horizontal edges (Sobel)', weights: [-1, -2, -1, 0, 0, 0, 1, 2, 1], bias: 0, learned: false,
    description: 'bright where the ink gets brighter from top to bottom: top edges of strokes' },
  { name: 'Outline (Laplacian)', weights: [0, -1, 0, -1, 4, -1, 0, -1, 0], bias: 0, learned: false,
    description: 'the centre minus its four neighbours: bright along the rims of strokes, zero inside' },
  { name: 'Blur (box)', weights: Array(9).fill(1 / 9), bias: 0, learned: false,
    description: 'the average of the nine pixels: a softer, thicker copy' },
];

/**
 * The value of one output position, step by step.
 * @param {ArrayLike<number>} image size * size values
 * @param {number} size
 * @param {Kernel} kernel
 * @param {number} row 0..size-1
 * @param {number} col 0..size-1
 * @returns {Position}
 */
export function convolveAt(image, size, kernel, row, col) {
  const half = (KERNEL_SIZE - 1) / 2;
  const patch = [];
  for (let dy = -half; dy <= half; dy++) {
    for (let dx = -half; dx <= half; dx++) {
      const y = row + dy, x = col + dx;
      patch.push(y >= 0 && y < size && x >= 0 && x < size ? image[y * size + x] : 0);
    }
  }
  const products = patch.map((v, i) => v * kernel.weights[i]);
  const sum = products.reduce((a, b) => a + b, 0);
  const preActivation = sum + kernel.bias;
  return { row, col, patch, products, sum, preActivation, output: Math.max(0, preActivation) };
}

/**
 * The whole feature map, by TF.js: tf.conv2d with "same" padding and stride 1,
 * plus the bias, then ReLU.
 * @param {TF} tf
 * @param {ArrayLike<number>} image size * size values
 * @param {number} size
 * @param {Kernel} kernel
 * @returns {Promise<{pre: Float32Array, post: Float32Array}>} before and after the ReLU, size * size each
 */
export async function featureMap(tf, image, size, kernel) {
  const [pre, post] = await readAndFree(tf, () => {
    const input = tf.tensor4d(Float32Array.from(image), [1, size, size, 1]);
    const filter = tf.tensor4d(kernel.weights, [KERNEL_SIZE, KERNEL_SIZE, 1, 1]);
    const preActivation = tf.conv2d(input, filter, 1, 'same').add(kernel.bias);
    return [preActivation, tf.relu(preActivation)];
  });
  return { pre, post };
}

/**
 * 2x2 max pooling with stride 2, by TF.js, as MaxPooling2D(2) does after the convolutions.
 * @param {TF} tf
 * @param {ArrayLike<number>} map size * size values
 * @param {number} size even
 * @returns {Promise<Float32Array>} (size / 2)^2 values
 */
export async function maxPool(tf, map, size) {
  const [pooled] = await readAndFree(tf, () => tf.maxPool(tf.tensor4d(Float32Array.from(map), [1, size, size, 1]), 2, 2, 'valid'));
  return pooled;
}

/**
 * The first convolution layer of a loaded Keras model, as one Kernel per filter,
 * if it is the kind this figure can show: 3x3, one input channel, stride 1,
 * "same" padding, ReLU.
 * @param {import('@tensorflow/tfjs').LayersModel} model
 * @returns {Promise<{layer: string, kernels: Kernel[]} | null>}
 */
export async function learnedKernels(model) {
  const layer = model.layers.find((l) => l.getClassName() === 'Conv2D');
  if (!layer) return null;
  const config = /** @type {any} */ (layer.getConfig());
  const [kernel, bias] = layer.getWeights();
  const [kh, kw, channels, filters] = kernel.shape;
  const strides = [config.strides].flat();
  const fits = kh === KERNEL_SIZE && kw === KERNEL_SIZE && channels === 1 && config.padding === 'same'
    && strides.every((s) => s === 1) && config.activation === 'relu';
  if (!fits) return null;
  const values = /** @type {Float32Array} */ (await kernel.data());
  const biases = bias ? /** @type {Float32Array} */ (await bias.data()) : new Float32Array(filters);
  const kernels = Array.from({ length: filters }, (_, f) => ({
    name: `Filter ${f + 1} of ${filters}`,
    // Keras' layout is [row, col, in, out]: filter f's weight (r, c) is at ((r * 3 + c) * 1 + 0) * filters + f.
    weights: Array.from({ length: KERNEL_SIZE * KERNEL_SIZE }, (_, i) => values[i * filters + f]),
    bias: biases[f],
    learned: true,
  }));
  return { layer: layer.name, kernels };
}

/**
 * Position index (row-major) -> row and column.
 * @param {number} index 0..size*size-1
 * @param {number} size
 */
export function positionOf(index, size) {
  return { row: Math.floor(index / size), col: index % size };
}

/**
 * A sentence for the live region: what happened at one position.
 * @param {Position} p
 * @param {Kernel} kernel
 */
export function describePosition(p, kernel) {
  const f = (/** @type {number} */ v) => v.toFixed(3);
  const relu = p.preActivation > 0 ? 'ReLU keeps it' : 'ReLU turns it into 0';
  return `Row ${p.row + 1}, column ${p.col + 1}: the nine products add up to ${f(p.sum)}; `
    + `plus the bias ${f(kernel.bias)} gives ${f(p.preActivation)}; ${relu}. Output ${f(p.output)}.`;
}
