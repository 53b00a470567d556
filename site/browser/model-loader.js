// @ts-check
/**
 * Fetch a model's metadata.json and its TF.js files, once per backend and page life.
 */
import { Classifier } from '../core/classifier.js';

/** @type {Map<string, Promise<Classifier>>} */
const cache = new Map();

/**
 * @param {URL} url a JSON file
 * @returns {Promise<any>}
 */
export async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname.split('/').slice(-2).join('/')}: HTTP ${response.status}`);
  return response.json();
}

/**
 * @param {typeof import('@tensorflow/tfjs')} tf the TF.js namespace, backend already chosen
 * @param {URL} metadataUrl the model's metadata.json; its assets are named relative to it
 * @returns {Promise<Classifier>} warmed up, ready to predict
 */
export function loadClassifier(tf, metadataUrl) {
  const key = `${tf.getBackend()} ${metadataUrl.href}`;
  let promise = cache.get(key);
  if (!promise) {
    promise = (async () => {
      const metadata = await fetchJson(metadataUrl);
      // The graph model where there is one: the lean bundle runs only that.
      const model = metadata.assets.graph
        ? await tf.loadGraphModel(new URL(metadata.assets.graph, metadataUrl).href)
        : await tf.loadLayersModel(new URL(metadata.assets.model, metadataUrl).href);
      const classifier = new Classifier(tf, model, metadata, metadataUrl);
      classifier.warmUp();
      return classifier;
    })();
    promise.catch(() => cache.delete(key));
    cache.set(key, promise);
  }
  return promise;
}
