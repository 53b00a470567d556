// @ts-check
/**
 * A Keras model exported by the training pipeline, with its metadata.json.
 *
 * Everything about the model (class names, input size and shape, normalisation,
 * preprocessing recipes, viewed layers, the verdict, asset file names, graph
 * nodes) comes from metadata.json; nothing is restated here. No DOM: this runs
 * in node's tests as in the page.
 *
 * Two kinds of TF.js model run behind the same methods: a **graph model** (the
 * shipped models, on the lean bundle of the page: its nodes named in
 * metadata.graph) and a **layers model** (the reader's own models, trained or
 * fine-tuned here, on the full library).
 */
import { activationModel, viewedLayers } from './activations.js';
import { readAndFree } from './read-tensors.js';
import { assetUrl, inputSize } from './metadata.js';
import { energyOf, judge } from './verdict.js';

/**
 * @typedef {typeof import('@tensorflow/tfjs')} TF
 * @typedef {import('@tensorflow/tfjs').Tensor} Tensor
 * @typedef {{probs: number[], label: number, confidence: number, verdict: import('./verdict.js').Verdict | null,
 *   reject: number | null, ms: number}} Prediction probs: one per class name (the model's extra
 *   "not a ..." output, if any, is `reject`); label: the most likely class
 * @typedef {import('./metadata-types.js').ModelMetadata} Metadata
 * @typedef {{outputs: (x: Tensor) => Tensor, logits: (x: Tensor) => Tensor[],
 *   activations: (x: Tensor) => Tensor[]}} Runner
 *   outputs: the model's probabilities; logits: [logits before softmax, probabilities];
 *   activations: the viewed layers' outputs, then the probabilities
 */

/**
 * A graph model: any node's output can be asked for by name.
 * @param {import('@tensorflow/tfjs').GraphModel} model
 * @param {Metadata} metadata
 * @returns {Runner}
 */
function graphRunner(model, metadata) {
  const nodes = metadata.graph?.nodes ?? {};
  const output = model.outputNodes[0];
  const run = (/** @type {Tensor} */ x, /** @type {string[]} */ names) => /** @type {Tensor[]} */ (model.execute(x, names));
  return {
    outputs: (x) => /** @type {Tensor} */ (model.predict(x)),
    logits: (x) => run(x, [nodes.logits, output]),
    activations: (x) => run(x, [...metadata.viewer.layers.map((name) => nodes[name]), output]),
  };
}

/**
 * A layers model: second models built from its own layers (sharing their weights) give the
 * viewed layers' outputs and the last layer's input, whose product with that layer's kernel is the logits.
 * @param {TF} tf
 * @param {import('@tensorflow/tfjs').LayersModel} model
 * @param {Metadata} metadata
 * @returns {Runner}
 */
function layersRunner(tf, model, metadata) {
  /** @type {Record<string, import('@tensorflow/tfjs').LayersModel>} */
  const cache = {};
  const last = model.layers[model.layers.length - 1];
  const features = () => (cache.features ??= tf.model({
    inputs: model.inputs, outputs: [/** @type {import('@tensorflow/tfjs').SymbolicTensor} */ (last.input), model.outputs[0]],
  }));
  return {
    outputs: (x) => /** @type {Tensor} */ (model.predict(x)),
    logits: (x) => {
      const [kernel, bias] = last.getWeights();
      const [input, probs] = /** @type {Tensor[]} */ (features().predict(x));
      return [tf.matMul(/** @type {import('@tensorflow/tfjs').Tensor2D} */ (input), /** @type {import('@tensorflow/tfjs').Tensor2D} */ (kernel)).add(bias), probs];
    },
    activations: (x) => /** @type {Tensor[]} */ ((cache.activations ??= activationModel(tf, model, metadata.viewer.layers)).predict(x)),
  };
}

export class Classifier {
  /**
   * @param {TF} tf the TF.js namespace the model was loaded with, backend already chosen
   * @param {import('@tensorflow/tfjs').GraphModel | import('@tensorflow/tfjs').LayersModel} model
   * @param {Metadata} metadata
   * @param {URL} metadataUrl where metadata.json was read: asset names are relative to it
   */
  constructor(tf, model, metadata, metadataUrl) {
    this.tf = tf;
    this.model = model;
    this.metadata = metadata;
    this.metadataUrl = metadataUrl;
    this.runner = 'outputNodes' in model
      ? graphRunner(/** @type {import('@tensorflow/tfjs').GraphModel} */ (model), metadata)
      : layersRunner(tf, /** @type {import('@tensorflow/tfjs').LayersModel} */ (model), metadata);
  }

  /** @param {string} name a key of metadata.assets @returns {URL} */
  assetUrl(name) {
    return assetUrl(this.metadata, this.metadataUrl, name);
  }

  /** Values per image (the product of metadata.input.shape). */
  get inputSize() {
    return inputSize(this.metadata);
  }

  /**
   * Raw pixels (0..255) -> the normalised input tensor the model expects.
   * @param {Float32Array} pixels n * inputSize values
   * @param {number} n
   */
  input(pixels, n = 1) {
    const { shape, divide_by: divideBy } = this.metadata.input;
    return this.tf.tidy(() => this.tf.div(this.tf.tensor(pixels, [n, ...shape], 'float32'), divideBy));
  }

  /**
   * The model's outputs for a batch of raw images.
   * @param {Float32Array} pixels n * inputSize values, 0..255
   * @param {number} n batch size
   * @returns {Promise<Float32Array>} n * outputs probabilities (the classes, then "not a ..." if the model has it)
   */
  async predictRaw(pixels, n = 1) {
    const [outputs] = await readAndFree(this.tf, () => this.runner.outputs(this.input(pixels, n)));
    return outputs;
  }

  /** Layers the activation viewer can show, or null (the model lists none). */
  get activationLayers() {
    return viewedLayers(this.metadata);
  }

  /**
   * Feature maps of every viewed layer and the output, for one image.
   * @param {Float32Array} pixels inputSize values, 0..255
   * @returns {Promise<Float32Array[] | null>} one flat array per layer (height * width * channels, channels last)
   */
  async activations(pixels) {
    if (!this.activationLayers) return null;
    return readAndFree(this.tf, () => this.runner.activations(this.input(pixels, 1)));
  }

  /**
   * Classify one image.
   * @param {Float32Array} pixels inputSize values, 0..255
   * @returns {Promise<Prediction>}
   */
  async predict(pixels) {
    const start = performance.now();
    const { class_names: names, verdict } = this.metadata;
    let outputs, energy;
    if (verdict?.method === 'energy') {
      const [logits, probs] = await readAndFree(this.tf, () => this.runner.logits(this.input(pixels, 1)));
      outputs = probs;
      energy = energyOf(logits.subarray(0, names.length));
    } else {
      outputs = await this.predictRaw(pixels, 1);
    }
    const ms = performance.now() - start;
    const probs = Array.from(outputs.subarray(0, names.length));
    let label = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i] > probs[label]) label = i;
    const reject = verdict?.method === 'reject-output' ? outputs[/** @type {number} */ (verdict.output)] : null;
    return { probs, label, confidence: probs[label], verdict: judge(verdict, outputs, names.length, energy), reject, ms };
  }

  /** Run once, with the real input shape, so the first real prediction does not pay for setting up. */
  async warmUp() {
    await this.predict(new Float32Array(this.inputSize));
  }

  dispose() {
    this.model.dispose();
  }
}
