// @ts-check
/**
 * The engine: every TF.js call of the site, behind the operations of core/engine-protocol.js.
 * It runs in a module Web Worker (workers/engine-worker.js) that the page starts once and every
 * widget shares, or on the page where the browser cannot run one. No DOM.
 *
 * Models are held here by a key the page chooses (a shipped model's name, or a reader's model);
 * the page holds only their metadata, and sends pixels and gets answers.
 */
import { Classifier } from '../core/classifier.js';
import { serveEngine } from '../core/engine-protocol.js';
import { fetchJson } from '../core/metadata.js';
import { Runtime } from './runtime.js';

// Training and the two teaching figures load on their first request: the classifier pages'
// engine starts with only what a prediction needs.
const training = () => import('./training.js');
const convolution = () => import('../core/convolution.js');

/**
 * @typedef {import('../core/engine-protocol.js').Port} Port
 * @typedef {import('../core/engine-protocol.js').Operations} Operations
 * @typedef {import('../core/classifier.js').Metadata} Metadata
 */

/**
 * A graph model's files, fetched (no tensor made: this needs no backend, so it runs while the
 * backend starts), as TF.js' loaders take them from an IOHandler.
 * @param {URL} url the graph's model.json
 */
async function graphArtifacts(url) {
  const json = await fetchJson(url);
  const groups = /** @type {{paths: string[], weights: object[]}[]} */ (json.weightsManifest);
  const buffers = await Promise.all(groups.flatMap((g) => g.paths.map(async (path) => {
    const response = await fetch(new URL(path, url));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  })));
  const weightData = new Uint8Array(buffers.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of buffers) {
    weightData.set(b, at);
    at += b.length;
  }
  const artifacts = { ...json, weightSpecs: groups.flatMap((g) => g.weights), weightData: weightData.buffer };
  delete artifacts.weightsManifest;
  return artifacts;
}

/**
 * Serve the engine on ``port``.
 * @param {Port} port
 */
