// @ts-check
/**
 * Training with TF.js: build or adapt a model from the pipeline's files, and
 * train it batch by batch with progress reports. No DOM: runs in the training
 * worker, and in node's tests on TF.js' plain-JS backend.
 *
 * The layers, the optimizer, the loss and the batch size all come from the
 * model's metadata.json and model.json; nothing is restated here.
 */
import { readAndFree } from './read-tensors.js';
import { gather, seededRandom, shuffle } from './training-data.js';

/**
 * @typedef {typeof import('@tensorflow/tfjs')} TF
 * @typedef {import('@tensorflow/tfjs').LayersModel} LayersModel
 * @typedef {{optimizer: string, learning_rate: number, loss: string, batch_size: number}} TrainConfig metadata.config
 * @typedef {{epoch: number, epochs: number, batch: number, batches: number, loss: number, accuracy: number, seen: number}} BatchReport
 * @typedef {{epoch: number, loss: number, accuracy: number, val_loss: number, val_accuracy: number, seconds: number}} EpochReport
 * @typedef {(part: Int32Array) => import('@tensorflow/tfjs').Tensor} InputsOf the model's input for some images (by index)
 */

/** 'sparse_categorical_crossentropy' -> 'sparseCategoricalCrossentropy' (Keras' names, TF.js' spelling). */
const camel = (/** @type {string} */ name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/**
 * Compile ``model`` as the pipeline compiled it: optimizer, learning rate, loss, accuracy.
 * @param {TF} tf
 * @param {LayersModel} model
 * @param {TrainConfig} config
 * @param {number} [learningRate] a different step size (fine-tuning takes smaller steps)
 */
export function compileLike(tf, model, config, learningRate) {
  const optimizers = {
    adam: (/** @type {number} */ lr) => tf.train.adam(lr),
    sgd: (/** @type {number} */ lr) => tf.train.sgd(lr),
    // Keras' RMSprop: rho 0.9, no momentum, epsilon 1e-7 (TF.js' own default epsilon differs).
    rmsprop: (/** @type {number} */ lr) => tf.train.rmsprop(lr, 0.9, 0, 1e-7),
  };
  const make = optimizers[/** @type {keyof typeof optimizers} */ (config.optimizer)];
  if (!make) throw new Error(`unknown optimizer ${config.optimizer}`);
  model.compile({ optimizer: make(learningRate ?? config.learning_rate), loss: camel(config.loss), metrics: ['accuracy'] });
}

/**
 * A fresh model with the shipped model's layers (model.json's topology) and new random weights.
 * @param {TF} tf
 * @param {object} modelTopology model.json's "modelTopology"
 * @param {TrainConfig} config
 */
export async function freshModel(tf, modelTopology, config) {
  const model = await tf.models.modelFromJSON(/** @type {any} */ (modelTopology));
  compileLike(tf, model, config);
  return model;
}

/**
 * The images themselves as a model's input: ``[n, ...inputShape]`` float32, pixels divided by ``divideBy``.
 * @param {TF} tf
 * @param {import('./training-data.js').TrainingData} data
 * @param {number} divideBy
 * @param {number[]} inputShape
 * @returns {InputsOf}
 */
function imagesOf(tf, data, divideBy, inputShape) {
  return (part) => tf.tensor(gather(data, part, divideBy), [part.length, ...inputShape]);
}

/**
 * Loss and accuracy of ``model`` on some images, in chunks (the pipeline's evaluate, in TF.js).
 * @param {TF} tf
 * @param {LayersModel} model
 * @param {import('./training-data.js').TrainingData} data
 * @param {Int32Array} indices
 * @param {{divideBy: number, inputShape: number[], classes?: number, inputsOf?: InputsOf}} input
 * @returns {Promise<{loss: number, accuracy: number}>} accuracy over the first `classes` outputs (all if absent)
 */
export async function evaluate(tf, model, data, indices, { divideBy, inputShape, classes, inputsOf }) {
  const inputs = inputsOf ?? imagesOf(tf, data, divideBy, inputShape);
  let loss = 0, right = 0;
  const chunk = 1000;
  for (let start = 0; start < indices.length; start += chunk) {
    const part = indices.subarray(start, start + chunk);
    const labels = Float32Array.from(part, (i) => data.labels[i]);
    const [logLikelihood, predicted] = await readAndFree(tf, () => {
      const probs = /** @type {import('@tensorflow/tfjs').Tensor2D} */ (model.predict(inputs(part)));
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), probs.shape[1]);
      const scores = classes ? probs.slice([0, 0], [-1, classes]) : probs;
      // Cross-entropy, clipped at 1e-7 as Keras clips it.
      return [tf.sum(tf.mul(y, probs.clipByValue(1e-7, 1).log())), scores.argMax(1)];
    });
    loss -= logLikelihood[0];
    labels.forEach((label, k) => { right += Number(predicted[k] === label); });
  }
  return { loss: loss / indices.length, accuracy: right / indices.length };
}

/**
 * Train ``model`` for some epochs, one batch at a time, reporting as it goes.
 * @param {TF} tf
 * @param {LayersModel} model
 * @param {import('./training-data.js').TrainingData} data
 * @param {{train: Int32Array, validation: Int32Array, epochs: number, batchSize: number, divideBy: number,
 *   inputShape: number[], inputsOf?: InputsOf, seed?: number, reportEvery?: number, onBatch?: (r: BatchReport) => void,
 *   onEpoch?: (r: EpochReport) => void, shouldStop?: () => boolean}} options
 * @returns {Promise<{stopped: boolean, epochs: EpochReport[]}>}
 */
