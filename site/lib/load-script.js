/**
 * Load a classic (UMD) script once; later calls get the same promise.
 */
const loaded = new Map();

/** @param {string} src absolute URL @returns {Promise<void>} */
export function loadScript(src) {
  if (!loaded.has(src)) {
    loaded.set(src, new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.async = false;
      script.onload = () => resolve();
      script.onerror = () => {
        loaded.delete(src);
        reject(new Error(`could not load ${src}`));
      };
      document.head.append(script);
    }));
  }
  return loaded.get(src);
}
