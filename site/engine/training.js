// @ts-check
/**
 * Training in the engine: the quickstart MLP from scratch, or the CNN fine-tuned on the reader's
 * own drawings. The engine runs in a worker, so the page stays free while `trainOnBatch` runs;
 * the loop yields between batches, so a stop request (or a prediction) is answered there.
 */
import { splitIndices, unpackTrainingData } from '../core/training-data.js';
import { cacheFeatures, compileLike, evaluate, freshModel, splitAtFrozen, timeTrainingSteps, trainEpochs } from '../core/training-loop.js';
import { chooseTrainingBackend, trainingCandidates } from '../core/training-backend.js';
import { fineTuneSet } from '../core/fine-tune.js';
import { editedTopology } from '../core/quickstart-settings.js';
import { useUntransposedMatMul } from '../core/wasm-matmul.js';
import { trySet } from './runtime.js';

/**
 * @typedef {typeof import('@tensorflow/tfjs')} TF
 * @typedef {import('../core/engine-protocol.js').TrainJob} TrainJob
 * @typedef {import('../core/engine-protocol.js').FineTuneJob} FineTuneJob
 * @typedef {import('../core/engine-protocol.js').Artifacts} Artifacts
 */

let stopRequested = false;
/** @type {Map<string, Promise<import('../core/training-data.js').TrainingData>>} */
const datasets = new Map();

/** Ask the run under way to stop after its current batch. */
export function requestStop() {
  stopRequested = true;
}

/**
 * Fetch the training data once per worker, reporting bytes as they arrive.
 * @param {string} url the descriptor (docs/data/mnist.json)
 * @param {(report: import('../core/engine-protocol.js').DownloadProgress) => void} progress
 */
function loadData(url, progress) {
  if (!datasets.has(url)) {
    const promise = (async () => {
      const descriptor = await (await fetch(url)).json();
      const response = await fetch(new URL(descriptor.file, url));
      if (!response.ok || !response.body) throw new Error(`the training data could not be fetched (HTTP ${response.status})`);
      const reader = response.body.getReader();
      const bytes = new Uint8Array(descriptor.bytes);
      let loaded = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (loaded + value.length > bytes.length) throw new Error('the training data is larger than expected');
        bytes.set(value, loaded);
        loaded += value.length;
        progress({ type: 'download', loaded, total: descriptor.bytes });
      }
      if (loaded !== descriptor.bytes) throw new Error('the training data is incomplete');
      return unpackTrainingData(bytes, descriptor);
    })();
    promise.catch(() => datasets.delete(url));
    datasets.set(url, promise);
  }
  return /** @type {Promise<import('../core/training-data.js').TrainingData>} */ (datasets.get(url));
}

/**
 * The model's weights and topology, as plain data the page can load (and the worker keeps nothing).
 * @param {TF} tf
 * @param {import('@tensorflow/tfjs').LayersModel} model
 * @returns {Promise<Artifacts>}
 */
async function artifactsOf(tf, model) {
  /** @type {Artifacts | null} */
  let saved = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    // A layers model saves its topology and its weights' specs and data.
    saved = /** @type {Artifacts} */ (artifacts);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  // Set by the save handler, which tsc does not follow (it would take `saved` for null here).
  return /** @type {Artifacts} */ (/** @type {unknown} */ (saved));
}

/**
 * Free a model's weights and its optimizer's state (an optimizer the page made is not the model's to free).
 * @param {import('@tensorflow/tfjs').LayersModel} model
 */
function release(model) {
  model.optimizer?.dispose();
  model.dispose();
}

/**
 * Choose the backend to train on by timing the job's own model on each candidate (see
 * core/training-backend.js), and leave TF.js on it; the backend the reader forced (?backend=) trains.
 * @param {TF} tf
 * @param {import('./runtime.js').Runtime} runtime the engine's: its GPU probes, and the WebGPU backend's loader
 * @param {() => Promise<number>} timeOne ms per step on the current backend
 * @returns {Promise<{name: string, reason: string}>}
 */
