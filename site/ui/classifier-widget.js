/**
 * What the digit and fashion widgets share: TF.js start-up, the model and
 * backend selectors, live prediction (at most once per animation frame), the
 * prediction read-out, probability bars, the 28x28 preview, the activation
 * viewer and the status line.
 *
 * Testing contract: root [data-widget] with data-state (loading|ready|error) and
 * data-backend; [data-role="prediction"] with data-label ('' when there is no
 * input) and data-confidence; select[data-role="model"] (values = model folders).
 * A subclass provides `template` (extra markup), `setUp(metadata)` and
 * `currentInput()`.
 */
import { BACKENDS } from '../lib/backend.js';
import { loadClassifier } from '../lib/classifier.js';
import { forcedBackend, startRuntime, switchBackend } from '../lib/runtime.js';
import { ActivationViewer } from './activation-viewer.js';
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

export class ClassifierWidget {
  /**
   * @param {HTMLElement} root the [data-widget] element; data-models lists model folders
   * @param {{siteRoot: URL}} env
   * @param {{main: string, below?: string, caption: string, topK?: number}} layout
   */
  constructor(root, { siteRoot }, layout) {
    this.root = root;
    root.widget = this; // a handle for the benchmark and for debugging from the console
    this.siteRoot = siteRoot;
    this.topK = layout.topK;
    this.modelNames = (root.dataset.models || '').split(',').filter(Boolean);
    this.classifier = null;
    this.frame = 0;
    root.innerHTML = `${layout.main}<div class="dl-side">${SIDE}</div>${layout.below || ''}<div data-role="activations"></div>`;
    this.el = Object.fromEntries([...root.querySelectorAll('[data-role]')].map((n) => [n.dataset.role, n]));
    this.el['preview-caption'].textContent = layout.caption;
    this.preview = new InputPreview(this.el.preview, 28);
    this.viewer = new ActivationViewer(this.el.activations);
    this.viewer.container.addEventListener('toggle', () => this.schedule());
    this.el.model.addEventListener('change', () => this.selectModel(this.el.model.value).catch((e) => this.fail(e)));
    this.el['backend-select'].value = forcedBackend() ?? '';
    this.el['backend-select'].addEventListener('change', (e) => switchBackend(e.target.value));
    this.start().catch((error) => this.fail(error));
  }

  fail(error) {
    console.warn(`${this.root.dataset.widget}:`, error);
    this.root.dataset.state = 'error';
    this.setPrediction(null, `The model could not start: ${error.message}`);
  }

  async start() {
    this.root.dataset.state = 'loading';
    const { tf, backend } = await startRuntime(this.siteRoot);
    this.tf = tf;
    this.backend = backend;
    this.root.dataset.backend = backend.name;
    const metas = await Promise.all(this.modelNames.map((name) => this.fetchJson(`models/${name}/metadata.json`)));
    this.el.model.replaceChildren(
      ...metas.map((meta) => new Option(`${meta.title} (${(meta.test_accuracy * 100).toFixed(2)}%)`, meta.name)),
    );
    const wanted = new URLSearchParams(location.search).get('model');
    await this.selectModel(this.modelNames.includes(wanted) ? wanted : this.modelNames[0]);
  }

  async fetchJson(path) {
    const response = await fetch(new URL(path, this.siteRoot));
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  }

  /** The classifier for a model folder (loaded once per page life and backend). */
  load(name) {
    return loadClassifier(this.tf, new URL(`models/${name}/`, this.siteRoot));
  }

  async selectModel(name) {
    this.root.dataset.state = 'loading';
    this.el.model.value = name;
    const classifier = await this.load(name);
    if (!this.root.isConnected) return;
    this.classifier = classifier;
    const meta = classifier.metadata;
    this.setUp(meta);
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
    if (!this.classifier || !this.root.isConnected) return;
    const { pixels, message } = this.currentInput();
    this.preview.show(pixels);
    if (!pixels) {
      this.bars.update(null);
      this.setPrediction(null, message);
      this.afterPrediction(null);
      this.showStatus();
      return;
    }
    const result = this.classifier.predict(pixels);
    this.bars.update(result.probs);
    this.setPrediction(result, `${(result.confidence * 100).toFixed(1)}% sure`);
    const now = performance.now();
    if (this.viewer.enabled && (final || now - (this.viewerShown ?? -Infinity) > VIEWER_INTERVAL_MS)) {
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

  /** Hook for subclasses: runs after each prediction (pixels null when there is no input). */
  afterPrediction() {}

  setPrediction(result, text) {
    const node = this.el.prediction;
    const label = result ? this.classifier.metadata.class_names[result.label] : '';
    node.dataset.label = label;
    node.dataset.confidence = result ? result.confidence.toFixed(4) : '0';
    node.querySelector('.dl-prediction-label').textContent = label || '?';
    node.querySelector('.dl-prediction-text').textContent = text;
  }

  showStatus(ms) {
    const parts = [`Backend: <b>${this.backend.name}</b> (${this.backend.reason}).`];
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
