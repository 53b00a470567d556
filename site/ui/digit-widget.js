// @ts-check
/**
 * The draw-a-digit widget: a pad, live predictions, probability bars, the input
 * the model receives, the activation viewer, every model compared, and real
 * test digits to pick for whoever cannot or would rather not draw.
 *
 * Testing contract (kept stable for the acceptance suite), beyond the shared one
 * in classifier-widget.js: canvas[data-role="pad"]; buttons [data-role="clear"]
 * and [data-role="undo"]; [data-role="comparison"] rows [data-model] with
 * [data-role="compare-label"]; details[data-role="examples"] holding
 * [data-role="gallery"] buttons [data-index] [data-label].
 */
import { preprocessDrawing } from '../core/preprocess.js';
import { ClassifierWidget } from './classifier-widget.js';
import { DrawingPad } from './drawing-pad.js';
import { Gallery } from './gallery.js';
import { ModelComparison } from './model-comparison.js';

const PAD = `
  <div class="dl-pad-column">
    <canvas data-role="pad" class="dl-pad" aria-label="Drawing pad: draw one digit with a mouse, finger or pen"></canvas>
    <div class="dl-buttons">
      <button type="button" class="md-button" data-role="undo">Undo stroke</button>
      <button type="button" class="md-button" data-role="clear">Clear</button>
    </div>
    <details data-role="examples" class="dl-examples">
      <summary>No pen? Try a real test digit</summary>
      <div data-role="gallery" class="dl-gallery" aria-label="MNIST test digits"></div>
    </details>
  </div>`;

/**
 * @typedef {import('./classifier-widget.js').ClassifierRoles & {pad: HTMLCanvasElement,
 *   undo: HTMLButtonElement, clear: HTMLButtonElement, examples: HTMLDetailsElement,
 *   gallery: HTMLDivElement, compare: HTMLDivElement}} DigitRoles
 */

/** @extends {ClassifierWidget<DigitRoles>} */
export class DigitWidget extends ClassifierWidget {
  /**
   * @param {HTMLElement} root
   * @param {import('./classifier-widget.js').Env} env
   */
  constructor(root, env) {
    super(root, env, {
      main: PAD,
      below: '<div data-role="compare"></div>',
      caption: (size) => `What the model receives: the drawing cropped, scaled and centred as in MNIST, ${size}×${size} pixels.`,
    });
    /** @type {Float32Array | null} a picked test digit, shown until the reader draws */
    this.example = null;
    this.el.clear.addEventListener('click', () => this.pad?.clear());
    this.el.undo.addEventListener('click', () => this.pad?.undo());
    this.comparison = new ModelComparison(this.el.compare, (name) => this.load(name), this.models.map((m) => m.name), this.channel);
    this.el.compare.addEventListener('toggle', () => this.schedule());
    this.gallery = new Gallery(this.el.gallery, (_, pixels) => {
      this.example = pixels;
      this.pad?.clear();
      this.example = pixels; // clear() cleared it
      this.predictNow();
    });
    this.el.examples.addEventListener('toggle', () => this.showExamples());
  }

  /** @param {import('../browser/model-loader.js').ModelHandle} classifier */
  async setUp(classifier) {
    this.prepare(classifier.metadata);
    await this.showExamples();
  }

  /** @param {import('../core/classifier.js').Metadata} metadata */
  prepare(metadata) {
    if (!this.pad) {
      this.pad = new DrawingPad(this.el.pad, { strokeWidth: metadata.preprocessing.drawing.stroke_width });
      this.pad.addEventListener('change', () => {
        this.example = null;
        this.gallery.mark(null);
        this.schedule();
      });
      this.pad.addEventListener('strokeend', () => this.predictNow());
    }
  }

  /** Fetch the model's test digits once the reader opens the panel. */
  async showExamples() {
    if (this.el.examples.open && this.classifier?.metadata.assets.gallery) await this.gallery.load(this.classifier);
  }

  currentInput() {
    if (this.example) return { pixels: this.example };
    if (!this.pad || !this.classifier) return { pixels: null };
    const { ink, width, height } = this.pad.readInk();
    const { preprocessing, input } = this.classifier.metadata;
    const { pixels, reason } = preprocessDrawing(ink, width, height, preprocessing.drawing, input.image_size);
    return { pixels, message: reason === 'blank' ? 'Draw a digit' : 'Keep drawing: that is too small to read' };
  }

  /** @param {Float32Array | null} pixels */
  afterPrediction(pixels) {
    this.comparison.show(pixels);
  }
}
