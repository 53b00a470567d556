// @ts-check
/**
 * Turn a drawing or a photo into the kind of image the model was trained on.
 *
 * Pure maths, no DOM: the input is an ink map (one value 0..255 per pixel, 255 =
 * full ink), the output a Float32Array of size * size values 0..255, row-major,
 * white ink on black. Every parameter comes from the model's metadata.json
 * ("preprocessing" recipes, "input.image_size"), written by the training pipeline.
 *
 * The MNIST recipe (LeCun et al.): crop to the ink's bounding box, scale the
 * longer side to `fit_box` px keeping the aspect ratio (anti-aliased by area
 * averaging), then paste into `size` x `size` so that the centre of mass lands
 * on `mass_center` ("mass"), or centre the bounding box ("box").
 */

/**
 * Bounding box of the pixels whose ink exceeds `threshold`.
 * @param {ArrayLike<number>} ink values 0..255, row-major
 * @param {number} width
 * @param {number} height
 * @param {number} threshold 0..255
 * @returns {{x: number, y: number, w: number, h: number} | null} null when blank
 */
export function inkBounds(ink, width, height, threshold) {
  let minX = width, minY = height, maxX = -1, maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (ink[row + x] > threshold) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (maxX < 0) return null;
  return { x: minX, y: minY, w: maxX - minX + 1, h: maxY - minY + 1 };
}

/**
 * Area-averaging weights that map `n` source cells onto `m` target cells.
 * @param {number} n source cells
 * @param {number} m target cells
 * @returns {Array<Array<[number, number]>>} per target: [source index, weight]
 */
function areaWeights(n, m) {
  const step = n / m;
  /** @type {Array<Array<[number, number]>>} */
  const weights = [];
  for (let j = 0; j < m; j++) {
    const start = j * step, end = start + step;
    /** @type {Array<[number, number]>} */
    const taps = [];
    for (let i = Math.floor(start); i < Math.min(n, Math.ceil(end)); i++) {
      const overlap = Math.min(end, i + 1) - Math.max(start, i);
      if (overlap > 0) taps.push([i, overlap / step]);
    }
    weights.push(taps);
  }
  return weights;
}

/**
 * Resize a region of an image by area averaging (anti-aliased downscaling).
 * @param {ArrayLike<number>} src values, row-major, `srcWidth` wide
 * @param {number} srcWidth
 * @param {{x: number, y: number, w: number, h: number}} box region to resize
 * @param {number} outW
 * @param {number} outH
 * @returns {Float32Array} outW * outH values
 */
export function resizeArea(src, srcWidth, box, outW, outH) {
  const wx = areaWeights(box.w, outW);
  const wy = areaWeights(box.h, outH);
  const rows = new Float32Array(box.h * outW);
  for (let y = 0; y < box.h; y++) {
    const base = (box.y + y) * srcWidth + box.x;
    for (let j = 0; j < outW; j++) {
      let sum = 0;
      for (const [i, w] of wx[j]) sum += src[base + i] * w;
      rows[y * outW + j] = sum;
    }
  }
  const out = new Float32Array(outW * outH);
  for (let k = 0; k < outH; k++) {
    for (let j = 0; j < outW; j++) {
      let sum = 0;
      for (const [i, w] of wy[k]) sum += rows[i * outW + j] * w;
      out[k * outW + j] = sum;
    }
  }
  return out;
}

/**
 * Centre of mass of an image, in pixel units (pixel i spans [i, i + 1)).
 * @param {ArrayLike<number>} img values, row-major
 * @param {number} width
 * @param {number} height
 * @returns {{x: number, y: number}}
 */
export function centerOfMass(img, width, height) {
  let total = 0, sx = 0, sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = img[y * width + x];
      total += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return total > 0 ? { x: sx / total, y: sy / total } : { x: width / 2, y: height / 2 };
}

/**
 * @typedef {import('./metadata-types.js').DrawingRecipe} DrawingRecipe
 * @typedef {import('./metadata-types.js').PhotoRecipe} PhotoRecipe
 * @typedef {{pixels: Float32Array, reason?: undefined} | {pixels: null, reason: string}} Preprocessed
 */

