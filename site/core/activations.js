// @ts-check
/**
 * Intermediate outputs of a model, computed by TF.js itself.
 *
 * A second tf.LayersModel is built from the loaded model's own layers, so it
 * shares their weights: nothing is re-implemented or copied. Which layers are
 * shown comes from metadata.json ("viewer.layers").
 */

/**
 * @typedef {{name: string, className: string, shape: number[]}} ViewedLayer
 * @typedef {{model: import('@tensorflow/tfjs').LayersModel, layers: ViewedLayer[]}} ActivationModel
 */

/**
 * @param {typeof import('@tensorflow/tfjs')} tf
 * @param {import('@tensorflow/tfjs').LayersModel} model a loaded tf.LayersModel
 * @param {string[]} names the layers to show, in order (metadata.viewer.layers)
 * @returns {ActivationModel | null} null when there is nothing to show; the
 *   model's output layer is always appended as the last entry
 */
export function buildActivationModel(tf, model, names) {
  if (!names.length) return null;
  const layers = names.map((name) => model.getLayer(name));
  const last = model.layers[model.layers.length - 1];
  const outputs = /** @type {import('@tensorflow/tfjs').SymbolicTensor[]} */ ([...layers.map((l) => l.output), model.outputs[0]]);
  return {
    model: tf.model({ inputs: model.inputs, outputs }),
    layers: [
      ...layers.map((l) => ({ name: l.name, className: l.getClassName(), shape: /** @type {number[]} */ (l.outputShape).slice(1) })),
      { name: last.name, className: last.getClassName(), shape: /** @type {number[]} */ (model.outputs[0].shape.slice(1)) },
    ],
  };
}

/**
 * Run the activation model on one (already normalised) input tensor.
 * @param {typeof import('@tensorflow/tfjs')} tf
 * @param {ActivationModel} activationModel
 * @param {import('@tensorflow/tfjs').Tensor} input
 * @returns {Float32Array[]} one flat array per layer (height * width * channels, channels last)
 */
export function computeActivations(tf, activationModel, input) {
  return tf.tidy(() => {
    const outputs = /** @type {import('@tensorflow/tfjs').Tensor[]} */ (activationModel.model.predict(input));
    return outputs.map((t) => /** @type {Float32Array} */ (t.dataSync()));
  });
}

// A dark-to-bright colour map (black, purple, orange, yellow), readable in both palettes.
const HEAT = [[0, 0, 4], [120, 28, 109], [237, 105, 37], [252, 255, 164]];

/**
 * @param {number} t 0..1
 * @returns {number[]} r, g, b, 0..255
 */
export function heat(t) {
  const x = Math.min(0.999, Math.max(0, t)) * (HEAT.length - 1);
  const i = Math.floor(x), f = x - i;
  return HEAT[i].map((c, k) => Math.round(c + (HEAT[i + 1][k] - c) * f));
}

/**
 * One channel of a feature map as RGBA pixels, scaled from its own minimum to its maximum.
 * @param {Float32Array} data the layer's flat output, channels last
 * @param {number} channels channels per pixel
 * @param {number} channel which one to show
 * @returns {Uint8ClampedArray} 4 values per pixel
 */
export function featureMapColors(data, channels, channel) {
  const pixels = data.length / channels;
  let lo = Infinity, hi = -Infinity;
  for (let p = 0; p < pixels; p++) {
    const v = data[p * channels + channel];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const rgba = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    const [r, g, b] = heat(hi > lo ? (data[p * channels + channel] - lo) / (hi - lo) : 0);
    rgba.set([r, g, b, 255], p * 4);
  }
  return rgba;
}
