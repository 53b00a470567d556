/**
 * Shows a model input (values 0..255, white on black) as a small pixelated image.
 */
export class InputPreview {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {number} size image side in pixels (28)
   */
  constructor(canvas, size) {
    this.canvas = canvas;
    canvas.width = size;
    canvas.height = size;
    this.ctx = canvas.getContext('2d');
    this.image = this.ctx.createImageData(size, size);
    this.show(null);
  }

  /** @param {Float32Array|null} pixels size*size values, or null for a black image */
  show(pixels) {
    const data = this.image.data;
    for (let i = 0; i < data.length / 4; i++) {
      const v = pixels ? pixels[i] : 0;
      data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = v;
      data[i * 4 + 3] = 255;
    }
    this.ctx.putImageData(this.image, 0, 0);
  }
}
