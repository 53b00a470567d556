// @ts-check
/**
 * What the digit and fashion widgets share: TF.js start-up, the model and
 * backend selectors, live prediction (at most once per animation frame), the
 * prediction read-out, probability bars, the preview of the model's input, the
 * activation viewer and the status line.
 *
 * The mount point's data-models attribute (written by the docs hook) lists the
 * models: [{name, title, test_accuracy, metadata}], metadata being the URL of
 * the model's metadata.json relative to the page.
 *
 * Testing contract: root [data-widget] with data-state (loading|ready|error) and
 * data-backend; [data-role="prediction"] with data-label ('' when there is no
 * input), data-confidence, data-verdict and data-model (the model that answered); select[data-role="model"] (values = model names).
 * data-busy is present on the root while an answer is on its way (the engine answers asynchronously).
 * A subclass provides the layout, `setUp(classifier)` and `currentInput()`.
 *
 * The page keeps the DOM (pad, bars, text); every TF.js call goes to the engine (a worker), and
 * at most one prediction per widget is in flight: input that changes meanwhile is read again
 * when the answer arrives, so a slow backend shows fewer answers, never old ones.
 */
import { BACKENDS } from '../core/backend-plan.js';
import { STALE } from '../core/engine-protocol.js';
import { forcedBackend, getEngine, onBackendChanged, switchBackend } from '../browser/engine-client.js';
import { fetchMetadata, loadModel, modelShownFirst } from '../browser/model-loader.js';
import { loadUserModel, onUserModelsChanged, userModels } from '../browser/user-models.js';
import { ActivationViewer } from './activation-viewer.js';
import { find, roles } from './dom.js';
import { InputPreview } from './preview.js';
import { ProbBars } from './prob-bars.js';

// Feature maps cost a second forward pass and many small canvases: while the
// input is still changing they are redrawn at most this often.
const VIEWER_INTERVAL_MS = 100;

const SIDE = `
  <p data-role="announcer" class="dl-visually-hidden" aria-live="polite" aria-atomic="true"></p>
  <div data-role="prediction" class="dl-prediction" data-label="" data-confidence="0">
    <span class="dl-prediction-label"></span>
    <span class="dl-prediction-text">Loading the model…</span>
  </div>
  <div data-role="bars" class="dl-bars"></div>
  <div class="dl-preview-row">
    <canvas data-role="preview" class="dl-preview" role="img" aria-label="The image the model receives"></canvas>
    <span data-role="preview-caption"></span>
  </div>
  <div class="dl-controls">
    <label>Model <select data-role="model"></select></label>
    <label>Backend <select data-role="backend-select">
      <option value="">auto</option>${BACKENDS.map((b) => `<option value="${b}">${b}</option>`).join('')}
    </select></label>
  </div>
  <p data-role="status" class="dl-status"></p>
  <button type="button" class="md-button" data-role="retry" hidden>Retry</button>`;

/**
 * @typedef {import('../browser/model-loader.js').ModelHandle} Classifier
 * @typedef {import('../core/classifier.js').Prediction} Prediction
 * @typedef {{name: string, title: string, test_accuracy: number, metadata: string}} ModelEntry
 * @typedef {{vendor: Record<string, string>}} Env URLs of the vendored npm files
 * @typedef {{pixels: Float32Array | null, message?: string}} Input
 * @typedef {{announcer: HTMLParagraphElement, prediction: HTMLDivElement, bars: HTMLDivElement,
 *   preview: HTMLCanvasElement, 'preview-caption': HTMLSpanElement, model: HTMLSelectElement,
 *   'backend-select': HTMLSelectElement, status: HTMLParagraphElement, retry: HTMLButtonElement,
 *   activations: HTMLDivElement}} ClassifierRoles the shared parts (SIDE, and the activation viewer's place)
 */

/** How sure, as the page writes it and a screen reader says it: "98.2% sure". @param {Prediction} result */
const sureText = (result) => `${(result.confidence * 100).toFixed(1)}% sure`;

/**
 * The sentence beside the answer: how sure, or that the input does not look like a class at all.
 * @param {Prediction} result
 * @param {import('../core/classifier.js').Metadata} meta
 */
function describe(result, meta) {
  const sure = sureText(result);
  if (!result.verdict?.rejected || !meta.verdict) return sure;
  const noun = meta.verdict.labels.accept;
  const article = /^[aeiou]/.test(noun) ? 'an' : 'a';
  return `That doesn't look like ${article} ${noun}. Closest: ${meta.class_names[result.label]}, ${sure}`;
}

/**
 * What a screen reader says about an answer: "7, 98.2% sure" (the figure the page shows), or that it
 * does not look like a digit.
 * @param {Prediction} result
 * @param {import('../core/classifier.js').Metadata} meta
 */
