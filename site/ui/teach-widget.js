// @ts-check
/**
 * "Teach it your handwriting": the reader draws examples and files each under
 * its digit; Fine-tune adapts the shipped CNN to them in the page's engine, a worker (its
 * convolutions frozen, MNIST images replayed so it does not forget), measures
 * it before and after on examples it did not train on, keeps it in IndexedDB
 * as "Your model", and offers it to every digit widget. The examples can be
 * exported to a file and imported back; nothing is uploaded.
 *
 * Testing contract: [data-widget="teach"] with data-state collecting | training |
 * trained | error and data-examples (count); canvas[data-role="pad"],
 * [data-role="clear"]; ten [data-role="add-example"] buttons with data-digit
 * "0".."9"; [data-role="fine-tune"]; [data-role="forget"];
 * [data-role="prediction"] with data-label (the fine-tuned model's answer once
 * trained, the stock model's before). Also [data-role="export"], input
 * [data-role="import"], [data-role="message"], [data-role="results"] (data-before,
 * data-after, data-mnist-after), data-leaked-tensors on the root after fine-tuning;
 * [data-role="export-model"] (enabled once fine-tuned) downloads "Your model" in TF.js' layers
 * format, for `python -m train.from_browser`.
 */
import { downloadFile, downloadModel } from '../browser/download.js';
import { clearExamples, loadExamples, saveExamples } from '../browser/example-store.js';
import { MINE, MINE_PATH, offerModel, removeStoredModel, withdrawModel } from '../browser/user-models.js';
import { exportExamples, importExamples } from '../core/examples-file.js';
import { modelFiles } from '../core/model-files.js';
import { preprocessDrawing } from '../core/preprocess.js';
import { ClassifierWidget } from './classifier-widget.js';
import { find } from './dom.js';
import { DrawingPad } from './drawing-pad.js';

const DIGITS = Array.from({ length: 10 }, (_, d) => d);
// Every fifth example of a digit is kept apart, to measure the model on drawings it never trained on.
const HOLD_OUT_EVERY = 5;

const MAIN = `
  <div class="dl-pad-column">
    <p class="dl-teach-prompt" data-role="prompt" aria-live="polite"></p>
    <canvas data-role="pad" class="dl-pad" aria-label="Drawing pad: draw one digit, then press its button"></canvas>
    <div class="dl-buttons"><button type="button" class="md-button" data-role="clear">Clear</button></div>
    <div class="dl-digit-buttons" role="group" aria-label="File the drawing under its digit">
      ${DIGITS.map((d) => `<button type="button" class="md-button" data-role="add-example" data-digit="${d}">${d}<span class="dl-count" aria-hidden="true">0</span><span class="dl-visually-hidden" data-role="count-text"> (0 so far)</span></button>`).join('')}
    </div>
  </div>`;

const BELOW = `
  <div class="dl-teach-actions">
    <button type="button" class="md-button md-button--primary" data-role="fine-tune" disabled>Fine-tune</button>
    <button type="button" class="md-button" data-role="forget">Forget my model and examples</button>
    <button type="button" class="md-button" data-role="export">Export examples</button>
    <button type="button" class="md-button" data-role="export-model" disabled>Download my model</button>
    <label class="md-button dl-upload">Import examples
      <input type="file" accept="application/json,.json" data-role="import" class="dl-visually-hidden">
    </label>
    <progress data-role="progress" max="1" value="0"></progress>
    <p data-role="message" class="dl-message" role="status"></p>
    <div data-role="results" class="dl-teach-results"></div>
  </div>`;

/**
 * The parts this widget reaches by role (the ten add-example buttons and their count-text spans
 * repeat a role: they are found by query instead).
 * @typedef {import('./classifier-widget.js').ClassifierRoles & {prompt: HTMLParagraphElement,
 *   pad: HTMLCanvasElement, clear: HTMLButtonElement, 'fine-tune': HTMLButtonElement,
 *   forget: HTMLButtonElement, export: HTMLButtonElement, 'export-model': HTMLButtonElement,
 *   import: HTMLInputElement, progress: HTMLProgressElement, message: HTMLParagraphElement,
 *   results: HTMLDivElement}} TeachRoles
 */