async function chooseBackend(tf, runtime, timeOne) {
  const running = tf.getBackend();
  if (runtime.forced) return { name: running, reason: `${running}: the backend asked for with ?backend=` };
  const webgl = await runtime.probe();
  const webgpu = await runtime.probeWebGPU();
  const candidates = trainingCandidates(webgl, webgpu);
  if (candidates.length === 1) {
    // Nothing to compare with: no GPU here worth timing.
    const reason = running === 'wasm' ? chooseTrainingBackend(webgl, { wasm: null }, webgpu).reason : `${running}: WASM could not start`;
    return { name: running, reason };
  }
  /** @type {Record<string, number | null>} */
  const timings = {};
  for (const name of candidates) {
    const usable = (name !== 'webgpu' || (await runtime.webgpu())) && (await trySet(tf, name));
    timings[name] = usable ? await timeOne() : null;
  }
  const choice = chooseTrainingBackend(webgl, timings);
  if (!(await trySet(tf, choice.name))) {
    await trySet(tf, running);
    return { name: running, reason: `${running}: ${choice.name} was fastest but could not start again` };
  }
  return choice;
}

/**
 * Train the quickstart MLP from scratch on MNIST.
 * @param {TF} tf the full library, backend chosen
 * @param {TrainJob} job settings: the reader's, checked by the page (parseSettings)
 * @param {(report: import('../core/engine-protocol.js').TrainProgress) => void} progress
 * @param {import('./runtime.js').Runtime} runtime the engine's (which backend to train on: chooseBackend)
 * @returns {Promise<import('../core/engine-protocol.js').TrainReport>}
 */
export async function train(tf, job, progress, runtime) {
  stopRequested = false;
  const metadata = await (await fetch(job.metadataUrl)).json();
  const modelJson = await (await fetch(new URL(metadata.assets.model, job.metadataUrl))).json();
  progress({ type: 'status', state: 'loading-data' });
  const data = await loadData(job.dataUrl, progress);
  const before = tf.memory().numTensors;
  const { settings } = job;
  const config = { ...metadata.config, optimizer: settings.optimizer, learning_rate: settings.learningRate, batch_size: settings.batchSize };
  const topology = editedTopology(modelJson.modelTopology, settings);
  const input = { divideBy: metadata.input.divide_by, inputShape: metadata.input.shape };
  const inference = tf.getBackend();
  const choice = await chooseBackend(tf, runtime, () => {
    // Backpropagation's transposed products are slow on WASM as shipped (see wasm-matmul.js).
    if (tf.getBackend() === 'wasm') useUntransposedMatMul(tf);
    return timeTrainingSteps(tf, topology, config, data, { ...input, train: splitIndices(data, 'train') });
  });
  if (tf.getBackend() === 'wasm') useUntransposedMatMul(tf);
  try {
    return await trainOn(tf, job, progress, { data, before, topology, config, input, choice });
  } finally {
    // The page's models run on the engine's own backend: it is back for them once training ends.
    if (tf.getBackend() !== inference) await trySet(tf, inference);
  }
}

/**
 * @param {TF} tf
 * @param {TrainJob} job
 * @param {(report: import('../core/engine-protocol.js').TrainProgress) => void} progress
 * @param {{data: import('../core/training-data.js').TrainingData, before: number, topology: object,
 *   config: any, input: {divideBy: number, inputShape: number[]}, choice: {name: string, reason: string}}} run
 */