export function startEngine(port) {
  /** @type {Runtime | null} */
  let runtime = null;
  /** @type {Map<string, Promise<Classifier>>} by backend and key */
  const classifiers = new Map();
  /** @type {Promise<import('../core/descent.js').LogisticDescent> | null} */
  let descent = null;
  /** @type {Map<string, Promise<{metadata: Metadata, graph: Promise<import('@tensorflow/tfjs').io.ModelArtifacts> | null}>>} by metadata URL */
  const prefetched = new Map();

  const ready = () => {
    if (!runtime?.tf) throw new Error('the engine has not started');
    return /** @type {Runtime & {tf: import('./runtime.js').TF}} */ (runtime);
  };
  /** @param {string} key */
  const cacheKey = (key) => `${ready().backend?.name} ${key}`;
  // Training counts the engine's tensors before and after to report a leak: a model still loading
  // (its weights, its warm-up's tensors) would be counted as one, or as a tensor freed.
  const settled = () => Promise.allSettled([...classifiers.values()]);
  /** @param {string} key */
  const classifier = async (key) => {
    const found = classifiers.get(cacheKey(key));
    if (!found) throw new Error(`no model ${key} is loaded`);
    return found;
  };

  /**
   * A shipped model's metadata, and its graph's files on their way: asked for as a page opens, while
   * the backend still starts, so that loading it then is only making the tensors.
   * @param {string} metadataUrl
   */
  function prefetch(metadataUrl) {
    let promise = prefetched.get(metadataUrl);
    if (!promise) {
      promise = (async () => {
        const url = new URL(metadataUrl);
        const metadata = await fetchJson(url);
        const graph = metadata.assets.graph ? graphArtifacts(new URL(metadata.assets.graph, url)) : null;
        // A failed download is tried again by the next request, not reported here.
        graph?.catch(() => prefetched.delete(metadataUrl));
        return { metadata, graph };
      })();
      promise.catch(() => prefetched.delete(metadataUrl));
      prefetched.set(metadataUrl, promise);
    }
    return promise;
  }

  /**
   * @param {import('../core/engine-protocol.js').LoadArgs} args
   * @returns {Promise<Metadata>}
   */
  async function load({ key, metadataUrl, metadata: given, source = {}, rename }) {
    const rt = ready();
    const id = cacheKey(key);
    let promise = classifiers.get(id);
    if (!promise) {
      promise = (async () => {
        const url = new URL(metadataUrl);
        let metadata = given ?? (await fetchJson(url));
        const custom = source.artifacts || source.indexeddb;
        if (rename) {
          metadata = { ...metadata, name: rename.name, title: rename.title, assets: { ...metadata.assets } };
          if (!rename.verdict) delete metadata.verdict;
        }
        let tf = rt.tf;
        let model;
        if (custom || source.layers || !metadata.assets.graph) {
          // Layers models run on the full library; the reader's own are layers models.
          tf = await rt.full();
          if (custom) delete metadata.assets.graph;
          const from = source.artifacts ? tf.io.fromMemory(source.artifacts)
            : source.indexeddb ?? new URL(metadata.assets.model, url).href;
          model = await tf.loadLayersModel(from);
        } else {
          // The graph model where there is one: the lean bundle runs only that.
          // The metadata names a graph (checked above), so prefetch fetched its files.
          const artifacts = /** @type {import('@tensorflow/tfjs').io.ModelArtifacts} */ (await (await prefetch(metadataUrl)).graph);
          model = await tf.loadGraphModel({ load: async () => artifacts });
        }
        const loaded = new Classifier(tf, model, metadata, url);
        await loaded.warmUp();
        return loaded;
      })();
      promise.catch(() => {
        classifiers.delete(id);
        // Files that downloaded but do not make a model (a truncated shard) are fetched again next time.
        prefetched.delete(metadataUrl);
      });
      classifiers.set(id, promise);
    }
    return (await promise).metadata;
  }

  /** @param {import('../core/engine-protocol.js').StartArgs} args */
  async function start({ vendor, forced }) {
    runtime ??= new Runtime(vendor, (backend) => {
      // Models live per backend: the page reloads them on the new one.
      classifiers.clear();
      send('backend-changed', backend);
    });
    return runtime.start(forced);
  }

  // Each operation's request and answer are the protocol's (core/engine-protocol.js, Operations).
  /** @type {import('../core/engine-protocol.js').Handlers<Operations>} */
  const handlers = {
    start,
    async describe({ vendor, forced }) {
      await start({ vendor, forced });
      return /** @type {Runtime} */ (runtime).describe(forced);
    },
    load,
    /** Sent by the page's <head> (engine-boot.js) before the page's modules run: the first model, ready when asked for. */
    async boot({ start: args, model }) {
      const [{ metadata }] = await Promise.all([prefetch(model.metadataUrl), start(args)]);
      return load({ ...model, metadata });
    },
    async prefetch({ metadataUrl }) {
      return (await prefetch(metadataUrl)).metadata;
    },
    async unload({ key }) {
      const id = cacheKey(key);
      const found = classifiers.get(id);
      classifiers.delete(id);
      (await found?.catch(() => null))?.dispose();
    },
    async predict({ key, pixels }) {
      return (await classifier(key)).predict(pixels);
    },
    async 'predict-raw'({ key, pixels, n }) {
      return (await classifier(key)).predictRaw(pixels, n);
    },
    async activations({ key, pixels }) {
      return (await classifier(key)).activations(pixels);
    },
    async train(job, { progress }) {
      const [tf, { train }] = await Promise.all([ready().full(), training(), settled()]);
      return train(tf, job, progress, ready());
    },
    async 'fine-tune'(job, { progress }) {
      const [tf, { fineTune }] = await Promise.all([ready().full(), training(), settled()]);
      return fineTune(tf, job, progress);
    },
    async stop() {
      (await training()).requestStop();
    },
    /** The convolution figure: the model's learned first-layer kernels, or one kernel's feature map. */
    async conv2d(args) {
      const [tf, { featureMap, learnedKernels, maxPool }] = await Promise.all([ready().full(), convolution()]);
      if ('metadataUrl' in args) {
        const { metadataUrl } = args;
        const metadata = await fetchJson(metadataUrl);
        const model = await tf.loadLayersModel(new URL(metadata.assets.model, metadataUrl).href);
        const learned = await learnedKernels(model);
        model.dispose();
        return learned;
      }
      const { image, size, kernel } = args;
      const map = await featureMap(tf, image, size, kernel);
      return { ...map, pooled: await maxPool(tf, map.post, size) };
    },
    /** The descent figure: the loss surface on a grid, or the loss and gradient at some weights. */
    async descent(args) {
      descent ??= Promise.all([ready().full(), import('../core/descent.js')])
        .then(([tf, { LogisticDescent, makeClouds }]) => new LogisticDescent(tf, makeClouds()));
      descent.catch(() => { descent = null; });
      const problem = await descent;
      return args.op === 'surface' ? problem.surface(args.size) : problem.evaluate(args.w);
    },
    async memory() {
      const rt = ready();
      // full: whether the full library was loaded (the first answer needs only the lean build).
      return { numTensors: rt.tf.memory().numTensors, backend: rt.backend?.name, full: !!rt.fullTf };
    },
    async 'lose-webgl'() {
      const rt = ready();
      const lose = rt.glOf(rt.tf)?.getExtension('WEBGL_lose_context');
      lose?.loseContext();
      return !!lose;
    },
  };
  const send = serveEngine(port, handlers);
}
