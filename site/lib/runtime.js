/**
 * TF.js with its backend chosen, shared by every widget of the page life.
 */
import { BACKENDS, chooseBackend } from './backend.js';
import { loadTf } from './tf-loader.js';

let starting = null;

/** The backend forced with ?backend=, or null. */
export function forcedBackend() {
  const forced = new URLSearchParams(location.search).get('backend');
  return BACKENDS.includes(forced) ? forced : null;
}

/**
 * @param {URL} siteRoot
 * @returns {Promise<{tf: object, backend: {name: string, reason: string, renderer: string}}>}
 */
export function startRuntime(siteRoot) {
  starting ??= (async () => {
    const tf = await loadTf(new URL('assets/vendor/tfjs/', siteRoot));
    const backend = await chooseBackend(tf, forcedBackend());
    return { tf, backend };
  })();
  return starting;
}

/** Reload the page with another backend forced ('' = automatic choice). */
export function switchBackend(name) {
  const url = new URL(location.href);
  if (name) url.searchParams.set('backend', name);
  else url.searchParams.delete('backend');
  location.assign(url);
}
