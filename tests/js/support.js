// @ts-check
/**
 * What the node tests share: the committed models read from disk, as the browser reads them.
 */
import { readFileSync } from 'node:fs';

export const MODELS = new URL('../../docs/models/', import.meta.url);

/** @param {URL | string} url @returns {any} */
export function readJson(url) {
  return JSON.parse(readFileSync(url, 'utf8'));
}

/** @param {string} name @returns {any} a committed model's metadata.json */
export function metadataOf(name) {
  return readJson(new URL(`${name}/metadata.json`, MODELS));
}

/** Names of the committed models. */
export const COMMITTED = ['fashion-cnn', 'mnist-cnn', 'mnist-mlp'];

/**
 * Load a committed model with TF.js from its files (model.json + shards), no server needed.
 * @param {typeof import('@tensorflow/tfjs')} tf
 * @param {string} name
 */
export async function loadCommitted(tf, name) {
  const meta = metadataOf(name);
  const folder = new URL(`${name}/`, MODELS);
  const json = readJson(new URL(meta.assets.model, folder));
  const specs = json.weightsManifest.flatMap((/** @type {any} */ g) => g.weights);
  const buffers = json.weightsManifest.flatMap((/** @type {any} */ g) => g.paths.map((/** @type {string} */ p) => readFileSync(new URL(p, folder))));
  const joined = Buffer.concat(buffers);
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength);
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
  return { model, meta, folder };
}
