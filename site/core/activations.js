// @ts-check
/**
 * What the activation viewer shows: which layers (from metadata.json), their
 * outputs computed by TF.js itself, and the colours of a feature map. No DOM.
 */

/**
 * @typedef {{name: string, className: string, shape: number[]}} ViewedLayer
 * @typedef {import('./metadata-types.js').RunLayersItem} LayerSummary metadata.layers[i]
 */

/**
 * The layers the viewer shows (metadata.viewer.layers), then the output layer.
 * @param {{viewer: {layers: string[]}, layers: LayerSummary[]}} metadata
 * @returns {ViewedLayer[] | null} null when there is nothing image-shaped to show
 */
export function viewedLayers(metadata) {
  if (!metadata.viewer.layers.length) return null;
  const byName = new Map(metadata.layers.map((l) => [l.name, l]));
  const last = metadata.layers[metadata.layers.length - 1];
  return [...metadata.viewer.layers.map((name) => /** @type {LayerSummary} */ (byName.get(name))), last].map((l) => ({
    name: l.name, className: l.class, shape: l.output_shape,
  }));
}

/**
 * For a layers model: a second tf.LayersModel built from its own layers (sharing their weights),
 * whose outputs are the viewed layers' and the model's.
 * @param {typeof import('@tensorflow/tfjs')} tf
 * @param {import('@tensorflow/tfjs').LayersModel} model
 * @param {string[]} names metadata.viewer.layers
 */
export function activationModel(tf, model, names) {
  const outputs = [...names.map((name) => model.getLayer(name).output), model.outputs[0]];
  return tf.model({ inputs: model.inputs, outputs: /** @type {import('@tensorflow/tfjs').SymbolicTensor[]} */ (outputs) });
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
