// @ts-check
/**
 * A faster matrix product for training on TF.js' WASM backend. No DOM.
 *
 * TF.js 4.22's WASM `BatchMatMul` hands only untransposed products to XNNPACK; a product
 * with `transposeA` or `transposeB` (what every Dense layer's backward pass asks for)
 * takes a plain loop that is 7-15x slower here. Transposing the operand first with the
 * backend's own `Transpose` kernel and multiplying untransposed gives the same numbers
 * in a fraction of the time: measured in node, a Quickstart-MLP batch of 32 drops from
 * about 27 ms to about 11 ms.
 */

/**
 * @typedef {typeof import('@tensorflow/tfjs-core')} TF
 * @typedef {import('@tensorflow/tfjs-core').TensorInfo} TensorInfo
 */

const patched = new WeakSet();

/**
 * Replace the WASM backend's `BatchMatMul` kernel with one that transposes explicitly.
 * Safe to call more than once; a no-op if the WASM backend is not registered.
 * @param {Pick<TF, 'getKernel' | 'registerKernel' | 'unregisterKernel'>} tf
 * @returns {boolean} whether the kernel is (now) the transposing one
 */
export function useUntransposedMatMul(tf) {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) return false;
  if (patched.has(original.kernelFunc)) return true;
  /** @type {import('@tensorflow/tfjs-core').KernelFunc} */
  const kernelFunc = ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = /** @type {{transposeA: boolean, transposeB: boolean}} */ (/** @type {unknown} */ (attrs));
    if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
    /** @type {TensorInfo[]} */
    const made = [];
    const swapLast = (/** @type {TensorInfo} */ x) => {
      const perm = x.shape.map((_, i) => i);
      perm.splice(-2, 2, perm.length - 1, perm.length - 2);
      const t = /** @type {TensorInfo} */ (
        transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }));
      made.push(t);
      return t;
    };
    const { a: givenA, b: givenB } = /** @type {{a: TensorInfo, b: TensorInfo}} */ (inputs);
    const a = transposeA ? swapLast(givenA) : givenA;
    const b = transposeB ? swapLast(givenB) : givenB;
    try {
      return original.kernelFunc({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of made) /** @type {import('@tensorflow/tfjs-core').KernelBackend} */ (backend).disposeData(t.dataId);
    }
  };
  patched.add(kernelFunc);
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
  return true;
}
