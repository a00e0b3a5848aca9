/**
 * DOM building without markup strings: every value goes in as a text node or an attribute, never
 * through innerHTML, so attacker-controlled SIP headers from the API cannot become markup.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

/** Sets props on a node: `text`, `class`, `on<event>` listeners, `dataset`, else attributes. */
function assign(node, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.setAttribute('class', value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
}

/** An HTML element; children are nodes or strings (strings become text nodes). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  assign(node, props);
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)));
  return node;
}

/** A table cell whose content sits in one box (so a stacked, labelled cell on a phone keeps it together). */
export function cell(props = {}, ...children) {
  return el('td', props, el('div', { class: 'cell' }, ...children));
}

/**
 * Runs `redraw` (which replaces rows of `container`) and puts the keyboard focus back on the same
 * control: the element with the same `data-action` inside the row with the same `data-key`.
 */
export function keepingFocus(container, redraw) {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && container.contains(active) ? active.closest('[data-key]')?.getAttribute('data-key') : null;
  const action = key ? active.getAttribute('data-action') : null;
  redraw();
  if (key && action) container.querySelector(`[data-key="${CSS.escape(key)}"] [data-action="${CSS.escape(action)}"]`)?.focus();
}

/** An SVG element. */
export function svg(tag, props = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  assign(node, props);
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/** The element with this id (throws when the page lacks it: a programming error). */
export function byId(id) {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`missing #${id}`);
  return node;
}
