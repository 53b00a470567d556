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
 * input) and data-confidence; select[data-role="model"] (values = model names).
 * A subclass provides the layout, `setUp(classifier)` and `currentInput()`.
 */
import { BACKENDS } from '../core/backend-plan.js';
import { loadClassifier } from '../browser/model-loader.js';
import { forcedBackend, startRuntime, switchBackend } from '../browser/runtime.js';
import { ActivationViewer } from './activation-viewer.js';
import { find } from './dom.js';
import { InputPreview } from './preview.js';
import { ProbBars } from './prob-bars.js';

// Feature maps cost a second forward pass and many small canvases: while the
// input is still changing they are redrawn at most this often.
const VIEWER_INTERVAL_MS = 100;

const SIDE = `
  <div data-role="prediction" class="dl-prediction" aria-live="polite" data-label="" data-confidence="0">
    <span class="dl-prediction-label"></span>
    <span class="dl-prediction-text">Loading the model…</span>
  </div>
  <div data-role="bars" class="dl-bars"></div>
  <div class="dl-preview-row">
    <canvas data-role="preview" class="dl-preview" role="img" aria-label="The 28 by 28 image the model receives"></canvas>
    <span data-role="preview-caption"></span>
  </div>
  <div class="dl-controls">
    <label>Model <select data-role="model"></select></label>
    <label>Backend <select data-role="backend-select">
      <option value="">auto</option>${BACKENDS.map((b) => `<option value="${b}">${b}</option>`).join('')}
    </select></label>
  </div>
  <p data-role="status" class="dl-status"></p>`;

/**
 * @typedef {import('../core/classifier.js').Classifier} Classifier
 * @typedef {import('../core/classifier.js').Prediction} Prediction
 * @typedef {{name: string, title: string, test_accuracy: number, metadata: string}} ModelEntry
 * @typedef {{vendor: Record<string, string>}} Env URLs of the vendored npm files
 * @typedef {{pixels: Float32Array | null, message?: string}} Input
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
    /** @type {import('../browser/runtime.js').Runtime | null} */
    this.runtime = null;
    /** @type {Classifier | null} */
    this.classifier = null;
    /** @type {import('./drawing-pad.js').DrawingPad | undefined} */
    this.pad = undefined;
    /** @type {ProbBars | null} */
    this.bars = null;
    this.frame = 0;
    this.viewerShown = -Infinity;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.viewerTimer = undefined;
    root.innerHTML = `${layout.main}<div class="dl-side">${SIDE}</div>${layout.below || ''}<div data-role="activations"></div>`;
    /** @type {Record<string, any>} */
    this.el = Object.fromEntries([...root.querySelectorAll('[data-role]')].map((n) => [/** @type {HTMLElement} */ (n).dataset.role, n]));
    this.caption = layout.caption;
    this.preview = new InputPreview(this.el.preview);
    this.viewer = new ActivationViewer(this.el.activations);
    this.viewer.container.addEventListener('toggle', () => this.schedule());
    this.el.model.addEventListener('change', () => this.selectModel(this.el.model.value).catch((e) => this.fail(e)));
    this.el['backend-select'].value = forcedBackend() ?? '';
    this.el['backend-select'].addEventListener('change', (e) => switchBackend(e.target.value));
    this.start().catch((error) => this.fail(error));
  }

  /** @param {Error} error */
  fail(error) {
    console.warn(`${this.root.dataset.widget}:`, error);
    this.root.dataset.state = 'error';
    this.setPrediction(null, `The model could not start: ${error.message}`);
  }

  async start() {
    this.root.dataset.state = 'loading';
    this.runtime = await startRuntime(/** @type {any} */ (this.env.vendor));
    this.root.dataset.backend = this.runtime.backend.name;
    this.el.model.replaceChildren(
      ...this.models.map((m) => new Option(`${m.title} (${(m.test_accuracy * 100).toFixed(2)}%)`, m.name)),
    );
    const wanted = new URLSearchParams(location.search).get('model') ?? '';
    await this.selectModel(this.metadataUrls.has(wanted) ? wanted : this.models[0].name);
  }

  /**
   * The classifier for a model (loaded once per page life and backend).
   * @param {string} name
   */
  load(name) {
    const url = this.metadataUrls.get(name);
    if (!this.runtime || !url) throw new Error(`cannot load ${name} now`);
    return loadClassifier(this.runtime.tf, url);
  }

  /** @param {string} name */
  async selectModel(name) {
    this.root.dataset.state = 'loading';
    this.el.model.value = name;
    const classifier = await this.load(name);
    if (!this.root.isConnected) return;
    this.classifier = classifier;
    const meta = classifier.metadata;
    this.preview.setSize(meta.input.image_size);
    this.el['preview-caption'].textContent = this.caption(meta.input.image_size);
    await this.setUp(classifier);
    this.bars = new ProbBars(this.el.bars, meta.class_names, this.topK);
    this.viewer.setLayers(classifier.activationLayers);
    this.root.dataset.state = 'ready';
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
  }

  /**
   * Preprocess, predict and show the current input.
   * @param {{final?: boolean}} options final: the input just stopped changing, so
   *   the (slower) feature maps are redrawn at once instead of at most every 100 ms.
   */
  refresh({ final = false } = {}) {
    if (!this.classifier || !this.bars || !this.root.isConnected) return;
    const { pixels, message } = this.currentInput();
    this.preview.show(pixels);
    if (!pixels) {
      this.bars.update(null);
      this.setPrediction(null, message ?? '');
      this.afterPrediction(null);
      this.showStatus();
      return;
    }
    const result = this.classifier.predict(pixels);
    this.bars.update(result.probs);
    this.setPrediction(result, `${(result.confidence * 100).toFixed(1)}% sure`);
    const now = performance.now();
    if (this.viewer.enabled && (final || now - this.viewerShown > VIEWER_INTERVAL_MS)) {
      this.viewerShown = now;
      // In a task of its own, so the answer is painted before the feature maps are computed.
      clearTimeout(this.viewerTimer);
      const classifier = this.classifier;
      this.viewerTimer = setTimeout(() => {
        if (this.classifier === classifier && this.root.isConnected) this.viewer.show(classifier.activations(pixels));
      }, 0);
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
    node.dataset.confidence = result ? result.confidence.toFixed(4) : '0';
    find(node, '.dl-prediction-label', HTMLElement).textContent = label || '?';
    find(node, '.dl-prediction-text', HTMLElement).textContent = text;
  }

  /** @param {number} [ms] the last inference's duration */
  showStatus(ms) {
    if (!this.runtime) return;
    const { backend } = this.runtime;
    const parts = [`Backend: <b>${backend.name}</b> (${backend.reason}).`];
    if (ms !== undefined) parts.push(`Last inference: <b>${ms.toFixed(1)} ms</b>.`);
    parts.push('Everything runs in your browser; nothing is sent anywhere.');
    this.el.status.innerHTML = parts.join(' ');
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.viewerTimer);
    this.pad?.destroy();
  }
}
