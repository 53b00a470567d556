// @ts-check
/**
 * "Train it in your browser": the quickstart MLP, built from its model.json and
 * metadata.json, trained from scratch on MNIST in the page's engine (a worker, shared with the
 * digit pads), with live curves next to the Python run's and the reader's earlier runs. The
 * reader may change the quickstart's choices within bounds (core/quickstart-settings.js); the
 * Keras program of those choices is shown beside them. The reader's model then joins every
 * digit widget on the page, and can be downloaded (TF.js' layers format) and brought back to
 * Keras with `python -m train.from_browser`.
 *
 * Testing contract: [data-widget="trainer"] with data-state idle | loading-data |
 * training | trained | error; [data-role="train"], [data-role="stop"],
 * progress[data-role="progress"], [data-role="test-accuracy"] with data-value (0..1);
 * data-leaked-tensors on the root once trained (tensors the worker failed to free); data-charts="ready"
 * once the charts show the Python run (when they come near the screen, or on Train).
 * Controls: select[data-role] = units, dropout, optimizer, learning-rate, batch-size, epochs;
 * [data-role="keras-code"] the program they make; [data-role="backend"] the backend the last
 * run trained on, [data-role="backend-why"] why (timed where a hardware GPU is worth timing); [data-role="export-model"] (enabled once a model is trained) downloads it.
 * One test hook: ?train-limit=N makes a short run: the first N training images, and at most N
 * validation and N test images (the page says how many it tested on).
 */
import { downloadModel } from '../browser/download.js';
import { getEngine } from '../browser/engine-client.js';
import { offerModel } from '../browser/user-models.js';
import { fetchJson } from '../core/metadata.js';
import { modelFiles } from '../core/model-files.js';
import { CHOICES, defaultSettings, kerasProgram, parseSettings } from '../core/quickstart-settings.js';
import { roles, whenNear } from './dom.js';
import { TrainingCharts } from './training-charts.js';

