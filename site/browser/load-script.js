// @ts-check
/**
 * Load a classic (UMD) script once; later calls get the same promise.
 */
/** @type {Map<string, Promise<void>>} */
const loaded = new Map();

/** @param {string} src absolute URL @returns {Promise<void>} */
export function loadScript(src) {
  if (!loaded.has(src)) {
    loaded.set(src, new Promise(/** @type {(resolve: () => void, reject: (e: Error) => void) => void} */ ((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.async = false;
      script.onload = () => resolve();
      script.onerror = () => {
        loaded.delete(src);
        reject(new Error(`could not load ${src}`));
      };
      document.head.append(script);
    })));
  }
  return /** @type {Promise<void>} */ (loaded.get(src));
}