export async function trainEpochs(tf, model, data, options) {
  const { train, validation, epochs, batchSize, divideBy, inputShape, inputsOf, reportEvery = 10 } = options;
  const inputs = inputsOf ?? imagesOf(tf, data, divideBy, inputShape);
  const random = seededRandom(options.seed ?? 42);
  const batches = Math.ceil(train.length / batchSize);
  /** @type {EpochReport[]} */
  const done = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const start = performance.now();
    const order = shuffle(Int32Array.from(train), random);
    let sumLoss = 0, sumAccuracy = 0, seen = 0;
    for (let b = 0; b < batches; b++) {
      if (options.shouldStop?.()) return { stopped: true, epochs: done };
      const part = order.subarray(b * batchSize, (b + 1) * batchSize);
      const x = inputs(part);
      const y = tf.tensor1d(Float32Array.from(part, (i) => data.labels[i]));
      const [loss, accuracy] = /** @type {number[]} */ (await model.trainOnBatch(x, y));
      tf.dispose([x, y]);
      sumLoss += loss * part.length;
      sumAccuracy += accuracy * part.length;
      seen += part.length;
      if (b % reportEvery === reportEvery - 1 || b === batches - 1) {
        options.onBatch?.({ epoch, epochs, batch: b + 1, batches, loss, accuracy, seen });
        // trainOnBatch settles in microtasks: without a macrotask break, a worker would
        // never read its messages (Stop) until the run is over.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
    const val = await evaluate(tf, model, data, validation, { divideBy, inputShape, inputsOf });
    const report = {
      epoch, loss: sumLoss / seen, accuracy: sumAccuracy / seen,
      val_loss: val.loss, val_accuracy: val.accuracy, seconds: (performance.now() - start) / 1000,
    };
    done.push(report);
    options.onEpoch?.(report);
  }
  return { stopped: false, epochs: done };
}

/**
 * Milliseconds per training step of a fresh copy of a model on TF.js' current backend: one step to
 * set up (shaders, buffers), then ``steps`` timed, on the first images of ``train``. The copy is freed.
 * @param {TF} tf
 * @param {object} modelTopology
 * @param {TrainConfig} config
 * @param {import('./training-data.js').TrainingData} data
 * @param {{train: Int32Array, divideBy: number, inputShape: number[], steps?: number}} options
 */
export async function timeTrainingSteps(tf, modelTopology, config, data, { train, divideBy, inputShape, steps = 3 }) {
  const model = await freshModel(tf, modelTopology, config);
  const part = train.subarray(0, config.batch_size);
  const x = imagesOf(tf, data, divideBy, inputShape)(part);
  const y = tf.tensor1d(Float32Array.from(part, (i) => data.labels[i]));
  try {
    await model.trainOnBatch(x, y);
    const start = performance.now();
    for (let k = 0; k < steps; k++) await model.trainOnBatch(x, y);
    return (performance.now() - start) / steps;
  } finally {
    tf.dispose([x, y]);
    model.optimizer?.dispose();
    model.dispose();
  }
}

/**
 * Split ``model`` where its frozen layers end: ``features`` runs the frozen layers, ``head`` the
 * rest, sharing the model's own layers (training the head trains the model). When the frozen
 * layers behave the same in training as in inference, their output for an image never changes,
 * so it can be computed once and the head trained on it: what transfer learning does.
 * @param {TF} tf
 * @param {LayersModel} model a model whose first layers are not trainable
 * @returns {{features: LayersModel, head: LayersModel}} dispose ``head`` before ``model`` (its layers
 *   count it as one more owner, and keep their weights until it is gone); ``features`` needs nothing
 *   (disposing it would free the convolutions under ``model``)
 */
export function splitAtFrozen(tf, model) {
  const first = model.layers.findIndex((layer) => layer.trainableWeights.length > 0);
  const frozen = model.layers.slice(0, first);
  if (first < 0 || !frozen.some((layer) => layer.weights.length > 0)) throw new Error('the model has no frozen layers to compute once');
  const random = frozen.find((layer) => /Dropout|Noise|BatchNormalization/.test(layer.getClassName()));
  if (random) throw new Error(`frozen layer ${random.name} trains differently from how it predicts`);
  const last = frozen[frozen.length - 1];
  const features = tf.model({ inputs: model.inputs, outputs: /** @type {any} */ (last.output) });
  const input = tf.input({ shape: /** @type {number[]} */ (last.outputShape).slice(1) });
  let output = /** @type {any} */ (input);
  for (const layer of model.layers.slice(first)) output = layer.apply(output);
  return { features, head: tf.model({ inputs: input, outputs: output }) };
}

/**
 * ``features``' output for every image of ``data``, computed once, and a way to read it by index.
 * @param {TF} tf
 * @param {LayersModel} features
 * @param {import('./training-data.js').TrainingData} data
 * @param {{divideBy: number, inputShape: number[]}} input
 * @returns {{inputsOf: InputsOf, dispose: () => void}}
 */
export function cacheFeatures(tf, features, data, { divideBy, inputShape }) {
  const images = imagesOf(tf, data, divideBy, inputShape);
  const chunk = 500;
  const parts = [];
  for (let start = 0; start < data.labels.length; start += chunk) {
    const part = Int32Array.from({ length: Math.min(chunk, data.labels.length - start) }, (_, i) => start + i);
    parts.push(tf.tidy(() => /** @type {import('@tensorflow/tfjs').Tensor} */ (features.predict(images(part)))));
  }
  const all = tf.concat(parts);
  tf.dispose(parts);
  return {
    inputsOf: (part) => tf.tidy(() => tf.gather(all, tf.tensor1d(part, 'int32'))),
    dispose: () => all.dispose(),
  };
}
