/**
 * The clothing widget: classify a real Fashion-MNIST test image from the
 * gallery, a picture of your own (file picker or drag-and-drop, decoded in the
 * browser and never uploaded), or a drawing; top-3 classes with their bars.
 *
 * Testing contract, beyond the shared one in classifier-widget.js:
 * [data-role="gallery"] buttons [data-index] [data-label]; [data-role="truth"]
 * with data-label (the true class of a gallery image, else ''); input
 * [data-role="upload"]; [data-role="message"] for pictures that cannot be used;
 * canvas[data-role="pad"], [data-role="clear"].
 */
import { preprocessDrawing, preprocessPhoto } from '../lib/preprocess.js';
import { ClassifierWidget } from './classifier-widget.js';
import { DrawingPad } from './drawing-pad.js';
import { PhotoError, readPhoto } from './photo-input.js';

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

export class FashionWidget extends ClassifierWidget {
  constructor(root, env) {
    super(root, env, {
      main: MAIN,
      below: GALLERY,
      caption: 'What the model receives: 28×28 pixels, a light object on a dark background, as in Fashion-MNIST.',
      topK: 3,
    });
    this.source = { kind: 'none' };
    this.el.clear.addEventListener('click', () => this.pad?.clear());
    this.el.upload.addEventListener('change', () => this.usePhoto(this.el.upload.files[0]));
    root.addEventListener('dragover', (e) => e.preventDefault());
    root.addEventListener('drop', (e) => {
      e.preventDefault();
      this.usePhoto(e.dataTransfer?.files?.[0]);
    });
    this.galleryReady = this.buildGallery().catch((error) => this.fail(error));
  }

  async buildGallery() {
    const data = await this.fetchJson('assets/generated/fashion-gallery.json');
    const bytes = Uint8Array.from(atob(data.pixels_base64), (c) => c.charCodeAt(0));
    this.gallery = data;
    this.galleryPixels = (i) => Float32Array.from(bytes.subarray(i * 784, (i + 1) * 784));
    this.el.gallery.replaceChildren(...data.labels.map((label, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.index = String(i);
      button.dataset.label = data.class_names[label];
      button.setAttribute('aria-label', `Test image ${data.test_indices[i]}: ${data.class_names[label]}`);
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 28;
      const image = canvas.getContext('2d').createImageData(28, 28);
      const px = this.galleryPixels(i);
      px.forEach((v, p) => image.data.set([v, v, v, 255], p * 4));
      canvas.getContext('2d').putImageData(image, 0, 0);
      button.append(canvas);
      button.addEventListener('click', () => this.useGallery(i));
      return button;
    }));
  }

  setUp(meta) {
    if (this.pad) return;
    this.pad = new DrawingPad(this.el.pad, { strokeWidth: meta.preprocessing.stroke_width });
    this.pad.addEventListener('change', () => {
      if (this.source.kind !== 'draw') this.setSource({ kind: 'draw' });
      this.schedule();
    });
    this.pad.addEventListener('strokeend', () => this.predictNow());
  }

  setSource(source) {
    this.source = source;
    this.el.message.textContent = '';
    if (source.kind !== 'draw' && this.pad && !this.pad.isEmpty) {
      this.pad.strokes = [];
      this.pad.redraw();
    }
    for (const b of this.el.gallery.querySelectorAll('[aria-pressed]')) b.removeAttribute('aria-pressed');
    const truth = source.kind === 'gallery' ? this.gallery.class_names[this.gallery.labels[source.index]] : '';
    this.el.truth.dataset.label = truth;
    this.el.truth.textContent = truth ? `True class: ${truth}` : '';
  }

  useGallery(index) {
    this.setSource({ kind: 'gallery', index, pixels: this.galleryPixels(index) });
    this.el.gallery.querySelector(`[data-index="${index}"]`).setAttribute('aria-pressed', 'true');
    this.predictNow();
  }

  async usePhoto(file) {
    this.el.upload.value = '';
    try {
      const { gray, width, height } = await readPhoto(file);
      const result = preprocessPhoto(gray, width, height, this.classifier.metadata.preprocessing);
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
    const { kind, pixels } = this.source;
    if (kind === 'gallery' || kind === 'photo') return { pixels };
    if (kind === 'draw' && this.pad && !this.pad.isEmpty) {
      const { ink, width, height } = this.pad.readInk();
      const result = preprocessDrawing(ink, width, height, this.classifier.metadata.preprocessing);
      return { pixels: result.pixels, message: 'Keep drawing: that is too small to read' };
    }
    return { pixels: null, message: 'Pick an image, upload a photo or draw' };
  }
}
