/**
 * Horizontal probability bars, one per class, highlighted at the top class.
 */
export class ProbBars {
  /**
   * @param {HTMLElement} container
   * @param {string[]} labels class names, in output order
   */
  constructor(container, labels) {
    this.container = container;
    this.container.replaceChildren();
    this.rows = labels.map((label) => {
      const row = document.createElement('div');
      row.className = 'dl-bar';
      row.innerHTML = '<span class="dl-bar-label"></span><span class="dl-bar-track"><span class="dl-bar-fill"></span></span><span class="dl-bar-value"></span>';
      row.querySelector('.dl-bar-label').textContent = label;
      row.setAttribute('role', 'meter');
      row.setAttribute('aria-label', `probability of ${label}`);
      row.setAttribute('aria-valuemin', '0');
      row.setAttribute('aria-valuemax', '100');
      container.append(row);
      return row;
    });
    this.update(null);
  }

  /** @param {number[]|null} probs one probability per label, or null to empty the bars */
  update(probs) {
    const top = probs ? probs.indexOf(Math.max(...probs)) : -1;
    this.rows.forEach((row, i) => {
      const p = probs ? probs[i] : 0;
      row.querySelector('.dl-bar-fill').style.width = `${(p * 100).toFixed(1)}%`;
      row.querySelector('.dl-bar-value').textContent = probs ? `${(p * 100).toFixed(1)}%` : '';
      row.classList.toggle('dl-bar-top', i === top);
      row.setAttribute('aria-valuenow', (p * 100).toFixed(1));
    });
  }
}
