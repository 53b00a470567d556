// @ts-check
/**
 * WebGPU in the engine: what a scope offers (a worker's or a page's: whether an adapter is there,
 * and which), and TF.js' WebGPU backend. A module of its own, loaded only when training asks or
 * ?backend=webgpu does: a digit's first answer never needs it. No DOM.
 */

/**
 * The adapter's vendor, architecture, device and description, as `GPUAdapterInfo` gives them;
 * "(software fallback adapter)" is added where the browser says it is one.
 * @returns {Promise<import('../core/backend-plan.js').WebGPUProbe>}
 */
export async function probeWebGPU() {
  // WebGPU's types are not in TypeScript's libraries: the little used here is read through `any`.
  const gpu = /** @type {any} */ (globalThis.navigator)?.gpu;
  if (!gpu) return { available: false, adapter: '' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, adapter: '' };
    const info = adapter.info ?? {};
    const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
    const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter;
    return { available: true, adapter: fallback ? `${name} (software fallback adapter)` : name };
  } catch {
    return { available: false, adapter: '' };
  }
}

/**
 * Register TF.js' WebGPU backend with the full library, where the browser has an adapter.
 * @param {{probeWebGPU: () => Promise<import('../core/backend-plan.js').WebGPUProbe>, full: () => Promise<unknown>,
 *   vendor: Record<string, string>}} runtime the engine's runtime (engine/runtime.js)
 * @returns {Promise<boolean>} false: no WebGPU here, or its backend's file could not load
 */
export async function loadWebGPU(runtime) {
  if (!(await runtime.probeWebGPU()).available) return false;
  await runtime.full();
  // Like the WASM backend's UMD build: it registers 'webgpu' with the global tf.
  await import(runtime.vendor.tfjsWebgpu);
  return true;
}