/** Each control: its data-role, the setting it sets, its label, and how its values read. */
const CONTROLS = /** @type {const} */ ([
  ['units', 'units', 'Hidden units', String],
  ['dropout', 'dropout', 'Dropout', String],
  ['optimizer', 'optimizer', 'Optimizer', (/** @type {string} */ v) => ({ adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop' })[v] ?? v],
  ['learning-rate', 'learningRate', 'Learning rate', String],
  ['batch-size', 'batchSize', 'Batch size', String],
  ['epochs', 'epochs', 'Epochs', String],
]);

const TEMPLATE = `
  <div class="dl-trainer-controls">
    ${CONTROLS.map(([role, , label]) => `<label>${label} <select data-role="${role}"></select></label>`).join('')}
  </div>
  <details class="dl-trainer-code">
    <summary>The same model in Keras, with these settings</summary>
    <pre><code class="language-python" data-role="keras-code"></code></pre>
  </details>
  <div class="dl-trainer-controls">
    <button type="button" class="md-button md-button--primary" data-role="train">Train</button>
    <button type="button" class="md-button" data-role="stop" disabled>Stop</button>
    <button type="button" class="md-button" data-role="export-model" disabled>Download the model</button>
    <span class="dl-trainer-backend">Trains on: <b data-role="backend">the engine's backend</b>
      <span data-role="backend-why"></span></span>
  </div>
  <progress data-role="progress" max="1" value="0"></progress>
  <p data-role="status" class="dl-status" aria-live="polite">Press Train: the images (a few MB) download only then.</p>
  <div class="dl-trainer-charts">
    <figure class="dl-chart"><canvas data-role="loss-chart" role="img" aria-label="Loss while training: your runs and the Python run"></canvas></figure>
    <figure class="dl-chart"><canvas data-role="accuracy-chart" role="img" aria-label="Accuracy while training: your runs and the Python run"></canvas></figure>
  </div>
  <ol class="dl-trainer-runs" data-role="runs" hidden aria-label="Your runs, by number"></ol>
  <p class="dl-trainer-result">Test accuracy on the <span data-role="test-count">MNIST test</span> images: <b data-role="test-accuracy" data-value="">not yet</b></p>`;

/**
 * @typedef {Record<typeof CONTROLS[number][0], HTMLSelectElement> & {'keras-code': HTMLElement,
 *   train: HTMLButtonElement, stop: HTMLButtonElement, 'export-model': HTMLButtonElement,
 *   backend: HTMLElement, 'backend-why': HTMLSpanElement, progress: HTMLProgressElement,
 *   status: HTMLParagraphElement, 'loss-chart': HTMLCanvasElement, 'accuracy-chart': HTMLCanvasElement,
 *   runs: HTMLOListElement, 'test-count': HTMLSpanElement, 'test-accuracy': HTMLElement}} Roles
 *   the widget's parts (TEMPLATE), by data-role: a select per control, then the rest
 */

export class TrainerWidget {
  /**
   * @param {HTMLElement} root
   * @param {{vendor: Record<string, string>}} env
   */
  constructor(root, env) {
    this.root = root;
    const [model] = JSON.parse(root.dataset.models || '[]');
    this.metadataUrl = new URL(model.metadata, location.href);
    this.dataUrl = new URL(root.dataset.trainingData || '', location.href);
    root.innerHTML = TEMPLATE;
    root.dataset.state = 'idle';
    /** @type {Roles} */
    this.el = roles(root);
    this.engine = getEngine(env.vendor);
    this.charts = new TrainingCharts(root, env.vendor.chart);
    this.started = 0;
    /** @type {import('../core/engine-protocol.js').Artifacts | null} the reader's last trained model, as TF.js saved it */
    this.artifacts = null;
    /** @type {import('../core/metadata-types.js').ModelMetadata | null} metadata.json of the quickstart model */
    this.metadata = null;
    this.el.train.addEventListener('click', () => this.train().catch((error) => this.fail(error)));
    this.el.stop.addEventListener('click', () => this.engine.client.call('stop'));
    this.el['export-model'].addEventListener('click', () => this.download());
    this.ready = this.setUp().catch((error) => this.fail(error));
    // The charts start (Chart.js, the Python run's curves) as they come near the screen, so that
    // pressing Train costs the page nothing heavy.
    this.stopWaiting = whenNear(this.el['loss-chart'], '200px', () => {
      this.ready.then(() => this.metadata && this.charts.prepare(this.metadata.history)).catch((error) => this.fail(error));
    });
  }

  /** The controls, set to the shipped model's choices, and its program. */
  async setUp() {
    const metadata = /** @type {import('../core/metadata-types.js').ModelMetadata} */ (await fetchJson(this.metadataUrl));
    this.metadata = metadata;
    this.defaults = defaultSettings(metadata.config);
    for (const [role, key, , show] of CONTROLS) {
      const select = this.el[role];
      const values = [...new Set([...CHOICES[key], this.defaults[key]])].sort((a, b) => (typeof a === 'number' ? a - /** @type {number} */ (b) : 0));
      select.replaceChildren(...values.map((v) => new Option(show(String(v)), String(v), false, v === this.defaults?.[key])));
      select.addEventListener('change', () => this.showProgram());
    }
    this.showProgram();
  }

  /** The settings the controls show, checked. */
  settings() {
    const values = Object.fromEntries(CONTROLS.map(([role, key]) => [key, this.el[role].value]));
    return parseSettings(
      /** @type {Record<keyof import('../core/quickstart-settings.js').Settings, string>} */ (values),
      /** @type {import('../core/quickstart-settings.js').Settings} */ (this.defaults),
    );
  }

  /** metadata.json of the quickstart model, once setUp has read it. */
  get loaded() {
    if (!this.metadata) throw new Error('the quickstart model is not loaded');
    return this.metadata;
  }

  showProgram() {
    const { input, class_names: classes } = this.loaded;
    this.el['keras-code'].textContent = kerasProgram(this.settings(), { shape: input.shape, classes: classes.length });
  }

  /** @param {string} state */
  setState(state) {
    this.root.dataset.state = state;
    const busy = state === 'loading-data' || state === 'training';
    this.el.train.disabled = busy;
    this.el.stop.disabled = state !== 'training';
    for (const [role] of CONTROLS) this.el[role].disabled = busy;
    this.el['export-model'].disabled = busy || !this.artifacts;
  }

  /** @param {Error} error */
  fail(error) {
    console.warn('trainer:', error);
    this.setState('error');
    this.el.status.textContent = `Training stopped: ${error.message}`;
  }

  async train() {
    await this.ready;
    const metadata = this.loaded;
    const settings = this.settings();
    const label = CONTROLS.filter(([, key]) => settings[key] !== this.defaults?.[key])
      .map(([, key, name, show]) => `${name.toLowerCase()} ${show(String(settings[key]))}`).join(', ') || 'the quickstart as it is';
    await this.charts.startRun(metadata.history, settings.epochs, label);
    this.setState('loading-data');
    this.el.status.textContent = 'Starting TensorFlow.js in a worker…';
    this.el['test-accuracy'].textContent = 'not yet';
    this.el['test-accuracy'].dataset.value = '';
    this.started = 0;
    const trainLimit = Number(new URLSearchParams(location.search).get('train-limit')) || undefined;
    this.el.backend.textContent = (await this.engine.start()).name;
    const job = { metadataUrl: this.metadataUrl.href, dataUrl: this.dataUrl.href, settings, trainLimit };
    const result = await this.engine.client.call('train', job, { onProgress: (m) => this.onMessage(m, settings) });
    this.onMessage({ type: 'done', ...result }, settings);
  }

  /**
   * @param {import('../core/engine-protocol.js').TrainProgress
   *   | ({type: 'done'} & import('../core/engine-protocol.js').TrainReport)} message from the engine: a report on
   *   the way, or the result
   * @param {import('../core/quickstart-settings.js').Settings} settings this run's
   */
  onMessage(message, settings) {
    const { el } = this;
    const { epochs, batchSize } = settings;
    if (message.type === 'status' && message.backend) el.backend.textContent = message.backend;
    // Why this backend: chosen by timing the run's own steps where a GPU is worth timing.
    if (message.type === 'status' && message.why) el['backend-why'].textContent = `(${message.why})`;
    if (message.type === 'status' && message.state) {
      this.setState(message.state);
      if (message.state === 'training') {
        this.started = performance.now();
        el.progress.value = 0;
        el.status.textContent = `Training ${message.params.toLocaleString('en')} weights on ${el.backend.textContent}…`;
      }
    } else if (message.type === 'download') {
      el.progress.value = message.loaded / message.total;
      el.status.textContent = `Downloading the training images: ${(message.loaded / 1e6).toFixed(1)} of ${(message.total / 1e6).toFixed(1)} MB`;
    } else if (message.type === 'batch') {
      const x = message.epoch - 1 + message.batch / message.batches;
      el.progress.value = x / epochs;
      this.charts.add('batches', x, message.loss, message.accuracy);
      const seconds = (performance.now() - this.started) / 1000;
      el.status.textContent = `Epoch ${message.epoch} of ${epochs}, batch ${message.batch} of ${message.batches} `
        + `(${batchSize} images a step): loss ${message.loss.toFixed(3)}, accuracy ${(message.accuracy * 100).toFixed(1)} %, ${seconds.toFixed(0)} s`;
    } else if (message.type === 'epoch') {
      this.charts.add('validation', message.epoch, message.val_loss, message.val_accuracy);
    } else if (message.type === 'done') {
      this.root.dataset.leakedTensors = String(message.leakedTensors);
      this.artifacts = message.artifacts;
      this.trained = { settings, test: message.test, backend: message.backend };
      this.setState('trained');
      el.progress.value = 1;
      el.backend.textContent = message.backend;
      el['test-count'].textContent = `${message.test.count.toLocaleString('en')} MNIST test`;
      el['test-accuracy'].textContent = `${(message.test.accuracy * 100).toFixed(2)} %`;
      el['test-accuracy'].dataset.value = message.test.accuracy.toFixed(4);
      el.status.textContent = `${message.stopped ? 'Stopped' : 'Done'} after ${message.seconds.toFixed(0)} s of training on ${message.backend}. `
        + 'The digit pads on this page now use it ("Your trained MLP" in their model list).';
      offerModel({ name: 'trained', title: 'Your trained MLP', base: this.loaded.name, artifacts: message.artifacts, verdict: false }, true);
    }
  }

  /** The reader's model as two files: my-mlp.json and my-mlp.weights.bin. */
  download() {
    if (!this.artifacts || !this.trained) return;
    downloadModel(modelFiles(this.artifacts, 'my-mlp', {
      trained_in: 'Draw & Learn TensorFlow, in the browser',
      base: this.loaded.name,
      divide_by: this.loaded.input.divide_by,
      settings: this.trained.settings,
      test_accuracy: this.trained.test.accuracy,
      backend: this.trained.backend,
    }));
  }

  destroy() {
    this.stopWaiting();
    if (this.root.dataset.state === 'training') this.engine.client.call('stop');
    this.charts.destroy();
  }
}
