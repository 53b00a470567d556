// @ts-check
/**
 * The site's service worker: after one visit, every page, script, stylesheet,
 * font, .wasm and model works with the network off.
 *
 * The docs hook publishes this file at the site's root (so its scope is the
 * whole site) with MANIFEST filled in: the list of built files and a version
 * derived from their contents. A rebuild changes the version, so the next visit
 * installs the new files and drops the old cache. Where the connection asks to save data
 * (navigator.connection.saveData), nothing is precached: pages, models and scripts are kept
 * as the reader opens them, so what they visited works offline. Anything else the site
 * fetches (the training images, when a reader trains) is kept after its first use.
 * It works with Material's instant navigation, whose page fetches it answers too.
 */
// The Web Worker library types `self` as any worker's scope (its globals are a dedicated worker's):
// this one is a service worker's.
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
/** @type {{version: string, files: string[]}} */
const MANIFEST = { version: 'dev', files: [] }; // replaced at build time
const PREFIX = 'draw-learn-tf-';
const CACHE = `${PREFIX}${MANIFEST.version}`;

/** Whether the reader's connection asks sites to save data (then only what they open is kept). */
// (NetworkInformation is not in TypeScript's libraries: Chromium has it, other browsers do not.)
const saveData = () => !!(/** @type {WorkerNavigator & {connection?: {saveData?: boolean}}} */ (sw.navigator)).connection?.saveData;

sw.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => (saveData() ? undefined : cache.addAll(MANIFEST.files)))
    .then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
    await sw.clients.claim();
  })());
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // A page's query (?backend=, ?model=) changes what its widgets do, not the page itself.
    const hit = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
    if (hit) return hit;
    try {
      const response = await fetch(request);
      if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
      return response;
    } catch (error) {
      const fallback = request.mode === 'navigate' ? await cache.match('404.html') : undefined;
      if (fallback) return fallback;
      throw error;
    }
  })());
});
