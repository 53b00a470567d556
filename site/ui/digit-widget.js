/**
 * The draw-a-digit widget: a pad, live predictions, probability bars, the 28x28
 * input the model receives, a model selector and the backend in use.
 *
 * Testing contract (kept stable for the acceptance suite): root
 * [data-widget="digit-classifier"] with data-state (loading|ready|error) and
 * data-backend; canvas[data-role="pad"]; [data-role="prediction"] with
 * data-label ('' when blank) and data-confidence; buttons [data-role="clear"],
 * [data-role="undo"]; select[data-role="model"] (values = model folder names).
 */
import { BACKENDS, chooseBackend } from '../lib/backend.js';
import { loadClassifier } from '../lib/classifier.js';
import { preprocessDrawing } from '../lib/preprocess.js';
import { loadTf } from '../lib/tf-loader.js';
import { DrawingPad } from './drawing-pad.js';
import { InputPreview } from './preview.js';
import { ProbBars } from './prob-bars.js';

const TEMPLATE = `
  <div class="dl-pad-column">
    <canvas data-role="pad" class="dl-pad" aria-label="Drawing pad: draw one digit with a mouse, finger or pen"></canvas>
    <div class="dl-buttons">
      <button type="button" class="md-button" data-role="undo">Undo stroke</button>
      <button type="button" class="md-button" data-role="clear">Clear</button>
    </div>
  </div>
  <div class="dl-side">
    <div data-role="prediction" class="dl-prediction" aria-live="polite" data-label="" data-confidence="0">
      <span class="dl-prediction-label"></span>
      <span class="dl-prediction-text">Loading the model…</span>
    </div>
    <div data-role="bars" class="dl-bars"></div>
    <div class="dl-preview-row">
      <canvas data-role="preview" class="dl-preview" role="img" aria-label="The 28 by 28 image the model receives"></canvas>
      <span>What the model receives: the drawing cropped, scaled and centred as in MNIST, 28×28 pixels.</span>
    </div>
    <div class="dl-controls">
      <label>Model <select data-role="model"></select></label>
      <label>Backend <select data-role="backend-select">
        <option value="">auto</option>${BACKENDS.map((b) => `<option value="${b}">${b}</option>`).join('')}
      </select></label>
    </div>
    <p data-role="status" class="dl-status"></p>
  </div>`;

export class DigitWidget {
  /**
   * @param {HTMLElement} root the [data-widget] element (its data-models lists model folders)
   * @param {{siteRoot: URL}} env
   */
  constructor(root, { siteRoot }) {
    this.root = root;
    this.siteRoot = siteRoot;
    this.modelNames = (root.dataset.models || '').split(',').filter(Boolean);
    this.classifier = null;
    this.frame = 0;
    root.innerHTML = TEMPLATE;
    this.el = Object.fromEntries(
      [...root.querySelectorAll('[data-role]')].map((node) => [node.dataset.role, node]),
    );
    this.el.clear.addEventListener('click', () => this.pad?.clear());
    this.el.undo.addEventListener('click', () => this.pad?.undo());
    this.el.model.addEventListener('change', () => this.selectModel(this.el.model.value));
    this.el['backend-select'].addEventListener('change', (e) => this.forceBackend(e.target.value));
    this.start().catch((error) => this.fail(error));
  }

  setState(state) {
    this.root.dataset.state = state;
  }

  fail(error) {
    console.warn('digit widget:', error);
    this.setState('error');
    this.setPrediction(null, `The model could not start: ${error.message}`);
  }

  async start() {
    this.setState('loading');
    const forced = new URLSearchParams(location.search).get('backend');
    this.el['backend-select'].value = BACKENDS.includes(forced) ? forced : '';
    const tf = await loadTf(new URL('assets/vendor/tfjs/', this.siteRoot));
    this.tf = tf;
    this.backend = await chooseBackend(tf, forced);
    this.root.dataset.backend = this.backend.name;
    const metas = await Promise.all(this.modelNames.map((name) => this.fetchMetadata(name)));
    this.el.model.replaceChildren(
      ...metas.map((meta) => new Option(`${meta.title} (${(meta.test_accuracy * 100).toFixed(2)}%)`, meta.name)),
    );
    await this.selectModel(this.modelNames[0]);
  }

  async fetchMetadata(name) {
    const response = await fetch(new URL(`models/${name}/metadata.json`, this.siteRoot));
    if (!response.ok) throw new Error(`models/${name}/metadata.json: HTTP ${response.status}`);
    return response.json();
  }

  async selectModel(name) {
    this.setState('loading');
    this.el.model.value = name;
    const started = performance.now();
    const classifier = await loadClassifier(this.tf, new URL(`models/${name}/`, this.siteRoot));
    if (!this.root.isConnected) return;
    this.classifier = classifier;
    const meta = classifier.metadata;
    if (!this.pad) {
      this.pad = new DrawingPad(this.el.pad, { strokeWidth: meta.preprocessing.stroke_width });
      this.pad.addEventListener('change', () => this.schedule());
      this.pad.addEventListener('strokeend', () => this.schedule());
      this.preview = new InputPreview(this.el.preview, meta.preprocessing.image_size);
    }
    this.bars = new ProbBars(this.el.bars, meta.class_names);
    this.loadMs = performance.now() - started;
    this.setState('ready');
    this.predictNow();
  }

  forceBackend(name) {
    const url = new URL(location.href);
    if (name) url.searchParams.set('backend', name);
    else url.searchParams.delete('backend');
    location.assign(url);
  }

  /** At most one prediction per animation frame, however fast the pointer moves. */
  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.predictNow();
    });
  }

  predictNow() {
    if (!this.classifier || !this.root.isConnected) return;
    const recipe = this.classifier.metadata.preprocessing;
    const { ink, width, height } = this.pad.readInk();
    const { pixels, reason } = preprocessDrawing(ink, width, height, recipe);
    this.preview.show(pixels);
    if (!pixels) {
      this.bars.update(null);
      this.setPrediction(null, reason === 'blank' ? 'Draw a digit' : 'Keep drawing: that is too small to read');
      this.showStatus();
      return;
    }
    const result = this.classifier.predict(pixels);
    this.bars.update(result.probs);
    this.setPrediction(result, `${(result.confidence * 100).toFixed(1)}% sure`);
    this.showStatus(result.ms);
  }

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
    parts.push('Everything runs in your browser; nothing you draw is sent anywhere.');
    this.el.status.innerHTML = parts.join(' ');
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    this.pad?.destroy();
  }
}
