// @ts-check
/**
 * Reading tensors' values back from the backend, the same way on every backend. No DOM.
 */

/**
 * @typedef {typeof import('@tensorflow/tfjs')} TF
 * @typedef {import('@tensorflow/tfjs').Tensor} Tensor
 */

/**
 * The values of the tensors `make` returns, read without a synchronous GPU readback, then freed.
 * WebGPU cannot do synchronous readbacks reliably (a few in a row lose its device); the other
 * backends answer `data()` as fast as `dataSync()`.
 * @param {TF} tf
 * @param {() => Tensor | Tensor[]} make
 * @returns {Promise<Float32Array[]>}
 */
export async function readAndFree(tf, make) {
  const made = tf.tidy(make);
  const tensors = Array.isArray(made) ? made : [made];
  try {
    return await Promise.all(tensors.map(async (t) => /** @type {Float32Array} */ (await t.data())));
  } finally {
    tf.dispose(tensors);
  }
}
