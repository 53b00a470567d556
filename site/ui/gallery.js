// @ts-check
/**
 * Real test images to pick, as buttons: a way to try a model without drawing
 * (by keyboard, by touch, or to see what the dataset looks like). The images
 * are the model's gallery asset (gallery.json); their class names, its metadata's.
 *
 * Testing contract: buttons [data-index] [data-label] inside the container.
 */
import { fetchJson } from '../core/metadata.js';

/**
 * @typedef {{labels: number[], test_indices: number[], pixels_base64: string}} GalleryFile
 */

/**
 * One grey image as canvas pixels (a plain loop: the Fashion gallery's 100 images are drawn as the page opens).
 * @param {CanvasRenderingContext2D} ctx
 * @param {Uint8Array} grey size * size, 0..255
 * @param {number} size
 * @returns {ImageData}
 */
function greyImage(ctx, grey, size) {
  const image = ctx.createImageData(size, size);
  const rgba = image.data;
  for (let p = 0; p < grey.length; p++) {
    rgba[4 * p] = rgba[4 * p + 1] = rgba[4 * p + 2] = grey[p];
    rgba[4 * p + 3] = 255;
  }
  return image;
}

export class Gallery {
  /**
   * @param {HTMLElement} container
   * @param {(index: number, pixels: Float32Array, label: string) => void} onPick
   */
  constructor(container, onPick) {
    this.container = container;
    this.onPick = onPick;
    /** @type {{labels: number[], names: string[], pixels: Uint8Array, size: number} | null} */
    this.data = null;
    this.url = '';
  }

  /**
   * Show the gallery of a model (fetched once per file).
   * @param {import('../browser/model-loader.js').ModelHandle} classifier
   */
  async load(classifier) {
    const url = classifier.assetUrl('gallery');
    if (this.url === url.href) return;
    /** @type {GalleryFile} */
    const file = await fetchJson(url);
    const size = classifier.metadata.input.image_size;
    const names = classifier.metadata.class_names;
    this.url = url.href;
    const pixels = Uint8Array.from(atob(file.pixels_base64), (c) => c.charCodeAt(0));
    this.data = { labels: file.labels, names, size, pixels };
    this.container.replaceChildren(...file.labels.map((label, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.index = String(i);
      button.dataset.label = names[label];
      button.setAttribute('aria-label', `Test image ${file.test_indices[i]}: ${names[label]}`);
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = size;
      const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
      ctx.putImageData(greyImage(ctx, pixels.subarray(i * size * size, (i + 1) * size * size), size), 0, 0);
      button.append(canvas);
      button.addEventListener('click', () => this.pick(i));
      return button;
    }));
  }

  /** @param {number} i @returns {Float32Array} one image, 0..255 */
  pixels(i) {
    const { pixels, size } = /** @type {NonNullable<Gallery['data']>} */ (this.data);
    return Float32Array.from(pixels.subarray(i * size * size, (i + 1) * size * size));
  }

  /** @param {number} i */
  pick(i) {
    if (!this.data) return;
    this.mark(i);
    this.onPick(i, this.pixels(i), this.data.names[this.data.labels[i]]);
  }

  /** @param {number | null} i the picked image (null: none) */
  mark(i) {
    for (const b of this.container.querySelectorAll('[aria-pressed]')) b.removeAttribute('aria-pressed');
    if (i !== null) this.container.querySelector(`[data-index="${i}"]`)?.setAttribute('aria-pressed', 'true');
  }
}
