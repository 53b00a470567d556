// @ts-check
/**
 * A reader's model as the two files TF.js writes for `model.save('downloads://NAME')`:
 * NAME.json (the topology and a weights manifest naming the second file) and NAME.weights.bin
 * (every weight, float32, in the manifest's order). The same layout `tf.loadLayersModel`, the
 * tensorflowjs converter and `python -m train.from_browser` read. No DOM: the page turns the
 * two into downloads.
 */

/**
 * @typedef {{modelTopology: object, weightSpecs: object[], weightData: ArrayBuffer | ArrayBuffer[],
 *   format?: string, generatedBy?: string, convertedBy?: string | null, trainingConfig?: object,
 *   userDefinedMetadata?: object}} Artifacts what TF.js' save handlers are given (tf.io.ModelArtifacts)
 * @typedef {{jsonName: string, json: string, weightsName: string, weights: ArrayBuffer}} ModelFiles
 */

/**
 * One buffer of the weights, whether TF.js kept them as one or as several.
 * @param {ArrayBuffer | ArrayBuffer[]} data
 */
function concatenated(data) {
  if (!Array.isArray(data)) return data;
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const buffer of data) {
    out.set(new Uint8Array(buffer), at);
    at += buffer.byteLength;
  }
  return out.buffer;
}

/**
 * @param {Artifacts} artifacts a trained model's, from the engine
 * @param {string} name the files' stem: letters, digits and dashes
 * @param {object} [about] kept in the model's userDefinedMetadata (where it came from, its accuracy)
 * @returns {ModelFiles}
 */
export function modelFiles(artifacts, name, about = {}) {
  if (!/^[a-z0-9-]+$/i.test(name)) throw new Error(`not a file name: ${name}`);
  const weightsName = `${name}.weights.bin`;
  const weights = concatenated(artifacts.weightData);
  const model = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [`./${weightsName}`], weights: artifacts.weightSpecs }],
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    userDefinedMetadata: { ...artifacts.userDefinedMetadata, ...about },
  };
  return { jsonName: `${name}.json`, json: JSON.stringify(model), weightsName, weights };
}
