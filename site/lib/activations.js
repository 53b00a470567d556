/**
 * Intermediate outputs of a CNN, computed by TF.js itself.
 *
 * A second tf.LayersModel is built from the loaded model's own layers, so it
 * shares their weights: nothing is re-implemented or copied.
 */

const VIEWED = new Set(['Conv2D', 'MaxPooling2D']);

/**
 * @param {object} tf
 * @param {object} model a loaded tf.LayersModel
 * @returns {{model: object, layers: Array<{name: string, className: string, shape: number[]}>} | null}
 *   null for a model without convolution or pooling layers
 */
export function buildActivationModel(tf, model) {
  const layers = model.layers.filter((layer) => VIEWED.has(layer.getClassName()));
  if (!layers.length) return null;
  const outputs = [...layers.map((layer) => layer.output), model.outputs[0]];
  return {
    model: tf.model({ inputs: model.inputs, outputs }),
    layers: [
      ...layers.map((layer) => ({ name: layer.name, className: layer.getClassName(), shape: layer.outputShape.slice(1) })),
      { name: model.layers.at(-1).name, className: 'Dense', shape: model.outputs[0].shape.slice(1) },
    ],
  };
}

/**
 * Run the activation model on one (already normalised) input tensor.
 * @returns {Float32Array[]} one flat array per layer (height * width * channels, channels last)
 */
export function computeActivations(tf, activationModel, input) {
  return tf.tidy(() => activationModel.model.predict(input).map((t) => t.dataSync()));
}
