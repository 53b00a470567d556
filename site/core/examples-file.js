// @ts-check
/**
 * The file a reader exports their example drawings to, and imports back: JSON,
 * one base64 string of grey values per drawing. Anything else is refused with a
 * reason meant for the reader, and changes nothing. No DOM.
 */

export const FILE_FORMAT = 'draw-learn-tf/examples';
const MAX_EXAMPLES = 2000;

/** @typedef {{digit: number, pixels: Uint8Array}} StoredExample pixels: size * size grey values, 0..255 */

/**
 * The examples as the text of a JSON file the reader can keep.
 * @param {StoredExample[]} examples
 * @param {number} size the image side
 */
export function exportExamples(examples, size) {
  const encode = (/** @type {Uint8Array} */ bytes) => btoa(String.fromCharCode(...bytes));
  return JSON.stringify({
    format: FILE_FORMAT, version: 1, image_size: size,
    examples: examples.map((e) => ({ digit: e.digit, pixels: encode(e.pixels) })),
  });
}

/**
 * Read a file made by exportExamples; anything else is refused, with a reason for the reader.
 * @param {string} text
 * @param {number} size the image side the model expects
 * @returns {StoredExample[]}
 * @throws {Error} with a message meant for the reader
 */
export function importExamples(text, size) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error('That file is not JSON: choose a file saved with "Export examples".');
  }
  if (data?.format !== FILE_FORMAT || data.version !== 1 || !Array.isArray(data.examples)) {
    throw new Error('That file was not saved by "Export examples" on this site.');
  }
  if (data.image_size !== size) throw new Error(`Those examples are ${data.image_size} pixels wide; this model reads ${size}.`);
  if (data.examples.length > MAX_EXAMPLES) throw new Error(`That file has more than ${MAX_EXAMPLES} examples.`);
  return data.examples.map((/** @type {any} */ e, /** @type {number} */ i) => {
    if (!Number.isInteger(e?.digit) || e.digit < 0 || e.digit > 9 || typeof e.pixels !== 'string') {
      throw new Error(`Example ${i + 1} in that file is damaged.`);
    }
    let bytes;
    try {
      bytes = Uint8Array.from(atob(e.pixels), (c) => c.charCodeAt(0));
    } catch {
      throw new Error(`Example ${i + 1} in that file is damaged.`);
    }
    if (bytes.length !== size * size) throw new Error(`Example ${i + 1} in that file is damaged.`);
    return { digit: e.digit, pixels: bytes };
  });
}
