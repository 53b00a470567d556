/**
 * "What the network sees": the feature maps of every convolution and pooling
 * layer as small heat maps, and the output layer, for the current input.
 */
const MAX_MAPS = 8;

/** A dark-to-bright colour map (black, purple, orange, yellow), readable in both palettes. */
function heat(t) {
  const stops = [[0, 0, 4], [120, 28, 109], [237, 105, 37], [252, 255, 164]];
  const x = Math.min(0.999, Math.max(0, t)) * (stops.length - 1);
  const i = Math.floor(x), f = x - i;
  return stops[i].map((c, k) => Math.round(c + (stops[i + 1][k] - c) * f));
}

export class ActivationViewer {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    container.classList.add('dl-activations');
    container.innerHTML = `
      <label class="dl-toggle"><input type="checkbox" data-role="activations-toggle"> Show what the network sees (feature maps)</label>
      <p class="dl-activations-note" hidden></p>
      <div class="dl-activation-layers" data-role="activation-layers" hidden></div>`;
    this.toggle = container.querySelector('[data-role="activations-toggle"]');
    this.note = container.querySelector('.dl-activations-note');
    this.panels = container.querySelector('[data-role="activation-layers"]');
    // Off by default on small screens, where the maps would crowd the pad.
    this.toggle.checked = !window.matchMedia('(max-width: 44em)').matches;
    this.toggle.addEventListener('change', () => {
      this.panels.hidden = !this.enabled;
      this.container.dispatchEvent(new Event('toggle'));
    });
    this.layers = null;
  }

  get enabled() {
    return this.toggle.checked && !!this.layers;
  }

  /** @param {Array<{name: string, className: string, shape: number[]}>|null} layers */
  setLayers(layers) {
    this.layers = layers;
    this.note.hidden = !!layers;
    this.note.textContent = layers ? '' : 'This model has no convolution layers: choose a CNN to see its feature maps.';
    this.panels.hidden = !this.enabled;
    this.panels.replaceChildren();
    this.canvases = (layers || []).map((layer) => {
      const panel = document.createElement('section');
      panel.className = 'dl-activation-layer';
      panel.dataset.role = 'activation-layer';
      panel.dataset.layer = layer.name;
      panel.dataset.kind = layer.className;
      const title = document.createElement('h4');
      title.textContent = `${layer.name} · ${layer.className} · ${layer.shape.join('×')}`;
      panel.append(title);
      const maps = document.createElement('div');
      maps.className = 'dl-activation-maps';
      const count = layer.shape.length === 3 ? Math.min(MAX_MAPS, layer.shape[2]) : 1;
      const list = [];
      for (let c = 0; c < count; c++) {
        const canvas = document.createElement('canvas');
        [canvas.width, canvas.height] = layer.shape.length === 3 ? [layer.shape[1], layer.shape[0]] : [layer.shape[0], 1];
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', layer.shape.length === 3 ? `${layer.name}, feature map ${c + 1}` : `${layer.name}, outputs`);
        maps.append(canvas);
        list.push(canvas);
      }
      panel.append(maps);
      this.panels.append(panel);
      return list;
    });
  }

  /** @param {Float32Array[]|null} activations one flat array per layer, channels last */
  show(activations) {
    if (!this.enabled || !activations) return;
    this.layers.forEach((layer, k) => {
      const data = activations[k];
      const channels = layer.shape.length === 3 ? layer.shape[2] : 1;
      this.canvases[k].forEach((canvas, c) => {
        const { width, height } = canvas;
        let lo = Infinity, hi = -Infinity;
        for (let p = 0; p < width * height; p++) {
          const v = data[p * channels + c];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        const ctx = canvas.getContext('2d');
        const image = ctx.createImageData(width, height);
        for (let p = 0; p < width * height; p++) {
          const [r, g, b] = heat(hi > lo ? (data[p * channels + c] - lo) / (hi - lo) : 0);
          image.data.set([r, g, b, 255], p * 4);
        }
        ctx.putImageData(image, 0, 0);
      });
    });
  }
}
