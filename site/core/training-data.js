// @ts-check
/**
 * The images the browser trains on (docs/data/mnist.json + .bin, written by
 * train/browser_data.py): checked, inflated and unpacked. No DOM: runs in the
 * training worker and in node's tests.
 */

/**
 * @typedef {{file: string, bytes: number, sha256: string, image_size: number, levels: number, count: number,
 *   splits: Record<string, {start: number, count: number}>, negative_label: number}} DataDescriptor
 * @typedef {{images: Uint8Array, labels: Uint8Array, size: number, descriptor: DataDescriptor}} TrainingData
 *   images: count * size * size grey values 0..255, row-major
 */

/** @param {ArrayBuffer | Uint8Array} bytes @returns {Promise<string>} lowercase hex SHA-256 */
export async function sha256Hex(bytes) {
  const digest = await crypto.subtle.digest('SHA-256', /** @type {BufferSource} */ (bytes));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Inflate gzip bytes.
 * @param {Uint8Array} bytes
 * @returns {Promise<Uint8Array>}
 */
export async function gunzip(bytes) {
  const stream = new Blob([/** @type {BlobPart} */ (bytes)]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Check and unpack the downloaded file.
 * @param {Uint8Array} bytes the file as fetched
 * @param {DataDescriptor} descriptor
 * @returns {Promise<TrainingData>}
 * @throws {Error} when the file is not the one the descriptor describes
 */
export async function unpackTrainingData(bytes, descriptor) {
  const digest = await sha256Hex(bytes);
  if (digest !== descriptor.sha256) {
    throw new Error(`the training data is damaged (sha256 ${digest.slice(0, 12)}…, expected ${descriptor.sha256.slice(0, 12)}…)`);
  }
  const raw = await gunzip(bytes);
  const pixels = descriptor.image_size ** 2;
  const packed = (descriptor.count * pixels) / 2;
  if (raw.length !== packed + descriptor.count) throw new Error('the training data has an unexpected size');
  const images = new Uint8Array(descriptor.count * pixels);
  const scale = 255 / (descriptor.levels - 1);
  for (let i = 0; i < packed; i++) {
    images[2 * i] = Math.round((raw[i] >> 4) * scale);
    images[2 * i + 1] = Math.round((raw[i] & 15) * scale);
  }
  return { images, labels: raw.slice(packed), size: descriptor.image_size, descriptor };
}

/**
 * The indices of one split, optionally shuffled with a seeded generator.
 * @param {TrainingData} data
 * @param {string} name 'train' | 'validation' | 'test' | 'negatives'
 * @param {number} [limit] at most this many
 * @returns {Int32Array}
 */
export function splitIndices(data, name, limit) {
  const { start, count } = data.descriptor.splits[name];
  const n = Math.min(count, limit ?? count);
  return Int32Array.from({ length: n }, (_, i) => start + i);
}

/**
 * A small seeded random generator (mulberry32), so that a run can be repeated.
 * @param {number} seed
 * @returns {() => number} uniform in [0, 1)
 */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fisher-Yates shuffle, in place.
 * @param {Int32Array} items
 * @param {() => number} random
 */
export function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Gather some images as one Float32Array, in the model's input scale.
 * @param {TrainingData} data
 * @param {Int32Array | number[]} indices
 * @param {number} divideBy metadata.input.divide_by
 */
export function gather(data, indices, divideBy) {
  const pixels = data.size * data.size;
  const out = new Float32Array(indices.length * pixels);
  indices.forEach((index, k) => {
    const source = data.images.subarray(index * pixels, (index + 1) * pixels);
    for (let p = 0; p < pixels; p++) out[k * pixels + p] = source[p] / divideBy;
  });
  return out;
}
