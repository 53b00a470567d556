// @ts-check
/**
 * The page's one engine: a module Web Worker running site/engine/engine.js, started once per page
 * life and shared by every widget (Material's instant navigation keeps the page, and so the
 * worker, alive). Where the browser cannot run a module worker, or `?engine=page` asks for it,
 * the same engine runs on the page, over a MessageChannel, and the widgets say so.
 */
import { BACKENDS } from '../core/backend-plan.js';
import { EngineClient } from '../core/engine-protocol.js';
import { forgetModels } from './model-loader.js';

const CHANGED = 'dl:backend-changed';
const WORKER_WHY = 'TensorFlow.js runs in a worker, off the page';

/** @type {Engine | null} */
let engine = null;

/**
 * @typedef {import('../core/engine-protocol.js').Backend} Backend
 * @typedef {import('../core/engine-protocol.js').Port} Port
 */

/** @returns {Promise<{port: Port, where: 'worker' | 'page', why: string}>} */
async function connect() {
  const wanted = new URLSearchParams(location.search).get('engine');
  // The worker the page's <head> started (engine-boot.js), its first model already on the way.
  const booted = /** @type {any} */ (self).dlEngineWorker;
  if (wanted !== 'page' && booted instanceof Worker) return { port: booted, where: 'worker', why: WORKER_WHY };
  if (wanted !== 'page' && typeof Worker !== 'undefined') {
    // A browser without module workers ignores `type` (and would run the module as a classic
    // script, which fails): it reads the option only if it knows it.
    let modules = false;
    const options = { name: 'engine', get type() { modules = true; return /** @type {const} */ ('module'); } };
    try {
      const worker = new Worker(new URL('../workers/engine-worker.js', import.meta.url), options);
      if (modules) return { port: worker, where: 'worker', why: WORKER_WHY };
      worker.terminate();
    } catch (error) {
      console.info('the engine runs on the page:', /** @type {Error} */ (error).message);
    }
  }
  const { startEngine } = await import('../engine/engine.js');
  const channel = new MessageChannel();
  startEngine(channel.port2);
  const why = wanted === 'page' ? 'TensorFlow.js runs on the page (asked with ?engine=page)'
    : 'TensorFlow.js runs on the page: this browser has no module workers';
  return { port: channel.port1, where: 'page', why };
}

/**
 * @typedef {Pick<EngineClient, 'call' | 'invalidate' | 'on'>} Client the engine's requests and events
 * @typedef {{client: Client, where: 'worker' | 'page', why: string,
 *   start: () => Promise<Backend>, describe: () => Promise<Backend>}} Engine
 *   start: the backend, chosen once (a start that failed, a file missing say, is tried again);
 *   describe: the same, once WebGL's probe has answered (its reason then says what WebGL offers)
 */

/**
 * The page's engine (its worker starts now; its backend on the first `start()`).
 * @param {Record<string, string>} vendor
 * @returns {Engine}
 */
export function getEngine(vendor) {
  if (engine) return engine;
  const connecting = connect();
  /** @type {EngineClient | null} */
  let client = null;
  const ready = connecting.then(({ port }) => (client = new EngineClient(port)));
  // Calls made before the port exists wait for it: the widgets hold one object from the start.
  /** @type {Client} */
  const proxy = {
    call: (op, args, options) => (client ? client.call(op, args, options) : ready.then((c) => c.call(op, args, options))),
    invalidate: (channel) => (client ? client.invalidate(channel) : ready.then((c) => c.invalidate(channel))),
    on: (name, listener) => {
      /** @type {(() => void) | null} */
      let off = null;
      let cancelled = false;
      ready.then((c) => { if (!cancelled) off = c.on(name, listener); });
      return () => { cancelled = true; off?.(); };
    },
  };
  /** @type {Promise<Backend> | null} */
  let starting = null;
  const state = { where: /** @type {'worker' | 'page'} */ ('worker'), why: '' };
  connecting.then((c) => Object.assign(state, { where: c.where, why: c.why }));
  proxy.on('backend-changed', (backend) => {
    // The engine dropped its models (they lived on the old backend): every widget reloads its own.
    forgetModels();
    document.dispatchEvent(new CustomEvent(CHANGED, { detail: backend }));
  });
  engine = {
    client: proxy,
    get where() { return state.where; },
    get why() { return state.why; },
    start() {
      starting ??= proxy.call('start', { vendor, forced: forcedBackend() });
      starting.catch(() => { starting = null; });
      return starting;
    },
    describe() {
      return proxy.call('describe', { vendor, forced: forcedBackend() });
    },
  };
  return engine;
}

/**
 * @param {(backend: Backend) => void} listener called when the engine had
 *   to change backend (WebGL lost its context), after it dropped its models
 */
export function onBackendChanged(listener) {
  const handler = (/** @type {Event} */ event) => listener(/** @type {CustomEvent} */ (event).detail);
  document.addEventListener(CHANGED, handler);
  return () => document.removeEventListener(CHANGED, handler);
}

/** The backend forced with ?backend=, or null. */
export function forcedBackend() {
  const forced = new URLSearchParams(location.search).get('backend');
  return BACKENDS.some((name) => name === forced) ? forced : null;
}

/**
 * Reload the page with another backend forced ('' = automatic choice).
 * @param {string} name
 */
export function switchBackend(name) {
  const url = new URL(location.href);
  if (name) url.searchParams.set('backend', name);
  else url.searchParams.delete('backend');
  location.assign(url);
}