/**
 * Drawing -> model-ready image, following the model's drawing recipe.
 * @param {ArrayLike<number>} ink 0..255 per pixel, row-major
 * @param {number} width
 * @param {number} height
 * @param {DrawingRecipe} recipe metadata.preprocessing.drawing
 * @param {number} size metadata.input.image_size
 * @returns {Preprocessed} `pixels` is size^2 values 0..255; null (with a reason)
 *   for a blank pad ('blank') or a mark too small to be a drawing ('too-small').
 */
export function preprocessDrawing(ink, width, height, recipe, size) {
  const bounds = inkBounds(ink, width, height, recipe.ink_threshold * 255);
  if (!bounds) return { pixels: null, reason: 'blank' };
  if (Math.max(bounds.w, bounds.h) < recipe.min_extent * Math.min(width, height)) {
    return { pixels: null, reason: 'too-small' };
  }
  const scale = recipe.fit_box / Math.max(bounds.w, bounds.h);
  const w = Math.max(1, Math.round(bounds.w * scale));
  const h = Math.max(1, Math.round(bounds.h * scale));
  const small = resizeArea(ink, width, bounds, w, h);
  let dx, dy;
  if (recipe.center === 'mass') {
    const com = centerOfMass(small, w, h);
    dx = Math.round(Number(recipe.mass_center) - com.x);
    dy = Math.round(Number(recipe.mass_center) - com.y);
  } else {
    dx = Math.floor((size - w) / 2);
    dy = Math.floor((size - h) / 2);
  }
  const pixels = new Float32Array(size * size);
  for (let y = 0; y < h; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= size) continue;
    for (let x = 0; x < w; x++) {
      const tx = x + dx;
      if (tx >= 0 && tx < size) pixels[ty * size + tx] = Math.min(255, small[y * w + x]);
    }
  }
  return { pixels };
}

/**
 * RGBA pixels -> luminance with the recipe's weights.
 * @param {ArrayLike<number>} rgba 4 values 0..255 per pixel
 * @param {PhotoRecipe} recipe metadata.preprocessing.photo
 * @returns {Float32Array} one value 0..255 per pixel
 */
export function toGray(rgba, recipe) {
  const [r, g, b] = recipe.luma;
  const gray = new Float32Array(rgba.length / 4);
  for (let i = 0; i < gray.length; i++) gray[i] = r * rgba[i * 4] + g * rgba[i * 4 + 1] + b * rgba[i * 4 + 2];
  return gray;
}

/**
 * A photo (grayscale) -> a dataset-like image: light object on a dark background.
 *
 * The background level is estimated from the border; a light background
 * (above `invert_above`) is inverted. Contrast is stretched from the background
 * to the brightest pixel, then the object is cropped, scaled and centred like a
 * drawing.
 * @param {ArrayLike<number>} gray luminance 0..255 per pixel, row-major
 * @param {number} width
 * @param {number} height
 * @param {{drawing: DrawingRecipe, photo: PhotoRecipe}} recipes metadata.preprocessing
 * @param {number} size metadata.input.image_size
 * @returns {Preprocessed & {inverted?: boolean}} reason: 'flat' (one colour,
 *   below `min_contrast`: nothing to see) or 'too-small'
 */
export function preprocessPhoto(gray, width, height, recipes, size) {
  const { photo, drawing } = recipes;
  let border = 0, count = 0;
  for (let x = 0; x < width; x++) { border += gray[x] + gray[(height - 1) * width + x]; count += 2; }
  for (let y = 0; y < height; y++) { border += gray[y * width] + gray[y * width + width - 1]; count += 2; }
  const inverted = border / count > photo.invert_above;
  const value = (/** @type {number} */ g) => (inverted ? 255 - g : g);
  const background = value(border / count);
  let top = 0;
  for (let i = 0; i < gray.length; i++) top = Math.max(top, value(gray[i]));
  if (top - background < photo.min_contrast) return { pixels: null, reason: 'flat' };
  const ink = new Float32Array(gray.length);
  for (let i = 0; i < gray.length; i++) {
    ink[i] = Math.max(0, Math.min(255, ((value(gray[i]) - background) * 255) / (top - background)));
  }
  const result = preprocessDrawing(ink, width, height, drawing, size);
  return result.pixels ? { pixels: result.pixels, inverted } : result;
}