/** @extends {ClassifierWidget<TeachRoles>} */
export class TeachWidget extends ClassifierWidget {
  /**
   * @param {HTMLElement} root
   * @param {import('./classifier-widget.js').Env} env
   */
  constructor(root, env) {
    super(root, env, {
      main: MAIN,
      below: BELOW,
      caption: (size) => `What the model receives, and what an example stores: ${size}×${size} pixels.`,
    });
    this.baseName = this.models[0].name;
    this.dataUrl = new URL(root.dataset.trainingData || '', location.href);
    /** @type {import('../core/examples-file.js').StoredExample[]} */
    this.examples = [];
    this.persistent = true;
    root.dataset.examples = '0';
    this.el.clear.addEventListener('click', () => this.pad?.clear());
    for (const button of root.querySelectorAll('[data-role=add-example]')) {
      button.addEventListener('click', () => this.addExample(Number(/** @type {HTMLElement} */ (button).dataset.digit)));
    }
    this.el['fine-tune'].addEventListener('click', () => this.fineTune().catch((e) => this.fail(e)));
    this.el.forget.addEventListener('click', () => this.forget().catch((e) => this.fail(e)));
    this.el.export.addEventListener('click', () => this.download());
    this.el['export-model'].addEventListener('click', () => this.downloadModel());
    /** @type {{artifacts: import('../core/engine-protocol.js').Artifacts, after: import('../core/engine-protocol.js').Scores} | null}
     * the model fine-tuned in this visit */
    this.tuned = null;
    this.el.import.addEventListener('change', () => this.upload(this.el.import.files?.[0]).catch((e) => this.fail(e)));
    this.ready = loadExamples().then(
      (examples) => this.setExamples(examples, false),
      () => { this.persistent = false; },
    );
  }

  /**
   * This widget's states are its own: collecting, training, trained, error.
   * @param {'loading' | 'ready' | 'error'} state the shared widget's state
   */
  setState(state) {
    if (state === 'error') this.root.dataset.state = 'error';
    else if (!this.root.dataset.state || this.root.dataset.state === 'loading') this.root.dataset.state = state === 'ready' ? 'collecting' : 'loading';
  }

  /** @param {import('../browser/model-loader.js').ModelHandle} classifier */
  async setUp(classifier) {
    if (this.pad) return;
    this.pad = new DrawingPad(this.el.pad, { strokeWidth: classifier.metadata.preprocessing.drawing.stroke_width });
    this.pad.addEventListener('change', () => this.schedule());
    this.pad.addEventListener('strokeend', () => this.predictNow());
    await this.ready;
    this.showCounts();
  }

  currentInput() {
    if (!this.pad || !this.classifier) return { pixels: null };
    const { ink, width, height } = this.pad.readInk();
    const { preprocessing, input } = this.classifier.metadata;
    const { pixels, reason } = preprocessDrawing(ink, width, height, preprocessing.drawing, input.image_size);
    return { pixels, message: reason === 'blank' ? 'Draw a digit' : 'Keep drawing: that is too small to read' };
  }

  /** File the pad's drawing under ``digit``, then clear the pad for the next one. @param {number} digit */
  async addExample(digit) {
    const { pixels } = this.currentInput();
    if (!pixels) {
      this.el.message.textContent = 'Draw the digit first, then press its button.';
      return;
    }
    // Cleared at once, not after the save: the reader (or a test) may already be drawing the next one.
    this.pad?.clear();
    await this.setExamples([...this.examples, { digit, pixels: Uint8Array.from(pixels, (v) => Math.round(v)) }]);
  }

  /**
   * @param {import('../core/examples-file.js').StoredExample[]} examples
   * @param {boolean} [store] also keep them in IndexedDB
   */
  async setExamples(examples, store = true) {
    this.examples = examples;
    this.root.dataset.examples = String(examples.length);
    this.showCounts();
    if (store && this.persistent) await saveExamples(examples).catch(() => { this.persistent = false; });
  }

  showCounts() {
    const counts = DIGITS.map((d) => this.examples.filter((e) => e.digit === d).length);
    this.root.querySelectorAll('[data-role=add-example]').forEach((button, d) => {
      find(button, '.dl-count', HTMLElement).textContent = String(counts[d]);
      // Named by its content, so the name starts with what the button shows (a screen reader: "3 (2 so far)").
      find(button, '[data-role=count-text]', HTMLElement).textContent = ` (${counts[d]} so far)`;
    });
    const fewest = counts.indexOf(Math.min(...counts));
    this.el.prompt.textContent = `Draw a ${fewest} in your style, then press ${fewest}. (${this.examples.length} examples so far.)`;
    const busy = this.root.dataset.state === 'training';
    this.el['fine-tune'].disabled = busy || counts.some((c) => c < 1);
  }

  /** Split the examples: most to learn from, every HOLD_OUT_EVERY-th of each digit to test on. */
  split() {
    /** @type {{pixels: number[], label: number}[][]} */
    const [train, heldOut] = [[], []];
    const seen = new Map();
    for (const e of this.examples) {
      const k = (seen.get(e.digit) ?? 0) + 1;
      seen.set(e.digit, k);
      (k % HOLD_OUT_EVERY === 0 ? heldOut : train).push({ pixels: Array.from(e.pixels), label: e.digit });
    }
    return { train, heldOut };
  }

