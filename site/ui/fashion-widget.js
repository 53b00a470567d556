// @ts-check
/**
 * The clothing widget: classify a real test image from the model's gallery, a
 * picture of your own (file picker or drag-and-drop, decoded in the browser and
 * never uploaded), or a drawing; top-3 classes with their bars.
 *
 * Testing contract, beyond the shared one in classifier-widget.js:
 * [data-role="gallery"] buttons [data-index] [data-label]; [data-role="truth"]
 * with data-label (the true class of a gallery image, else ''); input
 * [data-role="upload"]; [data-role="message"] for pictures that cannot be used;
 * canvas[data-role="pad"], [data-role="clear"].
 */
import { preprocessDrawing, preprocessPhoto, toGray } from '../core/preprocess.js';
import { ClassifierWidget } from './classifier-widget.js';
import { DrawingPad } from './drawing-pad.js';
import { Gallery } from './gallery.js';
import { PhotoError, readPhoto } from './photo-input.js';

/**
 * @typedef {import('../browser/model-loader.js').ModelHandle} Classifier
 * @typedef {{kind: 'none' | 'draw'} | {kind: 'gallery', label: string, pixels: Float32Array}
 *   | {kind: 'photo', pixels: Float32Array}} Source
 */

const MAIN = `
  <div class="dl-pad-column">
    <canvas data-role="pad" class="dl-pad" aria-label="Drawing pad: draw a piece of clothing"></canvas>
    <div class="dl-buttons">
      <button type="button" class="md-button" data-role="clear">Clear</button>
      <label class="md-button dl-upload">Upload a picture
        <input type="file" accept="image/*" data-role="upload" class="dl-visually-hidden">
      </label>
    </div>
    <p class="dl-hint">Draw, pick a test image below, or drop a photo of one piece of clothing here.</p>
    <p data-role="message" class="dl-message" role="alert"></p>
  </div>`;

const GALLERY = `
  <div class="dl-gallery-block">
    <p data-role="truth" class="dl-truth" data-label=""></p>
    <div data-role="gallery" class="dl-gallery" aria-label="Fashion-MNIST test images"></div>
  </div>`;

/**
 * @typedef {import('./classifier-widget.js').ClassifierRoles & {pad: HTMLCanvasElement,
 *   clear: HTMLButtonElement, upload: HTMLInputElement, message: HTMLParagraphElement,
 *   truth: HTMLParagraphElement, gallery: HTMLDivElement}} FashionRoles
 */

/** @extends {ClassifierWidget<FashionRoles>} */
export class FashionWidget extends ClassifierWidget {
  /**
   * @param {HTMLElement} root
   * @param {import('./classifier-widget.js').Env} env
   */
  constructor(root, env) {
    super(root, env, {
      main: MAIN,
      below: GALLERY,
      caption: (size) => `What the model receives: ${size}×${size} pixels, a light object on a dark background, as in Fashion-MNIST.`,
      topK: 3,
    });
    /** @type {Source} */
    this.source = { kind: 'none' };
    this.gallery = new Gallery(this.el.gallery, (_, pixels, label) => {
      this.setSource({ kind: 'gallery', label, pixels });
      this.predictNow();
    });
    this.el.clear.addEventListener('click', () => this.pad?.clear());
    this.el.upload.addEventListener('change', () => this.usePhoto(this.el.upload.files?.[0]));
    root.addEventListener('dragover', (e) => e.preventDefault());
    root.addEventListener('drop', (e) => {
      e.preventDefault();
      this.usePhoto(e.dataTransfer?.files?.[0]);
    });
  }

  /** @param {Classifier} classifier */
  async setUp(classifier) {
    const meta = classifier.metadata;
    if (!this.pad) {
      this.pad = new DrawingPad(this.el.pad, { strokeWidth: meta.preprocessing.drawing.stroke_width });
      this.pad.addEventListener('change', () => {
        if (this.source.kind !== 'draw') this.setSource({ kind: 'draw' });
        this.schedule();
      });
      this.pad.addEventListener('strokeend', () => this.predictNow());
    }
    if (meta.assets.gallery) await this.gallery.load(classifier);
  }

  /** @param {Source} source */
  setSource(source) {
    this.source = source;
    this.el.message.textContent = '';
    if (source.kind !== 'draw' && this.pad && !this.pad.isEmpty) {
      this.pad.strokes = [];
      this.pad.redraw();
    }
    if (source.kind !== 'gallery') this.gallery.mark(null);
    const truth = source.kind === 'gallery' ? source.label : '';
    this.el.truth.dataset.label = truth;
    this.el.truth.textContent = truth ? `True class: ${truth}` : '';
  }

  /** @param {File | undefined} file */
  async usePhoto(file) {
    this.el.upload.value = '';
    try {
      const { rgba, width, height } = await readPhoto(file);
      const { preprocessing, input } = /** @type {Classifier} */ (this.classifier).metadata;
      const photo = /** @type {import('../core/preprocess.js').PhotoRecipe} */ (preprocessing.photo);
      const result = preprocessPhoto(toGray(rgba, photo), width, height, { drawing: preprocessing.drawing, photo }, input.image_size);
      if (!result.pixels) {
        throw new PhotoError(result.reason === 'flat'
          ? 'That picture is all one colour: there is nothing to classify.'
          : 'The object in that picture is too small: crop closer around it.');
      }
      this.setSource({ kind: 'photo', pixels: result.pixels });
      this.predictNow();
    } catch (error) {
      if (!(error instanceof PhotoError)) console.warn('fashion widget:', error);
      this.setSource({ kind: 'none' });
      this.refresh();
      this.el.message.textContent = error instanceof PhotoError ? error.message : 'That picture could not be used.';
    }
  }

  currentInput() {
    const source = this.source;
    if (source.kind === 'gallery' || source.kind === 'photo') return { pixels: source.pixels };
    if (source.kind === 'draw' && this.pad && !this.pad.isEmpty && this.classifier) {
      const { ink, width, height } = this.pad.readInk();
      const { preprocessing, input } = this.classifier.metadata;
      const result = preprocessDrawing(ink, width, height, preprocessing.drawing, input.image_size);
      return { pixels: result.pixels, message: 'Keep drawing: that is too small to read' };
    }
    return { pixels: null, message: 'Pick an image, upload a photo or draw' };
  }
}
