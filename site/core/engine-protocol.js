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
 * What travels, operation by operation. Both ends import these: the page (browser/engine-client.js,
 * browser/model-loader.js and the widgets) and the engine (engine/engine.js, engine/training.js), so
 * tsc holds each end to the same protocol.
 *
 * @typedef {typeof OPS[number]} Op
 * @typedef {{name: string, reason: string, renderer: string}} Backend the backend the engine runs
 *   on, and why (`renderer`: WebGL's, once the probe has answered; '' before)
 * @typedef {{vendor: Record<string, string>, forced: string | null}} StartArgs vendor: the URLs of
 *   the published npm files (assets/js/vendor.js); forced: the page's ?backend=, or null
 * @typedef {import('./model-files.js').Artifacts} Artifacts a layers model's topology and weights
 * @typedef {{artifacts?: Artifacts, indexeddb?: string, layers?: boolean}} Source how to load a model:
 *   its graph model (the default: the lean path), its layers model, weights the page sends, or a stored model
 * @typedef {{key: string, metadataUrl: string, metadata?: import('./classifier.js').Metadata | null,
 *   source?: Source, rename?: {name: string, title: string, verdict: boolean}}} LoadArgs
 *   metadata: the page's copy of metadataUrl's file, if it has read it already
 * @typedef {{key: string, pixels: Float32Array}} PixelsArgs one image for the model held under `key`
 *
 * @typedef {{metadataUrl: string, dataUrl: string, settings: import('./quickstart-settings.js').Settings,
 *   trainLimit?: number, seed?: number}} TrainJob settings: the reader's, checked by the page (parseSettings);
 *   trainLimit: a short run (tests), at most this many images of each split
 * @typedef {{pixels: number[], label: number}} Example one of the reader's drawings, model-ready
 * @typedef {{metadataUrl: string, dataUrl: string, examples: Example[], heldOut: Example[],
 *   save?: string, seed?: number}} FineTuneJob save: where to keep the model (an indexeddb:// path)
 * @typedef {{type: 'download', loaded: number, total: number}} DownloadProgress bytes of the training data
 * @typedef {{type: 'status', state: 'loading-data', params?: undefined, backend?: undefined, why?: undefined}} LoadingStatus
 * @typedef {({type: 'batch'} & import('./training-loop.js').BatchReport)
 *   | ({type: 'epoch'} & import('./training-loop.js').EpochReport)} LoopProgress
 * @typedef {DownloadProgress | LoadingStatus | LoopProgress
 *   | {type: 'status', state: 'training', params: number, backend: string, why: string}} TrainProgress
 *   params: the model's weights; why: why it trains on that backend
 * @typedef {DownloadProgress | LoadingStatus | LoopProgress
 *   | {type: 'status', state: 'training', backend: string}} FineTuneProgress
 * @typedef {{stopped: boolean, seconds: number, test: {loss: number, accuracy: number, count: number},
 *   artifacts: Artifacts, leakedTensors: number, backend: string}} TrainReport
 *   leakedTensors: tensors the engine failed to free
 * @typedef {{yours: number | null, mnist: number}} Scores accuracy on the reader's held-out drawings
 *   (null: none held out) and on MNIST test images
 * @typedef {{stopped: boolean, seconds: number, before: Scores, after: Scores, saved: string | null | undefined,
 *   artifacts: Artifacts, leakedTensors: number, backend: string}} FineTuneReport
 *   saved: where the model was kept, or why it was not ("not saved: ...")
 *
 * @typedef {{metadataUrl: string} | {image: Float32Array, size: number, kernel: import('./convolution.js').Kernel}} Conv2dArgs
 *   the model's learned first-layer kernels, or one kernel's feature map over an image
 * @typedef {{layer: string, kernels: import('./convolution.js').Kernel[]} | null} LearnedKernels
 *   null: the model's first layer is not the kind the figure shows
 * @typedef {{pre: Float32Array, post: Float32Array, pooled: Float32Array}} FeatureMaps before and
 *   after the ReLU, and pooled
 * @typedef {{op: 'surface', size: number} | {op: 'evaluate', w: import('./descent.js').Weights}} DescentArgs
 * @typedef {{numTensors: number, backend: string | undefined, full: boolean}} Memory
 *   full: whether the full library was loaded
 *
 * @typedef {{args: unknown, value: unknown, progress?: unknown}} Exchange one operation: what the
 *   page sends, what the engine answers and, for the long ones, what it reports on the way
 * @typedef {{
 *   start: {args: StartArgs, value: Backend},
 *   describe: {args: StartArgs, value: Backend},
 *   boot: {args: {start: StartArgs, model: {key: string, metadataUrl: string}}, value: import('./classifier.js').Metadata},
 *   prefetch: {args: {metadataUrl: string}, value: import('./classifier.js').Metadata},
 *   load: {args: LoadArgs, value: import('./classifier.js').Metadata},
 *   unload: {args: {key: string}, value: void},
 *   predict: {args: PixelsArgs, value: import('./classifier.js').Prediction},
 *   'predict-raw': {args: PixelsArgs & {n: number}, value: Float32Array},
 *   activations: {args: PixelsArgs, value: Float32Array[] | null},
 *   train: {args: TrainJob, value: TrainReport, progress: TrainProgress},
 *   'fine-tune': {args: FineTuneJob, value: FineTuneReport, progress: FineTuneProgress},
 *   stop: {args: {}, value: void},
 *   conv2d: {args: Conv2dArgs, value: LearnedKernels | FeatureMaps},
 *   descent: {args: DescentArgs, value: Float32Array | import('./descent.js').Evaluation},
 *   memory: {args: {}, value: Memory},
 *   'lose-webgl': {args: {}, value: boolean},
 * }} Operations every operation of OPS (conv2d and descent answer after what they are asked:
 *   LearnedKernels for a metadataUrl, FeatureMaps for an image; the loss surface for 'surface',
 *   an Evaluation for 'evaluate')
 * @typedef {{'backend-changed': Backend}} Events what the engine sends unasked (WebGL lost its
 *   context, and the engine moved to another backend)
 */

/**
 * The envelopes, on the wire (postMessage's data).
 * @typedef {{id: number, op: Op, args: unknown}} Request
 * @typedef {{id: number, kind: 'result', value: unknown} | {id: number, kind: 'error', message: string}
 *   | {id: number, kind: 'progress', value: unknown}
 *   | {id: 0, kind: 'event', name: keyof Events, value: Events[keyof Events]}} Reply
 * @typedef {{postMessage(message: Request | Reply, transfer?: Transferable[]): void,
 *   addEventListener(type: 'message', listener: (event: {data: unknown}) => void): void,
 *   start?: () => void}} Port a Worker, the worker's global scope, or one end of a MessageChannel
 */

/**
 * The generic part, for the client and the server (the node tests run them with operations of their own).
 * @template {Exchange} E
 * @typedef {E extends {progress: infer P} ? P : never} ProgressOf what an operation reports on the way
 */
/**
 * @template {Exchange} E
 * @template {string | undefined} [C=string | undefined]
 * @typedef {{channel?: C, onProgress?: (value: ProgressOf<E>) => void, transfer?: boolean}} CallOptions
 *   channel: answers overtaken by a newer request on it come back STALE; transfer: move the
 *   request's buffers to the engine (the caller no longer needs them)
 */
/**
 * @template {Record<string, Exchange>} M
 * @typedef {{[K in keyof M]: (args: M[K]['args'], context: {progress: (value: ProgressOf<M[K]>) => void})
 *   => M[K]['value'] | Promise<M[K]['value']>}} Handlers one per operation, answering its request
 */

/** What the engine can be asked. */
export const OPS = /** @type {const} */ ([
  'start', // {vendor, forced} -> backend {name, reason, renderer}, without waiting for WebGL's probe
  'describe', // {vendor, forced} -> the same backend, its reason and renderer from the probe
  'boot', // {start, model: {key, metadataUrl}} -> start, then load that shipped model (the page's <head> asks: engine-boot.js)
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
 * @param {unknown} value
 * @returns {Transferable[]}
 */
export function transferablesOf(value) {
  /** @type {Set<ArrayBuffer>} */
  const found = new Set();
  /** @param {unknown} v @param {number} depth */
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

/**
 * Requests and their answers, seen from the page.
 * @template {Record<string, Exchange>} [M=Operations] the operations it may ask for (the engine's)
 */
export class EngineClient {
  /** @param {Port} port */
  constructor(port) {
    this.port = port;
    this.nextId = 1;
    /** @type {Map<number, {resolve: (v: unknown) => void, reject: (e: Error) => void, onProgress?: (v: any) => void, channel?: string}>}
     * onProgress: the caller's, for its own operation's reports (any: the map holds every operation's) */
    this.pending = new Map();
    /** @type {Map<string, number>} the newest request id of each channel */
    this.latest = new Map();
    /** @type {Map<string, Set<(value: any) => void>>} each event's listeners (any: the map holds every event's) */
    this.listeners = new Map();
    port.addEventListener('message', (event) => this.receive(/** @type {Reply} */ (event.data)));
    port.start?.();
  }

  /**
   * Ask the engine.
   * @template {keyof M & Op} K
   * @template {string | undefined} [C=undefined] the channel's type: STALE is a possible answer only with one
   * @param {K} op
   * @param {M[K]['args']} [args]
   * @param {CallOptions<M[K], C>} [options]
   * @returns {Promise<M[K]['value'] | (C extends string ? typeof STALE : never)>} the value, or STALE
   */
  call(op, args = {}, { channel, onProgress, transfer = false } = {}) {
    if (!OPS.includes(op)) return Promise.reject(new Error(`the engine has no operation ${op}`));
    const id = this.nextId++;
    if (channel) this.latest.set(channel, id);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: /** @type {(v: unknown) => void} */ (resolve), reject, onProgress, channel });
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
   * @template {keyof Events} N
   * @param {N} name an event the engine sends unasked
   * @param {(value: Events[N]) => void} listener
   * @returns {() => void} unsubscribe
   */
  on(name, listener) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    const set = /** @type {Set<(value: Events[N]) => void>} */ (this.listeners.get(name));
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
 * @template {Record<string, Exchange>} [M=Operations] the operations it serves (the engine's)
 * @param {Port} port
 * @param {Partial<Handlers<NoInfer<M>>>} handlers a request for an operation without one is answered with an error
 * @returns {<N extends keyof Events>(name: N, value: Events[N]) => void} sends an unasked event to the page
 */
export function serveEngine(port, handlers) {
  /** @type {Partial<Record<string, (args: unknown, context: {progress: (value: unknown) => void}) => unknown>>} */
  const byOp = handlers;
  port.addEventListener('message', async ({ data }) => {
    const { id, op, args } = /** @type {Request} */ (data);
    const handler = byOp[op];
    try {
      if (!handler) throw new Error(`the engine has no operation ${op}`);
      const progress = (/** @type {unknown} */ value) => port.postMessage({ id, kind: 'progress', value }, transferablesOf(value));
      const value = await handler(args, { progress });
      port.postMessage({ id, kind: 'result', value }, transferablesOf(value));
    } catch (error) {
      port.postMessage({ id, kind: 'error', message: /** @type {Error} */ (error)?.message ?? String(error) });
    }
  });
  port.start?.();
  return (name, value) => port.postMessage({ id: 0, kind: 'event', name, value });
}