async function trainOn(tf, job, progress, { data, before, topology, config, input, choice }) {
  const { settings } = job;
  const model = await freshModel(tf, topology, config);
  progress({ type: 'status', state: 'training', params: model.countParams(), backend: tf.getBackend(), why: choice.reason });
  const start = performance.now();
  const result = await trainEpochs(tf, model, data, {
    ...input,
    train: splitIndices(data, 'train', job.trainLimit),
    validation: splitIndices(data, 'validation', job.trainLimit),
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    seed: job.seed,
    onBatch: (report) => progress({ type: 'batch', ...report }),
    onEpoch: (report) => progress({ type: 'epoch', ...report }),
    shouldStop: () => stopRequested,
  });
  const seconds = (performance.now() - start) / 1000;
  const testImages = splitIndices(data, 'test', job.trainLimit);
  const test = { ...(await evaluate(tf, model, data, testImages, input)), count: testImages.length };
  const artifacts = await artifactsOf(tf, model);
  release(model);
  return { stopped: result.stopped, seconds, test, artifacts, leakedTensors: tf.memory().numTensors - before, backend: tf.getBackend() };
}

/**
 * Fine-tune the shipped CNN on the reader's drawings, replaying MNIST images so it does not forget.
 * @param {TF} tf the full library, backend chosen
 * @param {FineTuneJob} job
 * @param {(report: import('../core/engine-protocol.js').FineTuneProgress) => void} progress
 * @returns {Promise<import('../core/engine-protocol.js').FineTuneReport>}
 */
export async function fineTune(tf, job, progress) {
  stopRequested = false;
  // Backpropagation's transposed products are slow on WASM as shipped (see wasm-matmul.js).
  if (tf.getBackend() === 'wasm') useUntransposedMatMul(tf);
  const metadata = await (await fetch(job.metadataUrl)).json();
  progress({ type: 'status', state: 'loading-data' });
  const data = await loadData(job.dataUrl, progress);
  const before = tf.memory().numTensors;
  const model = await tf.loadLayersModel(new URL(metadata.assets.model, job.metadataUrl).href);
  const plan = fineTuneSet(data, metadata, job.examples, job.heldOut, job.seed ?? 42);
  const input = { divideBy: metadata.input.divide_by, inputShape: metadata.input.shape, classes: metadata.class_names.length };
  // Only the classifier on top learns: the convolutions keep what 54,000 digits taught them
  // (and WASM in TF.js 4.22 cannot train convolutions anyway). Frozen, they give each image the
  // same features at every pass: computed once, the passes only run the small head.
  for (const layer of model.layers) if (layer.getClassName() === 'Conv2D') layer.trainable = false;
  const start = performance.now();
  const { features, head } = splitAtFrozen(tf, model);
  const cached = cacheFeatures(tf, features, plan.data, input);
  const onHead = { ...input, inputsOf: cached.inputsOf };
  const score = async () => ({
    yours: plan.heldOut.length ? (await evaluate(tf, head, plan.data, plan.heldOut, onHead)).accuracy : null,
    mnist: (await evaluate(tf, head, plan.data, plan.mnistTest, onHead)).accuracy,
  });
  const beforeScores = await score();
  compileLike(tf, head, metadata.config, plan.learningRate);
  progress({ type: 'status', state: 'training', backend: tf.getBackend() });
  const result = await trainEpochs(tf, head, plan.data, {
    ...onHead,
    train: plan.train,
    validation: plan.heldOut.length ? plan.heldOut : plan.mnistTest,
    epochs: plan.epochs,
    batchSize: metadata.config.batch_size,
    seed: job.seed,
    reportEvery: 5,
    onBatch: (report) => progress({ type: 'batch', ...report }),
    onEpoch: (report) => progress({ type: 'epoch', ...report }),
    shouldStop: () => stopRequested,
  });
  const seconds = (performance.now() - start) / 1000;
  const afterScores = await score();
  cached.dispose();
  head.optimizer?.dispose();
  /** @type {string | null | undefined} */
  let saved = null;
  if (job.save && !result.stopped) {
    saved = await model.save(job.save).then(() => job.save, (error) => `not saved: ${error.message}`);
  }
  const artifacts = await artifactsOf(tf, model);
  head.dispose();
  release(model);
  return {
    stopped: result.stopped, seconds, before: beforeScores, after: afterScores, saved, artifacts,
    leakedTensors: tf.memory().numTensors - before, backend: tf.getBackend(),
  };
}