function announcement(result, meta) {
  const answer = `${meta.class_names[result.label]}, ${sureText(result)}`;
  return result.verdict?.rejected ? `Not sure that is a ${meta.verdict?.labels.accept}; closest: ${answer}` : answer;
}

let widgetCount = 0;

/**
 * @template {ClassifierRoles} [Roles=ClassifierRoles] the parts by data-role: the shared ones and
 *   those of the subclass' layout
 */
export class ClassifierWidget {
  /**
   * @param {HTMLElement} root the [data-widget] element
   * @param {Env} env
   * @param {{main: string, below?: string, caption: (size: number) => string, topK?: number}} layout
   *   caption: what the preview shows, given the model's image size
   */
  constructor(root, env, layout) {
    this.root = root;
    this.env = env;
    this.topK = layout.topK;
    /** @type {ModelEntry[]} */
    this.models = JSON.parse(root.dataset.models || '[]');
    // Resolved now: with instant navigation, the page's address changes later.
    this.metadataUrls = new Map(this.models.map((m) => [m.name, new URL(m.metadata, location.href)]));
    this.engine = getEngine(env.vendor);
    /** @type {import('../core/engine-protocol.js').Backend | null} */
    this.backend = null;
    // This widget's requests: an answer overtaken by a newer request (or a model switch) is dropped.
    this.channel = `${root.dataset.widget}-${++widgetCount}`;
    /** @type {{final: boolean} | null} input that changed while an answer was on its way */
    this.again = null;
    /** Predictions on their way: one while the input changes, a second for the input as it ends. */
    this.inFlight = 0;
    /** @type {number | undefined} the last answer's duration, shown in the status line */
    this.lastMs = undefined;
    /** @type {(() => void) | undefined} */
    this.stopWatching = undefined;
    /** @type {Map<string, import('../browser/user-models.js').UserModel> | undefined} */
    this.userModels = undefined;
    /** @type {WeakMap<object, Promise<Classifier>>} */
    this.userClassifiers = new WeakMap();
    /** @type {Classifier | null} */
    this.classifier = null;
    this.classifierName = '';
    /** @type {import('./drawing-pad.js').DrawingPad | undefined} */
    this.pad = undefined;
    /** @type {ProbBars | null} */
    this.bars = null;
    this.frame = 0;
    this.viewerShown = -Infinity;
    root.innerHTML = `${layout.main}<div class="dl-side">${SIDE}</div>${layout.below || ''}<div data-role="activations"></div>`;
    /** @type {Roles} */
    this.el = roles(root);
    this.caption = layout.caption;
    this.preview = new InputPreview(this.el.preview);
    this.viewer = new ActivationViewer(this.el.activations);
    this.viewer.container.addEventListener('toggle', () => this.schedule());
    this.el.model.addEventListener('change', () => this.selectModel(this.el.model.value).catch((e) => this.fail(e)));
    this.el['backend-select'].value = forcedBackend() ?? '';
    this.el['backend-select'].addEventListener('change', () => switchBackend(this.el['backend-select'].value));
    this.el.retry.addEventListener('click', () => this.retry());
    this.selecting = 0;
    this.start().catch((error) => this.fail(error));
  }

  /** After a failure (a model file missing or damaged, say): try again, from wherever it stopped. */
  retry() {
    this.el.retry.hidden = true;
    const run = this.backend ? this.selectModel(this.el.model.value || this.models[0].name) : this.start();
    run.catch((error) => this.fail(error));
  }

  /**
   * The widget's state for readers' tools and tests (data-state).
   * @param {'loading' | 'ready' | 'error'} state
   */
  setState(state) {
    this.root.dataset.state = state;
  }

  /** @param {Error} error */
  fail(error) {
    console.warn(`${this.root.dataset.widget}:`, error);
    this.setState('error');
    this.setPrediction(null, `The model could not start: ${error.message}`);
    this.el.retry.hidden = false;
  }

