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
 * A model.json and its shards, read from disk as TF.js' loaders want them (node has no file:// fetch).
 * @param {URL} file a model.json
 * @returns {import('@tensorflow/tfjs').io.IOHandler}
 */
export function diskHandler(file) {
  return {
    async load() {
      const json = readJson(file);
      const buffers = json.weightsManifest.flatMap((/** @type {any} */ g) => g.paths.map((/** @type {string} */ p) => readFileSync(new URL(p, file))));
      const joined = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology, format: json.format, signature: json.signature,
        weightSpecs: json.weightsManifest.flatMap((/** @type {any} */ g) => g.weights),
        weightData: joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength),
      };
    },
  };
}

/**
 * Load a committed model with TF.js from its files, as the widgets do (its graph model) or as the
 * reader's own models run (its layers model).
 * @param {typeof import('@tensorflow/tfjs')} tf
 * @param {string} name
 * @param {'graph' | 'layers'} [path]
 */
export async function loadCommitted(tf, name, path = 'layers') {
  const meta = metadataOf(name);
  const folder = new URL(`${name}/`, MODELS);
  const model = path === 'graph'
    ? await tf.loadGraphModel(diskHandler(new URL(meta.assets.graph, folder)))
    : await tf.loadLayersModel(diskHandler(new URL(meta.assets.model, folder)));
  return { model, meta, folder };
}
