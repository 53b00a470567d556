// @ts-check
/**
 * A Keras model exported by the training pipeline, with its metadata.json.
 *
 * Everything about the model (class names, input size and shape, normalisation,
 * preprocessing recipes, viewed layers, asset file names) comes from metadata.json;
 * nothing is restated here. No DOM: this runs in node's tests as in the page.
 */
import { buildActivationModel, computeActivations } from './activations.js';

/**
 * @typedef {typeof import('@tensorflow/tfjs')} TF
 * @typedef {{probs: number[], label: number, confidence: number, ms: number}} Prediction
 * @typedef {{name: string, title: string, class_names: string[],
 *   input: {image_size: number, shape: number[], divide_by: number},
 *   preprocessing: {drawing: import('./preprocess.js').DrawingRecipe, photo?: import('./preprocess.js').PhotoRecipe},
 *   viewer: {layers: string[]}, assets: Record<string, string>, test_accuracy: number}} Metadata
 */

export class Classifier {
  /**
   * @param {TF} tf the TF.js namespace, backend already chosen
   * @param {import('@tensorflow/tfjs').LayersModel} model
   * @param {Metadata} metadata
   * @param {URL} metadataUrl where metadata.json was read: asset names are relative to it
   */
  constructor(tf, model, metadata, metadataUrl) {
    this.tf = tf;
    this.model = model;
    this.metadata = metadata;
    this.metadataUrl = metadataUrl;
    /** @type {import('./activations.js').ActivationModel | null | undefined} */
    this.activationModel = undefined;
  }

  /** @param {string} name a key of metadata.assets @returns {URL} */
  assetUrl(name) {
    const file = this.metadata.assets[name];
    if (!file) throw new Error(`${this.metadata.name} has no ${name} asset`);
    return new URL(file, this.metadataUrl);
  }

  /** Values per image (the product of metadata.input.shape). */
  get inputSize() {
    return this.metadata.input.shape.reduce((a, b) => a * b, 1);
  }

  /**
   * Raw pixels (0..255) -> the normalised input tensor the model expects.
   * @param {Float32Array} pixels n * inputSize values
   * @param {number} n
   */
  input(pixels, n = 1) {
    const { shape, divide_by: divideBy } = this.metadata.input;
    return this.tf.tidy(() => this.tf.tensor(pixels, [n, ...shape], 'float32').div(divideBy));
  }

  /**
   * Class probabilities for a batch of raw images.
   * @param {Float32Array} pixels n * inputSize values, 0..255
   * @param {number} n batch size
   * @returns {Float32Array} n * classes probabilities
   */
  predictRaw(pixels, n = 1) {
    return this.tf.tidy(() => {
      const output = /** @type {import('@tensorflow/tfjs').Tensor} */ (this.model.predict(this.input(pixels, n)));
      return /** @type {Float32Array} */ (output.dataSync());
    });
  }

  /** Layers the activation viewer can show, or null (the model lists none). */
  get activationLayers() {
    if (this.activationModel === undefined) {
      this.activationModel = buildActivationModel(this.tf, this.model, this.metadata.viewer.layers);
    }
    return this.activationModel?.layers ?? null;
  }

  /**
   * Feature maps of every viewed layer and the output, for one image.
   * @param {Float32Array} pixels inputSize values, 0..255
   * @returns {Float32Array[] | null}
   */
  activations(pixels) {
    if (!this.activationLayers || !this.activationModel) return null;
    const activationModel = this.activationModel;
    return this.tf.tidy(() => computeActivations(this.tf, activationModel, this.input(pixels, 1)));
  }

  /**
   * Classify one image.
   * @param {Float32Array} pixels inputSize values, 0..255
   * @returns {Prediction}
   */
  predict(pixels) {
    const start = performance.now();
    const probs = Array.from(this.predictRaw(pixels, 1));
    const ms = performance.now() - start;
    let label = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i] > probs[label]) label = i;
    return { probs, label, confidence: probs[label], ms };
  }

  /** Run once, with the real input shape, so the first real prediction does not pay for shader compilation. */
  warmUp() {
    this.predictRaw(new Float32Array(this.inputSize), 1);
  }
}
