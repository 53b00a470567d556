import { buildActivationModel, computeActivations } from './activations.js';

/**
 * A Keras model exported by the training pipeline, and its metadata.json.
 *
 * Everything about the model (labels, input shape, normalisation, the drawing
 * recipe) comes from metadata.json; nothing is restated here.
 */

const cache = new Map();

/**
 * Load (once per backend) the model in folder `modelUrl`.
 * @param {object} tf the TF.js namespace, backend already chosen
 * @param {URL} modelUrl folder holding model.json, metadata.json
 * @returns {Promise<Classifier>}
 */
export function loadClassifier(tf, modelUrl) {
  const key = `${tf.getBackend()} ${modelUrl.href}`;
  if (!cache.has(key)) {
    const promise = (async () => {
      const response = await fetch(new URL('metadata.json', modelUrl));
      if (!response.ok) throw new Error(`metadata.json: HTTP ${response.status}`);
      const metadata = await response.json();
      const model = await tf.loadLayersModel(new URL('model.json', modelUrl).href);
      const classifier = new Classifier(tf, model, metadata);
      classifier.warmUp();
      return classifier;
    })();
    promise.catch(() => cache.delete(key));
    cache.set(key, promise);
  }
  return cache.get(key);
}

export class Classifier {
  constructor(tf, model, metadata) {
    this.tf = tf;
    this.model = model;
    this.metadata = metadata;
    this.inputShape = metadata.input_shape;
    this.divideBy = metadata.normalization.divide_by;
  }

  /**
   * Class probabilities for a batch of raw images.
   * @param {Float32Array} pixels n * prod(input_shape) values, 0..255
   * @param {number} n batch size
   * @returns {Float32Array} n * classes probabilities
   */
  predictRaw(pixels, n = 1) {
    return this.tf.tidy(() => this.model.predict(this.input(pixels, n)).dataSync());
  }

  /** Raw pixels (0..255) -> the normalised input tensor the model expects. */
  input(pixels, n = 1) {
    return this.tf.tensor(pixels, [n, ...this.inputShape], 'float32').div(this.divideBy);
  }

  /** Layers the activation viewer can show, or null (the MLP has none). */
  get activationLayers() {
    if (this.activationModel === undefined) this.activationModel = buildActivationModel(this.tf, this.model);
    return this.activationModel?.layers ?? null;
  }

  /**
   * Feature maps of every conv/pool layer and the output, for one image.
   * @param {Float32Array} pixels prod(input_shape) values, 0..255
   * @returns {Float32Array[]|null}
   */
  activations(pixels) {
    if (!this.activationLayers) return null;
    return this.tf.tidy(() => computeActivations(this.tf, this.activationModel, this.input(pixels, 1)));
  }

  /**
   * Classify one image.
   * @param {Float32Array} pixels prod(input_shape) values, 0..255
   * @returns {{probs: number[], label: number, confidence: number, ms: number}}
   */
  predict(pixels) {
    const start = performance.now();
    const probs = Array.from(this.predictRaw(pixels, 1));
    const ms = performance.now() - start;
    let label = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i] > probs[label]) label = i;
    return { probs, label, confidence: probs[label], ms };
  }

  /** Run once so the first real prediction does not pay for shader compilation. */
  warmUp() {
    const size = this.inputShape.reduce((a, b) => a * b, 1);
    this.predictRaw(new Float32Array(size), 1);
  }
}
