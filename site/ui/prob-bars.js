// @ts-check
import { find } from './dom.js';

/**
 * Horizontal probability bars: one per class in output order, or (with `topK`)
 * only the k most probable classes, sorted, highest first.
 */
export class ProbBars {
  /**
   * @param {HTMLElement} container
   * @param {string[]} labels class names, in output order
   * @param {number} [topK] show only the k most probable classes
   */
  constructor(container, labels, topK) {
    this.container = container;
    this.labels = labels;
    this.topK = topK;
    container.replaceChildren();
    this.rows = Array.from({ length: topK ?? labels.length }, (_, i) => {
      const row = document.createElement('div');
      row.className = 'dl-bar';
      row.innerHTML = '<span class="dl-bar-label"></span><span class="dl-bar-track"><span class="dl-bar-fill"></span></span><span class="dl-bar-value"></span>';
      row.setAttribute('role', 'meter');
      row.setAttribute('aria-valuemin', '0');
      row.setAttribute('aria-valuemax', '100');
      if (!topK) this.setLabel(row, labels[i]);
      container.append(row);
      return row;
    });
    this.update(null);
  }

  /**
   * @param {HTMLElement} row
   * @param {string} label
   */
  setLabel(row, label) {
    find(row, '.dl-bar-label', HTMLElement).textContent = label;
    row.setAttribute('aria-label', `probability of ${label}`);
  }

  /** @param {number[]|null} probs one probability per class, or null to empty the bars */
  update(probs) {
    const order = probs ? [...probs.keys()].sort((a, b) => probs[b] - probs[a]) : [...this.labels.keys()];
    const top = probs ? order[0] : -1;
    this.rows.forEach((row, i) => {
      const cls = this.topK ? order[i] : i;
      if (this.topK) this.setLabel(row, probs ? this.labels[cls] : '');
      const p = probs ? probs[cls] : 0;
      find(row, '.dl-bar-fill', HTMLElement).style.width = `${(p * 100).toFixed(1)}%`;
      find(row, '.dl-bar-value', HTMLElement).textContent = probs ? `${(p * 100).toFixed(1)}%` : '';
      row.classList.toggle('dl-bar-top', cls === top);
      row.setAttribute('aria-valuenow', (p * 100).toFixed(1));
    });
  }
}
