// @ts-check
/**
 * Material's palette as the widgets paint with it, read when drawing: the reader can switch
 * between the light and dark palettes at any time, and every canvas and chart repaints.
 */

/** Colours of data series (lines, bars), readable on both palettes. */
export const SERIES_COLORS = ['#e65100', '#1e88e5', '#43a047', '#8e24aa', '#00897b', '#6d4c41'];

/**
 * The palette's colours now (Material's CSS variables, with the light palette's values if unset).
 * @returns {{text: string, light: string, grid: string, accent: string, primary: string, font: string}}
 */
export function themeColors() {
  const style = getComputedStyle(document.body);
  const pick = (/** @type {string} */ name, /** @type {string} */ fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: pick('--md-default-fg-color', 'rgba(0, 0, 0, 0.87)'),
    light: pick('--md-default-fg-color--light', 'rgba(0, 0, 0, 0.54)'),
    grid: pick('--md-default-fg-color--lightest', 'rgba(0, 0, 0, 0.07)'),
    accent: pick('--md-accent-fg-color', '#ffab00'),
    primary: pick('--md-primary-fg-color', '#ff5722'),
    font: style.fontFamily || 'sans-serif',
  };
}

/**
 * Call `repaint` whenever the reader switches palette.
 * @param {() => void} repaint
 * @returns {() => void} stops watching
 */
export function onPaletteChange(repaint) {
  const observer = new MutationObserver(() => repaint());
  observer.observe(document.body, { attributes: true, attributeFilter: ['data-md-color-scheme'] });
  return () => observer.disconnect();
}
