// @ts-check
/**
 * "That doesn't look like a digit": the verdict on one prediction, from metadata.json's "verdict".
 *
 * The pipeline chose the method and the threshold on validation data (train/verdict.py);
 * this only applies them. No DOM.
 */

/**
 * @typedef {Pick<import('./metadata-types.js').Verdict, 'method' | 'threshold' | 'output' | 'labels'>} VerdictSpec
 *   what the browser needs of metadata.verdict
 * @typedef {{score: number, rejected: boolean, label: string}} Verdict
 */

/**
 * @param {VerdictSpec | undefined} spec metadata.verdict (a model without one always accepts)
 * @param {ArrayLike<number>} outputs the model's outputs (probabilities) for one input
 * @param {number} classes how many of them are class probabilities (metadata.class_names.length)
 * @param {number} [energy] -log(sum(exp(logits))) over the classes, for the 'energy' method
 * @returns {Verdict | null} null when the model has no verdict
 */
export function judge(spec, outputs, classes, energy) {
  if (!spec) return null;
  let score;
  if (spec.method === 'reject-output') {
    score = outputs[/** @type {number} */ (spec.output)];
  } else if (spec.method === 'energy') {
    if (energy === undefined) throw new Error('the energy method needs the logits');
    score = energy;
  } else if (spec.method === 'max-probability') {
    let top = 0;
    for (let i = 0; i < classes; i++) top = Math.max(top, outputs[i]);
    score = 1 - top;
  } else {
    throw new Error(`unknown verdict method ${spec.method}`);
  }
  const rejected = score > spec.threshold;
  return { score, rejected, label: rejected ? spec.labels.reject : spec.labels.accept };
}

/**
 * The energy of logits: -log(sum(exp(z))), computed stably.
 * @param {ArrayLike<number>} logits
 * @returns {number}
 */
export function energyOf(logits) {
  let top = -Infinity;
  for (let i = 0; i < logits.length; i++) top = Math.max(top, logits[i]);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - top);
  return -(top + Math.log(sum));
}
