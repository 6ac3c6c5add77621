"""A map drawn as SVG (`render.svgmap`) in a Streamlit component: a click on an area, or
Enter or Space on it, reruns the page with its area code. No WebGL and no deck.gl bundle, so
a screen with a map is complete as soon as its text is.

With `zoom` (the Kaart) the map also zooms and pans inside the frame it was drawn for: the
mouse wheel zooms around the pointer, dragging pans, the buttons (or +, - and 0 on the map)
zoom in, out and back to the whole map. Lines and labels keep their size on screen."""

from __future__ import annotations

import streamlit as st

_CSS = """
[role="button"] { cursor: pointer; }
.focusrand { fill: none; stroke: #111111; stroke-width: 4px; vector-effect: non-scaling-stroke;
  pointer-events: none; }
[role="button"]:hover, [role="button"]:focus-visible { stroke: #0072b2; stroke-width: 3px;
  vector-effect: non-scaling-stroke; outline: none; }
.zoom { position: relative; }
.zoom svg { touch-action: none; cursor: grab; }
.knoppen { position: absolute; top: 8px; right: 8px; display: flex; flex-direction: column;
  gap: 4px; }
.knoppen button { font: inherit; font-size: 20px; line-height: 1; width: 40px; height: 40px;
  border: 1px solid #555; border-radius: 4px; background: #fff; color: #111; cursor: pointer; }
.knoppen button:focus-visible { outline: 3px solid #0072b2; outline-offset: 1px; }
"""
# The SVG arrives as data (escaped when it was drawn); the script only places it and listens.
_JS = """
const STYLE = `%s`;
export default function ({ data, parentElement, setTriggerValue }) {
  if (parentElement.__svg !== data.svg) {
    const knoppen = data.zoom ? KNOPPEN : '';
    parentElement.innerHTML = `<style>${STYLE}</style><div class="${data.zoom ? 'zoom' : ''}">`
      + data.svg + knoppen + '</div>';
    parentElement.__svg = data.svg;
    if (data.zoom) zoomable(parentElement);
  }
  // The area in focus outlined on top of its neighbours (a copy that takes no clicks).
  parentElement.querySelectorAll('.focusrand').forEach((el) => el.remove());
  const chosen = Array.from(parentElement.querySelectorAll('.gebied'))
    .find((el) => el.dataset.code === data.focus);
  if (chosen) {
    const edge = chosen.cloneNode(false);
    edge.setAttribute('class', 'focusrand');
    ['data-code', 'role', 'tabindex', 'aria-label'].forEach((a) => edge.removeAttribute(a));
    edge.setAttribute('aria-hidden', 'true');
    chosen.parentNode.appendChild(edge);  // under the hatching and the names
  }
  parentElement.__trigger = setTriggerValue;  // the latest run's
  if (parentElement.__listening) return;
  parentElement.__listening = true;
  const pick = (e) => {
    const area = e.target.closest && e.target.closest('[role="button"][data-code]');
    if (!area || parentElement.__dragged) return;
    if (e.type === 'keydown' && e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    parentElement.__trigger('pick', area.dataset.code);
  };
  parentElement.addEventListener('click', pick);
  parentElement.addEventListener('keydown', pick);
}
"""
# Zoom and pan: the viewBox moves inside the one the map was drawn with (never beyond it, so
# no empty border shows), from the whole map to a sixteenth of its width.
_ZOOM = """
const KNOPPEN = '<div class="knoppen"><button type="button" data-zoom="in" '
  + 'aria-label="Inzoomen" title="Inzoomen">+</button><button type="button" data-zoom="out" '
  + 'aria-label="Uitzoomen" title="Uitzoomen">\u2212</button><button type="button" '
  + 'data-zoom="reset" aria-label="Hele kaart" title="Hele kaart">\u2302</button></div>';
function zoomable(root) {
  const svg = root.querySelector('svg');
  const [x0, y0, w0, h0] = svg.getAttribute('viewBox').split(' ').map(Number);
  // Line widths and label sizes stay the same on screen while zoomed.
  const sizes = ['stroke-width', 'font-size'].flatMap((a) => Array.from(
    svg.querySelectorAll(`[${a}]`)).map((el) => [el, a, Number(el.getAttribute(a))]));
  let box = { x: x0, y: y0, w: w0, h: h0 };
  const set = (b) => {
    const w = Math.min(w0, Math.max(w0 / 16, b.w));
    const h = w * h0 / w0;
    const x = Math.min(x0 + w0 - w, Math.max(x0, b.x));
    const y = Math.min(y0 + h0 - h, Math.max(y0, b.y));
    box = { x, y, w, h };
    svg.setAttribute('viewBox', `${x} ${y} ${w} ${h}`);
    sizes.forEach(([el, a, v]) => el.setAttribute(a, v * w / w0));
  };
  const zoomAt = (k, fx = 0.5, fy = 0.5) => {
    const mx = box.x + fx * box.w, my = box.y + fy * box.h;
    set({ x: mx - (mx - box.x) * k, y: my - (my - box.y) * k, w: box.w * k, h: box.h * k });
  };
  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = svg.getBoundingClientRect();
    const fx = (e.clientX - r.left) / r.width, fy = (e.clientY - r.top) / r.height;
    zoomAt(e.deltaY < 0 ? 0.8 : 1.25, fx, fy);
  }, { passive: false });
  let drag = null;
  svg.addEventListener('pointerdown', (e) => {
    drag = { cx: e.clientX, cy: e.clientY, box: { ...box }, moved: false };
    root.__dragged = false;
  });
  svg.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    const dx = e.clientX - drag.cx, dy = e.clientY - drag.cy;
    if (!drag.moved && Math.hypot(dx, dy) < 5) return;
    if (!drag.moved) svg.setPointerCapture(e.pointerId);
    drag.moved = true;
    root.__dragged = true;  // the click that ends a drag chooses nothing
    set({ ...drag.box, x: drag.box.x - dx / r.width * drag.box.w,
      y: drag.box.y - dy / r.height * drag.box.h });
  });
  const end = () => { drag = null; setTimeout(() => { root.__dragged = false; }, 0); };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', end);
  const act = (how) => how === 'in' ? zoomAt(0.5) : how === 'out' ? zoomAt(2)
    : set({ x: x0, y: y0, w: w0, h: h0 });
  root.querySelectorAll('[data-zoom]').forEach((b) => b.addEventListener('click', (e) => {
    e.stopPropagation();
    act(b.dataset.zoom);
  }));
  svg.addEventListener('keydown', (e) => {
    const how = { '+': 'in', '=': 'in', '-': 'out', '0': 'reset' }[e.key];
    const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1],
      ArrowDown: [0, 1] }[e.key];
    if (how) { e.preventDefault(); act(how); }
    if (step && box.w < w0) {  // pan a fifth of the view (zoomed in only)
      e.preventDefault();
      set({ ...box, x: box.x + step[0] * box.w / 5, y: box.y + step[1] * box.h / 5 });
    }
  });
}
"""
_component = st.components.v2.component("svgkaart", js=_ZOOM + _JS % _CSS)


def show(svg: str, key: str | None = None, focus: str | None = None, zoom: bool = False) -> None:
    """Draw the map, the area `focus` outlined, zoomable with `zoom`; on a map whose areas are
    buttons (`svgmap.svg(choose=True)`) the area chosen is read with `picked(key)` at the top
    of the run it triggers."""
    data = {"svg": svg, "focus": focus, "zoom": zoom}
    _component(data=data, key=key, on_pick_change=lambda: None)


def picked(key: str) -> str | None:
    """The area code clicked on the map with this `key` in the run it triggered."""
    state = st.session_state.get(key) or {}
    code = state.get("pick") if hasattr(state, "get") else None
    return code if isinstance(code, str) else None
