// @ts-check
/**
 * The page's side of a model: its metadata.json, and a handle that asks the engine (which holds
 * the TF.js model) for answers. Loaded once per page life and backend.
 */
import { viewedLayers } from '../core/activations.js';
import { STALE } from '../core/engine-protocol.js';
import { assetUrl, inputSize } from '../core/metadata.js';

/**
 * @typedef {import('../core/classifier.js').Metadata} Metadata
 * @typedef {import('../core/classifier.js').Prediction} Prediction
 * @typedef {import('./engine-client.js').Engine} Engine
 * @typedef {import('../core/engine-protocol.js').Source} Source
 */

/** @type {Map<string, Promise<Metadata>>} */
const metadataCache = new Map();

/**
 * A shipped model's metadata.json, read once per page life by the engine, which starts downloading
 * the model's graph with it while its backend starts; the widget sets its input up from it meanwhile.
 * @param {Engine} engine
 * @param {URL} url
 * @returns {Promise<Metadata>}
 */
export function fetchMetadata(engine, url) {
  let promise = metadataCache.get(url.href);
  if (!promise) {
    promise = engine.client.call('prefetch', { metadataUrl: url.href });
    promise.catch(() => metadataCache.delete(url.href));
    metadataCache.set(url.href, promise);
  }
  return promise;
}

/** A model the engine holds, seen from the page: what its metadata says, and requests for answers. */
export class ModelHandle {
  /**
   * @param {Engine} engine
   * @param {string} key the engine's name for it
   * @param {Metadata} metadata
   * @param {URL} metadataUrl where metadata.json was read: asset names are relative to it
   */
  constructor(engine, key, metadata, metadataUrl) {
    this.engine = engine;
    this.key = key;
    this.metadata = metadata;
    this.metadataUrl = metadataUrl;
  }

  /** @param {string} name a key of metadata.assets @returns {URL} */
  assetUrl(name) {
    return assetUrl(this.metadata, this.metadataUrl, name);
  }

  /** Values per image (the product of metadata.input.shape). */
  get inputSize() {
    return inputSize(this.metadata);
  }

  /** Layers the activation viewer can show, or null (the model lists none). */
  get activationLayers() {
    return viewedLayers(this.metadata);
  }

  /**
   * Classify one image. `ms` is the whole round trip, the hop to the engine and back included.
   * @param {Float32Array} pixels inputSize values, 0..255
   * @param {string} [channel] answers overtaken by a newer request on this channel come back STALE
   * @returns {Promise<Prediction | typeof STALE>}
   */
  async predict(pixels, channel) {
    const start = performance.now();
    const result = await this.engine.client.call('predict', { key: this.key, pixels }, { channel });
    if (result !== STALE) result.ms = performance.now() - start;
    return result;
  }

  /**
   * The model's outputs for a batch of raw images.
   * @param {Float32Array} pixels n * inputSize values, 0..255
   * @param {number} n
   * @returns {Promise<Float32Array>}
   */
  predictRaw(pixels, n = 1) {
    return this.engine.client.call('predict-raw', { key: this.key, pixels, n });
  }

  /**
   * Feature maps of every viewed layer and the output, for one image.
   * @param {Float32Array} pixels
   * @param {string} [channel]
   * @returns {Promise<Float32Array[] | null | typeof STALE>}
   */
  activations(pixels, channel) {
    return this.engine.client.call('activations', { key: this.key, pixels }, { channel });
  }

  /** Free the model's weights in the engine. */
  dispose() {
    return this.engine.client.call('unload', { key: this.key });
  }
}

/** @type {Map<string, Promise<ModelHandle>>} */
const cache = new Map();

/**
 * @param {Engine} engine started
 * @param {string} key the engine's name for the model
 * @param {URL} metadataUrl the model's metadata.json (for a reader's model: the model it came from)
 * @param {{source?: Source, rename?: {name: string, title: string, verdict: boolean}}} [options]
 * @returns {Promise<ModelHandle>} warmed up, ready to predict
 */
export function loadModel(engine, key, metadataUrl, options = {}) {
  const id = `${key} ${metadataUrl.href}`;
  let promise = cache.get(id);
  if (!promise) {
    promise = (async () => {
      // A reader's model (options.source) runs its layers: its base model's graph is not fetched for it.
      const [, shipped] = await Promise.all([engine.start(), options.source ? null : fetchMetadata(engine, metadataUrl)]);
      const metadata = await engine.client.call('load', { key, metadataUrl: metadataUrl.href, metadata: shipped, ...options });
      return new ModelHandle(engine, key, metadata, metadataUrl);
    })();
    promise.catch(() => cache.delete(id));
    cache.set(id, promise);
  }
  return promise;
}

/**
 * The model a widget shows first: the one ?model= names, where it is one of ``models``, else the
 * first (engine-boot.js, which imports nothing, picks the same way).
 * @template {{name: string}} M
 * @param {M[]} models
 * @returns {M | undefined}
 */
export function modelShownFirst(models) {
  const wanted = new URLSearchParams(location.search).get('model');
  return models.find((m) => m.name === wanted) ?? models[0];
}

/**
 * Start the engine and the download of the model a widget shows first, from its element alone (the
 * page calls this as it opens, before the widget's own code has loaded).
 * @param {Engine} engine
 * @param {HTMLElement} root a [data-widget] element with data-models
 */
export function prefetchFirstModel(engine, root) {
  /** @type {{name: string, metadata?: string}[]} */
  const models = JSON.parse(root.dataset.models || '[]');
  const first = modelShownFirst(models);
  engine.start().catch(() => {});
  if (first?.metadata) fetchMetadata(engine, new URL(first.metadata, location.href)).catch(() => {});
}

/** Forget every handle (the engine changed backend and holds no model any more). */
export function forgetModels() {
  cache.clear();
}
