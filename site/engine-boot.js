// @ts-check
/**
 * Start the engine's worker as the page's <head> is parsed, and have it load the first model.
 *
 * A classic script, inlined by the docs hook (docs/hooks/preload.py) right after the page's policy,
 * before the stylesheets: it runs while the page waits for everything else. Everything later on the
 * page's thread is slow to come on a phone: Material's bundle blocks the parser for half a second,
 * the page's modules run after it, and a worker starts only when the page's thread is free to
 * start it. Begun here, the worker starts TF.js' backend, downloads the model and warms it up while
 * the page is still loading; when the widget asks for the model it is ready.
 *
 * It imports nothing (a module would wait for its imports). The hook writes what it needs into
 * `data-boot` as JSON: the worker's URL, the vendored files' URLs as vendor.js gives them, and
 * the page's first model widget's models. browser/engine-client.js adopts the worker it leaves
 * in `self.dlEngineWorker`, and the engine shares the model it loaded: the same backend and key.
 */
(() => {
  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  const params = new URLSearchParams(location.search);
  // ?engine=page runs the engine on the page (engine-client.js): no worker then.
  if (!script?.dataset.boot || params.get('engine') === 'page' || typeof Worker === 'undefined') return;
  /** @type {{worker: string, vendorModule: string, vendor: Record<string, string>, models: {name: string, metadata: string}[]}} */
  const boot = JSON.parse(script.dataset.boot);
  // A browser without module workers ignores `type` (and would run the module as a classic
  // script, which fails): it reads the option only if it knows it.
  let modules = false;
  const options = { name: 'engine', get type() { modules = true; return /** @type {const} */ ('module'); } };
  try {
    const worker = new Worker(new URL(boot.worker, location.href), options);
    if (!modules) {
      worker.terminate();
      return;
    }
    const vendorModule = new URL(boot.vendorModule, location.href);
    const vendor = Object.fromEntries(Object.entries(boot.vendor).map(([name, url]) => [name, new URL(url, vendorModule).href]));
    // The model the widget will show first: ?model= where it names one of them, else the first.
    const model = boot.models.find((m) => m.name === params.get('model')) ?? boot.models[0];
    // Its answer's id is one the page's client never uses: the client drops it.
    worker.postMessage({
      id: -1,
      op: 'boot',
      args: {
        start: { vendor, forced: params.get('backend') },
        model: { key: model.name, metadataUrl: new URL(model.metadata, location.href).href },
      },
    });
    /** @type {any} */ (self).dlEngineWorker = worker;
  } catch (error) {
    console.info('the engine starts with the page instead:', /** @type {Error} */ (error).message);
  }
})();
