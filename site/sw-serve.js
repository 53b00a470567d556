// @ts-check
/**
 * The service worker of `mkdocs serve`, published as sw.js in place of site/sw.js:
 * while the site is edited, nothing is kept offline, so every reload shows the latest build.
 * A cache that an earlier visit to a build left is deleted, then this worker unregisters itself.
 */
// As in sw.js: the Web Worker library types `self` as any worker's scope.
const serveWorker = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

serveWorker.addEventListener('install', () => serveWorker.skipWaiting());
serveWorker.addEventListener('activate', (event) => event.waitUntil(caches.keys()
  .then((keys) => Promise.all(keys.map((key) => caches.delete(key))))
  .then(() => serveWorker.registration.unregister())));