  async start() {
    this.setState('loading');
    // The reader may start drawing while the engine still starts: the first model's metadata (a small
    // file, fetched here at once) is enough to set the pad up.
    const first = this.metadataUrls.get(modelShownFirst(this.models)?.name ?? '');
    if (first) fetchMetadata(this.engine, first).then((metadata) => this.prepare(metadata)).catch(() => {});
    this.backend = await this.engine.start();
    this.root.dataset.backend = this.backend.name;
    this.stopWatching ??= onBackendChanged((backend) => {
      // WebGL lost its context and the engine fell back: reload the model on the new backend.
      this.backend = backend;
      this.root.dataset.backend = backend.name;
      this.userClassifiers = new WeakMap();
      this.selectModel(this.el.model.value).catch((e) => this.fail(e));
    });
    // The reader's own models are listed from IndexedDB (slow to open the first time) while a
    // shipped model loads: the first answer waits only for the model the page shows first.
    const wanted = new URLSearchParams(location.search).get('model') ?? '';
    const shipped = !wanted || this.models.some((m) => m.name === wanted);
    if (shipped) this.showOptions();
    const listing = this.listModels();
    if (shipped) await Promise.all([this.selectModel(wanted || this.models[0].name), listing]);
    else await listing.then(() => this.selectModel(this.userModels?.has(wanted) ? wanted : this.models[0].name));
    this.stopListening?.();
    this.stopListening = onUserModelsChanged((select) => {
      this.listModels()
        .then(() => (select && this.userModels?.has(select) ? this.selectModel(select) : undefined))
        .catch((e) => this.fail(e));
    });
    // The whole reason (what WebGL offers here) follows once the engine's probe has answered: asked
    // only now, since creating a WebGL context costs a phone's CPU while the first model loads.
    this.engine.describe().then((backend) => {
      if (backend.name !== this.backend?.name) return;
      this.backend = backend;
      this.showStatus(this.lastMs);
    }).catch(() => {});
  }

  /** Fill the model selector: the shipped models, then the reader's own ones (trained or fine-tuned here). */
  async listModels() {
    const before = this.userModels;
    this.userModels = new Map((await userModels(this.models.map((m) => m.name))).map((m) => [m.name, m]));
    for (const [name, model] of before ?? []) {
      // A model the reader replaced or forgot: free its weights.
      if (this.userModels.get(name) !== model) this.userClassifiers.get(model)?.then((c) => c.dispose());
    }
    const current = this.el.model.value;
    this.showOptions();
    if (current && [...this.el.model.options].some((o) => o.value === current)) this.el.model.value = current;
    else if (current && this.classifier) await this.selectModel(this.models[0].name);
  }

  /** The selector's options: the shipped models, then the reader's own ones listed so far. */
  showOptions() {
    this.el.model.replaceChildren(
      ...this.models.map((m) => new Option(`${m.title} (${(m.test_accuracy * 100).toFixed(2)}%)`, m.name)),
      ...[...(this.userModels?.values() ?? [])].map((m) => new Option(m.title, m.name)),
    );
  }

  /**
   * The classifier for a model (loaded once per page life and backend).
   * @param {string} name
   */
  load(name) {
    const user = this.userModels?.get(name);
    const url = this.metadataUrls.get(user ? user.base : name);
    if (!url) throw new Error(`cannot load ${name} now`);
    if (!user) return loadModel(this.engine, name, url);
    if (!this.userClassifiers.has(user)) this.userClassifiers.set(user, loadUserModel(this.engine, user, url));
    return /** @type {Promise<Classifier>} */ (this.userClassifiers.get(user));
  }

  /** @param {string} name */
  async selectModel(name) {
    // The reader may switch again before this model arrives: only the last choice may show its answers.
    const ticket = ++this.selecting;
    this.setState('loading');
    this.engine.client.invalidate(this.channel);
    this.el.model.value = name;
    const classifier = await this.load(name);
    if (!this.root.isConnected || ticket !== this.selecting) return;
    this.classifier = classifier;
    this.classifierName = name;
    const meta = classifier.metadata;
    const size = meta.input.image_size;
    this.preview.setSize(size);
    this.el['preview-caption'].textContent = this.caption(size);
    this.el.preview.setAttribute('aria-label', `The ${size} by ${size} image the model receives`);
    await this.setUp(classifier);
    // A model with a "not a ..." output shows it as one more bar.
    const extra = meta.verdict?.method === 'reject-output' ? [`not a ${meta.verdict.labels.accept}`] : [];
    this.bars = new ProbBars(this.el.bars, [...meta.class_names, ...extra], this.topK);
    this.viewer.setLayers(classifier.activationLayers);
    this.setState('ready');
    this.refresh();
  }

  /** Predict now (e.g. when a stroke ends: the answer should not wait for a frame). */
  predictNow() {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.refresh({ final: true });
  }

