// @ts-check
/**
 * The messages between the page and the engine (all of TF.js, in a Web Worker or, where the
 * browser cannot run a module worker, on the page itself). No DOM: both ends are tested in node
 * over a MessageChannel.
 *
 * Page -> engine:  {id, op, args}            one request; `op` is one of OPS
 * Engine -> page:  {id, kind: 'result', value}
 *                  {id, kind: 'error', message}
 *                  {id, kind: 'progress', value}   zero or more before the result (downloads, batches)
 *                  {id: 0, kind: 'event', name, value} unasked news (the backend changed)
 *
 * Pixels, feature maps and model weights travel as transferable buffers (moved, not copied).
 * A request may name a `channel` (one widget's predictions, say): an answer that arrives after a
 * newer request on the same channel was sent is stale, and the caller gets STALE instead.
 */

/**
 * @typedef {{id: number, op: string, args: any}} Request
 * @typedef {{id: number, kind: 'result', value: any} | {id: number, kind: 'error', message: string}
 *   | {id: number, kind: 'progress', value: any} | {id: 0, kind: 'event', name: string, value: any}} Reply
 * @typedef {{postMessage(message: any, transfer?: Transferable[]): void,
 *   addEventListener(type: 'message', listener: (event: {data: any}) => void): void,
 *   start?: () => void}} Port a Worker, the worker's global scope, or one end of a MessageChannel
 * @typedef {(args: any, context: {progress: (value: any) => void}) => any} Handler
 */

/** What the engine can be asked. */
export const OPS = /** @type {const} */ ([
  'start', // {vendor, forced} -> backend {name, reason, renderer}, without waiting for WebGL's probe
  'describe', // {vendor, forced} -> the same backend, its reason and renderer from the probe
  'prefetch', // {metadataUrl} -> the model's metadata; its graph's files start downloading
  'load', // {key, metadataUrl, metadata?, source?, rename?} -> metadata of the loaded model
  'unload', // {key}
  'predict', // {key, pixels} -> Prediction
  'predict-raw', // {key, pixels, n} -> Float32Array of n * outputs
  'activations', // {key, pixels} -> Float32Array[] | null
  'train', // the quickstart from scratch -> report (progress: download, batch, epoch)
  'fine-tune', // the CNN's head on the reader's drawings -> report
  'stop', // stop the training under way
  'conv2d', // {image, kernel, size} -> the feature map (the convolution figure)
  'descent', // {op: 'surface' | 'evaluate', ...} (the descent figure)
  'memory', // -> {numTensors, backend}
  'lose-webgl', // lose the WebGL context (a fault the tests provoke) -> boolean
]);

/** The answer a caller gets when a newer request on the same channel made this one stale. */
export const STALE = Symbol('stale');

/**
 * The buffers inside a value that can be moved instead of copied: typed arrays' and plain
 * ArrayBuffers, searched two levels deep (a result, or arrays and fields of it).
 * @param {any} value
 * @returns {Transferable[]}
 */
export function transferablesOf(value) {
  /** @type {Set<ArrayBuffer>} */
  const found = new Set();
  /** @param {any} v @param {number} depth */
  const visit = (v, depth) => {
    if (!v || typeof v !== 'object') return;
    if (v instanceof ArrayBuffer) found.add(v);
    else if (ArrayBuffer.isView(v)) {
      // A view of part of a bigger buffer would move the whole of it: copy those instead.
      if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer) found.add(v.buffer);
    } else if (depth > 0) (Array.isArray(v) ? v : Object.values(v)).forEach((x) => visit(x, depth - 1));
  };
  visit(value, 2);
  return [...found];
}

/** Requests and their answers, seen from the page. */
export class EngineClient {
  /** @param {Port} port */
  constructor(port) {
    this.port = port;
    this.nextId = 1;
    /** @type {Map<number, {resolve: (v: any) => void, reject: (e: Error) => void, onProgress?: (v: any) => void, channel?: string}>} */
    this.pending = new Map();
    /** @type {Map<string, number>} the newest request id of each channel */
    this.latest = new Map();
    /** @type {Map<string, Set<(value: any) => void>>} */
    this.listeners = new Map();
    port.addEventListener('message', (event) => this.receive(event.data));
    port.start?.();
  }

  /**
   * Ask the engine.
   * @param {typeof OPS[number]} op
   * @param {any} [args]
   * @param {{channel?: string, onProgress?: (value: any) => void, transfer?: boolean}} [options]
   *   transfer: move the request's buffers to the engine (the caller no longer needs them)
   * @returns {Promise<any>} the value, or STALE
   */
  call(op, args = {}, { channel, onProgress, transfer = false } = {}) {
    if (!OPS.includes(op)) return Promise.reject(new Error(`the engine has no operation ${op}`));
    const id = this.nextId++;
    if (channel) this.latest.set(channel, id);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress, channel });
      this.port.postMessage({ id, op, args }, transfer ? transferablesOf(args) : []);
    });
  }

  /**
   * Forget a channel's outstanding requests: their answers will be STALE (a widget switched model).
   * @param {string} channel
   */
  invalidate(channel) {
    this.latest.set(channel, this.nextId++);
  }

  /**
   * @param {string} name an event the engine sends unasked
   * @param {(value: any) => void} listener
   * @returns {() => void} unsubscribe
   */
  on(name, listener) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    const set = /** @type {Set<(value: any) => void>} */ (this.listeners.get(name));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** @param {Reply} reply */
  receive(reply) {
    if (reply.kind === 'event') {
      this.listeners.get(reply.name)?.forEach((listener) => listener(reply.value));
      return;
    }
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    if (reply.kind === 'progress') {
      waiting.onProgress?.(reply.value);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.kind === 'error') waiting.reject(new Error(reply.message));
    else if (waiting.channel && this.latest.get(waiting.channel) !== reply.id) waiting.resolve(STALE);
    else waiting.resolve(reply.value);
  }
}

/**
 * Answer requests on ``port`` with ``handlers`` (one per op), one reply per request, in the order
 * the work finishes; errors are answers too.
 * @param {Port} port
 * @param {Record<string, Handler>} handlers
 * @returns {(name: string, value: any) => void} sends an unasked event to the page
 */
export function serveEngine(port, handlers) {
  port.addEventListener('message', async ({ data }) => {
    const { id, op, args } = /** @type {Request} */ (data);
    const handler = handlers[op];
    try {
      if (!handler) throw new Error(`the engine has no operation ${op}`);
      const progress = (/** @type {any} */ value) => port.postMessage({ id, kind: 'progress', value }, transferablesOf(value));
      const value = await handler(args, { progress });
      port.postMessage({ id, kind: 'result', value }, transferablesOf(value));
    } catch (error) {
      port.postMessage({ id, kind: 'error', message: /** @type {Error} */ (error)?.message ?? String(error) });
    }
  });
  port.start?.();
  return (name, value) => port.postMessage({ id: 0, kind: 'event', name, value });
}