  async fineTune() {
    const { train, heldOut } = this.split();
    const metadataUrl = /** @type {URL} */ (this.metadataUrls.get(this.baseName));
    this.root.dataset.state = 'training';
    this.showCounts();
    this.el.message.textContent = 'Starting to fine-tune…';
    this.el.results.replaceChildren();
    await this.engine.start();
    const job = { metadataUrl: metadataUrl.href, dataUrl: this.dataUrl.href, examples: train, heldOut, save: this.persistent ? MINE_PATH : undefined };
    const result = await this.engine.client.call('fine-tune', job, {
      onProgress: (data) => {
        if (data.type === 'download') {
          this.el.progress.value = data.loaded / data.total;
          this.el.message.textContent = `Downloading MNIST images to replay: ${(data.loaded / 1e6).toFixed(1)} MB`;
        } else if (data.type === 'batch') {
          this.el.progress.value = (data.epoch - 1 + data.batch / data.batches) / data.epochs;
          this.el.message.textContent = `Fine-tuning: epoch ${data.epoch}, loss ${data.loss.toFixed(3)}`;
        } else if (data.type === 'status' && data.state === 'training') {
          this.el.message.textContent = 'Fine-tuning…';
        }
      },
    });
    this.el.progress.value = 1;
    this.root.dataset.leakedTensors = String(result.leakedTensors);
    this.showResults(result, heldOut.length);
    offerModel({ name: MINE, title: 'Your model', base: this.baseName, artifacts: result.artifacts, verdict: true }, true);
    this.tuned = { artifacts: result.artifacts, after: result.after };
    this.el['export-model'].disabled = false;
    this.root.dataset.state = 'trained';
    this.showCounts();
  }

  /**
   * @param {import('../core/engine-protocol.js').FineTuneReport} result the engine's report
   * @param {number} heldOut how many of the reader's examples were kept apart
   */
  showResults(result, heldOut) {
    const pct = (/** @type {number | null} */ v) => (v === null ? 'n/a' : `${(v * 100).toFixed(0)} %`);
    const kept = typeof result.saved === 'string' && result.saved.startsWith('indexeddb://');
    const rows = [
      ['your held-out drawings', heldOut ? pct(result.before.yours) : 'n/a (add 5 of a digit)', heldOut ? pct(result.after.yours) : 'n/a'],
      ['MNIST test images', pct(result.before.mnist), pct(result.after.mnist)],
    ];
    this.el.results.innerHTML = `<table><thead><tr><th>accuracy on</th><th>before</th><th>after</th></tr></thead><tbody>${
      rows.map((r) => `<tr><td>${r[0]}</td><td data-role="before">${r[1]}</td><td data-role="after">${r[2]}</td></tr>`).join('')
    }</tbody></table>`;
    this.el.results.dataset.before = String(result.before.yours ?? '');
    this.el.results.dataset.after = String(result.after.yours ?? '');
    this.el.results.dataset.mnistAfter = String(result.after.mnist);
    this.el.message.textContent = `Fine-tuned in ${result.seconds.toFixed(1)} s. `
      + (kept
        ? '"Your model" is kept in this browser and offered by every digit pad of the site.'
        : `"Your model" works until you close this page, but cannot be kept here: ${this.persistent ? result.saved : 'this browser does not let the site store data (private window, or storage full)'}.`);
  }

  async forget() {
    if (this.persistent) {
      await clearExamples().catch(() => {});
      await removeStoredModel(MINE_PATH);
    }
    // Withdrawn only once deleted: the widgets then look again and must find nothing stored.
    withdrawModel(MINE);
    this.tuned = null;
    this.el['export-model'].disabled = true;
    await this.setExamples([], false);
    this.el.results.replaceChildren();
    this.el.message.textContent = 'Your model and your examples are gone from this browser.';
    this.root.dataset.state = 'collecting';
    this.showCounts();
  }

  download() {
    const meta = this.classifier?.metadata;
    if (!meta) return;
    downloadFile('my-digits.json', exportExamples(this.examples, meta.input.image_size), 'application/json');
  }

  /** "Your model" as two files: my-cnn.json and my-cnn.weights.bin. */
  downloadModel() {
    const base = this.classifier?.metadata;
    if (!this.tuned || !base) return;
    downloadModel(modelFiles(this.tuned.artifacts, 'my-cnn', {
      trained_in: 'Draw & Learn TensorFlow, fine-tuned in the browser',
      base: this.baseName,
      divide_by: base.input.divide_by,
      accuracy_after: this.tuned.after,
    }));
  }

  /** @param {File | undefined} file */
  async upload(file) {
    this.el.import.value = '';
    if (!file) return;
    try {
      if (file.size > 5e6) throw new Error('That file is too large to be a file of examples.');
      const meta = this.classifier?.metadata;
      if (!meta) throw new Error('The model is still loading: import your examples once it is ready.');
      const incoming = importExamples(await file.text(), meta.input.image_size);
      const known = new Set(this.examples.map((e) => `${e.digit}:${e.pixels.join(',')}`));
      const fresh = incoming.filter((e) => !known.has(`${e.digit}:${e.pixels.join(',')}`));
      await this.setExamples([...this.examples, ...fresh]);
      this.el.message.textContent = `Imported ${fresh.length} examples (${incoming.length - fresh.length} you already had).`;
    } catch (error) {
      this.el.message.textContent = /** @type {Error} */ (error).message;
    }
  }
}