  /** At most one prediction per animation frame, however fast the input changes. */
  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.refresh();
    });
    this.markBusy();
  }

  /** Mark the widget busy while a prediction is scheduled or on its way (data-busy). */
  markBusy() {
    const busy = !!(this.frame || this.inFlight || this.again);
    if (busy) this.root.dataset.busy = '';
    else delete this.root.dataset.busy;
  }

  /**
   * Preprocess, predict and show the current input.
   * @param {{final?: boolean}} options final: the input just stopped changing, so
   *   the (slower) feature maps are redrawn at once instead of at most every 100 ms.
   */
  refresh({ final = false } = {}) {
    if (!this.classifier || !this.bars || !this.root.isConnected) {
      this.markBusy();
      return;
    }
    if (this.inFlight && !final) {
      // Read again when the answer on its way arrives.
      this.again = { final: !!this.again?.final };
      this.markBusy();
      return;
    }
    // The input as the stroke ends goes at once, without waiting for the answer on its way
    // (which the channel then turns STALE): the label changes one round trip after the pen lifts.
    if (final) this.again = null;
    const { pixels, message } = this.currentInput();
    this.preview.show(pixels);
    if (!pixels) {
      // No input: nothing to ask, and an answer still on its way is no longer wanted.
      this.engine.client.invalidate(this.channel);
      this.bars.update(null);
      this.setPrediction(null, message ?? '');
      this.afterPrediction(null);
      this.showStatus();
      this.markBusy();
      return;
    }
    this.inFlight++;
    this.markBusy();
    const classifier = this.classifier;
    classifier.predict(pixels, this.channel)
      .then((result) => {
        if (result !== STALE && classifier === this.classifier && this.root.isConnected) this.show(classifier, pixels, result, final);
      })
      .catch((error) => console.warn(`${this.root.dataset.widget}: prediction failed`, error))
      .finally(() => {
        this.inFlight--;
        const again = this.again;
        if (again && !this.inFlight) {
          this.again = null;
          this.refresh(again);
        }
        this.markBusy();
      });
  }

  /**
   * Show an answer.
   * @param {Classifier} classifier the model that gave it
   * @param {Float32Array} pixels its input
   * @param {Prediction} result
   * @param {boolean} final
   */
  show(classifier, pixels, result, final) {
    if (!this.bars) return;
    this.bars.update(result.reject === null ? result.probs : [...result.probs, result.reject]);
    this.setPrediction(result, describe(result, classifier.metadata));
    // Screen readers hear the answer once, when the stroke ends, not at every frame of it.
    if (final) this.el.announcer.textContent = announcement(result, classifier.metadata);
    const now = performance.now();
    if (this.viewer.enabled && (final || now - this.viewerShown > VIEWER_INTERVAL_MS)) {
      this.viewerShown = now;
      // After the answer is painted: the feature maps are a second, slower request.
      classifier.activations(pixels, `${this.channel}:viewer`).then((maps) => {
        if (maps !== STALE && this.classifier === classifier && this.root.isConnected) this.viewer.show(maps);
      }).catch((error) => console.warn('activations failed', error));
    }
    this.afterPrediction(pixels, result);
    this.showStatus(result.ms);
  }

  /**
   * Hook for subclasses: runs after each prediction.
   * @param {Float32Array | null} _pixels null when there is no input
   * @param {Prediction} [_result]
   */
  afterPrediction(_pixels, _result) {}

  /**
   * Hook for subclasses: set up what needs only the first model's metadata (the pad), before the engine answers.
   * @param {import('../core/classifier.js').Metadata} _metadata
   */
  prepare(_metadata) {}

  /**
   * Hook for subclasses: set up for a newly selected model.
   * @param {Classifier} _classifier
   */
  async setUp(_classifier) {}

  /**
   * Hook for subclasses: the model input to show, or null with a message.
   * @returns {Input}
   */
  currentInput() {
    return { pixels: null, message: '' };
  }

  /**
   * @param {Prediction | null} result
   * @param {string} text
   */
  setPrediction(result, text) {
    const node = this.el.prediction;
    const label = result && this.classifier ? this.classifier.metadata.class_names[result.label] : '';
    node.dataset.label = label;
    // Which model gave this answer: a test (or a curious reader's tools) can see no answer is stale.
    node.dataset.model = result ? this.classifierName : '';
    node.dataset.confidence = result ? result.confidence.toFixed(4) : '0';
    node.dataset.verdict = result?.verdict?.label ?? '';
    node.classList.toggle('dl-rejected', !!result?.verdict?.rejected);
    find(node, '.dl-prediction-label', HTMLElement).textContent = label || '?';
    find(node, '.dl-prediction-text', HTMLElement).textContent = text;
  }

  /** @param {number} [ms] the last inference's duration */
  showStatus(ms) {
    this.lastMs = ms;
    const { backend } = this;
    if (!backend) return;
    const parts = [`Backend: <b>${backend.name}</b> (${backend.reason}).`, `${this.engine.why}.`];
    if (ms !== undefined) parts.push(`Last answer: <b>${ms.toFixed(1)} ms</b>, the trip to the engine included.`);
    parts.push('Everything runs in your browser; nothing is sent anywhere.');
    this.el.status.innerHTML = parts.join(' ');
  }

  destroy() {
    this.stopListening?.();
    this.stopWatching?.();
    cancelAnimationFrame(this.frame);
    this.engine.client.invalidate(this.channel);
    this.pad?.destroy();
  }
}
