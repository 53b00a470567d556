// @ts-check
/**
 * Read a picture the reader chose (file picker or drag-and-drop) entirely in
 * the browser: the file is decoded locally, kept in memory only, and never
 * uploaded. The limits below protect the page, not the model.
 */
const MAX_BYTES = 20 * 1024 * 1024;
const MAX_SIDE = 512;
const MAX_ASPECT = 4;

/** A picture that cannot be used, with a message meant for the reader. */
export class PhotoError extends Error {}

/**
 * @param {File | undefined} file
 * @returns {Promise<{rgba: Uint8ClampedArray, width: number, height: number}>} at most MAX_SIDE px a side
 * @throws {PhotoError} for empty, huge, vector, undecodable or extreme-aspect files
 */
export async function readPhoto(file) {
  if (!file || file.size === 0) throw new PhotoError('That file is empty.');
  if (file.size > MAX_BYTES) {
    throw new PhotoError(`That file is ${(file.size / 1048576).toFixed(0)} MB; please use a picture under ${MAX_BYTES / 1048576} MB.`);
  }
  if (file.type === 'image/svg+xml' || /\.svgz?$/i.test(file.name)) {
    throw new PhotoError('SVG drawings are not supported: please use a photo (PNG, JPEG, WebP or GIF).');
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new PhotoError('That file could not be read as a picture (is it really an image?).');
  }
  try {
    const { width, height } = bitmap;
    const aspect = Math.max(width / height, height / width);
    if (aspect > MAX_ASPECT) {
      throw new PhotoError(`That picture is ${aspect.toFixed(1)} times longer than it is wide: crop it around one piece of clothing.`);
    }
    const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const canvas = new OffscreenCanvas(w, h);
    const ctx = /** @type {OffscreenCanvasRenderingContext2D} */ (canvas.getContext('2d', { willReadFrequently: true }));
    ctx.fillStyle = '#fff'; // transparent areas read as white paper
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(bitmap, 0, 0, w, h);
    return { rgba: ctx.getImageData(0, 0, w, h).data, width: w, height: h };
  } finally {
    bitmap.close();
  }
}
