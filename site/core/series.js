// @ts-check
/**
 * Series of points as the live charts keep them: bounded, whatever the length of a run. No DOM.
 */

/** @typedef {{x: number, y: number}} Point */

/**
 * At most ``max`` points: when over, each pair of neighbours becomes its mean (so a run's curve
 * keeps its shape and its average, with half the points).
 * @param {Point[]} points
 * @param {number} max
 * @returns {Point[]}
 */
export function decimated(points, max) {
  if (points.length <= max) return points;
  const out = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    out.push({ x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 });
  }
  if (points.length % 2) out.push(points[points.length - 1]);
  return out;
}
