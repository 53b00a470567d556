// @ts-check
/**
 * Shows a model input (values 0..255, white on black) as a small pixelated image.
 */
export class InputPreview {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    /** @type {ImageData | undefined} size x size pixels: made by setSize, which the constructor calls */
    this.image = undefined;
    this.setSize(1);
  }

  /** @param {number} size image side in pixels (metadata.input.image_size) */
  setSize(size) {
    if (this.image?.width === size) return;
    this.canvas.width = this.canvas.height = size;
    this.image = this.ctx.createImageData(size, size);
    this.show(null);
  }

  /** @param {ArrayLike<number> | null} pixels size*size values, or null for a black image */
  show(pixels) {
    const image = /** @type {ImageData} */ (this.image);
    const data = image.data;
    for (let i = 0; i < data.length / 4; i++) {
      const v = pixels ? pixels[i] : 0;
      data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = v;
      data[i * 4 + 3] = 255;
    }
    this.ctx.putImageData(image, 0, 0);
  }
}
