// @ts-check
/**
 * Reading a model's metadata.json, the one place that describes a model (written by the training
 * pipeline next to it). Used by the engine and by the page alike. No DOM.
 */

/**
 * @param {string | URL} url a JSON file
 * @returns {Promise<any>}
 */
export async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${new URL(url).pathname.split('/').slice(-2).join('/')}: HTTP ${response.status}`);
  return response.json();
}

/**
 * Where one of the model's files is: asset names are relative to metadata.json.
 * @param {{name: string, assets: Record<string, string>}} metadata
 * @param {URL} metadataUrl where metadata.json was read
 * @param {string} name a key of metadata.assets
 * @returns {URL}
 */
export function assetUrl(metadata, metadataUrl, name) {
  const file = metadata.assets[name];
  if (!file) throw new Error(`${metadata.name} has no ${name} asset`);
  return new URL(file, metadataUrl);
}

/**
 * Values per image: the product of metadata.input.shape.
 * @param {{input: {shape: number[]}}} metadata
 */
export function inputSize(metadata) {
  return metadata.input.shape.reduce((a, b) => a * b, 1);
}
