/* flowmap report, part 4 of 5: pan and zoom, and the drawing's mouse and keyboard.
   html.py joins the parts, in order, inside one function: they share its scope.
   Every string from the map goes into the page through textContent, never as markup. */

// -- pan and zoom ------------------------------------------------------------------------------

const base = svg ? { x: svg.viewBox.baseVal.x, y: svg.viewBox.baseVal.y,
                     w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height } : null;
/** CSS pixels per point at most when fitted (1.33 is the drawing's own size), so that a
    small map is not blown up to fill the box. */
const MAX_FIT_SCALE = 1.34;

/** The whole drawing, centred, at no more than MAX_FIT_SCALE. */
function home() {
  const r = viewport.getBoundingClientRect();
  const k = Math.min(r.width / base.w, r.height / base.h);
  if (!(k > MAX_FIT_SCALE)) return Object.assign({}, base);
  const w = r.width / MAX_FIT_SCALE;
  const h = r.height / MAX_FIT_SCALE;
  return { x: base.x + base.w / 2 - w / 2, y: base.y + base.h / 2 - h / 2, w, h };
}
let view = base ? Object.assign({}, base) : null;

function apply() {
  svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map((v) => v.toFixed(2)).join(" "));
}
function scale() {
  const m = svg.getScreenCTM();
  return m && m.a ? m.a : 1;
}
function toSvg(clientX, clientY) {
  const m = svg.getScreenCTM();
  if (!m) return { x: view.x + view.w / 2, y: view.y + view.h / 2 };
  const p = new DOMPoint(clientX, clientY).matrixTransform(m.inverse());
  return { x: p.x, y: p.y };
}
function zoom(factor, clientX, clientY) {
  const w = Math.min(base.w * 4, Math.max(base.w / 30, view.w / factor));
  const f = view.w / w;
  const p = clientX === undefined ? { x: view.x + view.w / 2, y: view.y + view.h / 2 }
                                  : toSvg(clientX, clientY);
  view = { x: p.x - (p.x - view.x) / f, y: p.y - (p.y - view.y) / f, w: view.w / f, h: view.h / f };
  apply();
}
function pan(dx, dy) {
  const s = scale();
  view.x -= dx / s;
  view.y -= dy / s;
  apply();
}
/** The whole map; or, while filters hide part of it, what is left (zoomed in at most 3x). */
function fit() {
  const whole = home();
  view = whole;
  apply();
  if (!filtered) return;
  const shown = Array.from(svg.querySelectorAll(".fm-item"))
    .filter((g) => !g.classList.contains("fm-hidden"))
    .map((g) => g.getBoundingClientRect()).filter((r) => r.width || r.height);
  if (!shown.length) return;
  const a = toSvg(Math.min(...shown.map((r) => r.left)), Math.min(...shown.map((r) => r.top)));
  const b = toSvg(Math.max(...shown.map((r) => r.right)), Math.max(...shown.map((r) => r.bottom)));
  const pad = 0.08;
  let w = (b.x - a.x) * (1 + 2 * pad);
  let h = (b.y - a.y) * (1 + 2 * pad);
  const k = Math.max(w / whole.w, h / whole.h, 1 / 3);
  w = whole.w * k;
  h = whole.h * k;
  view = { x: (a.x + b.x) / 2 - w / 2, y: (a.y + b.y) / 2 - h / 2, w, h };
  apply();
}

/** Pan (and zoom out if need be) so that the element is in view. */
function reveal(id) {
  const g = elements[id];
  if (!g || g.classList.contains("fm-hidden")) return;
  const r = g.getBoundingClientRect();
  const v = viewport.getBoundingClientRect();
  if (r.left >= v.left && r.right <= v.right && r.top >= v.top && r.bottom <= v.bottom) return;
  if (r.width > v.width * 0.9 || r.height > v.height * 0.9) { fit(); return; }
  const c = toSvg(r.left + r.width / 2, r.top + r.height / 2);
  const middle = toSvg(v.left + v.width / 2, v.top + v.height / 2);
  view.x += c.x - middle.x;
  view.y += c.y - middle.y;
  apply();
}

if (svg) {
  $("fm-zoom-in").addEventListener("click", () => zoom(1.4));
  $("fm-zoom-out").addEventListener("click", () => zoom(1 / 1.4));
  $("fm-zoom-fit").addEventListener("click", fit);
  viewport.addEventListener("wheel", (event) => {
    event.preventDefault();
    const step = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    zoom(Math.exp(-step * 0.0015), event.clientX, event.clientY);
  }, { passive: false });

  let drag = null;
  let dragged = false;
  viewport.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, id: event.pointerId, moved: false };
    dragged = false;
  });
  viewport.addEventListener("pointermove", (event) => {
    if (!drag || event.pointerId !== drag.id) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) {
      drag.moved = true;
      viewport.setPointerCapture(event.pointerId);
      viewport.classList.add("fm-dragging");
    }
    pan(dx, dy);
    drag.x = event.clientX;
    drag.y = event.clientY;
  });
  const endDrag = () => {
    if (drag && drag.moved) dragged = true;
    drag = null;
    viewport.classList.remove("fm-dragging");
  };
  viewport.addEventListener("pointerup", endDrag);
  viewport.addEventListener("pointercancel", endDrag);

  svg.addEventListener("click", (event) => {
    if (dragged) { dragged = false; return; }
    const g = event.target.closest(".fm-item");
    if (g && selectionOf[g.id]) select(selectionOf[g.id]);
    else if (!g) select(null);
  });
  svg.addEventListener("keydown", (event) => {
    const g = event.target.closest && event.target.closest(".fm-item");
    if (!g || !selectionOf[g.id]) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      select(selectionOf[g.id]);
    }
  });
  svg.addEventListener("focusin", (event) => {
    const g = event.target.closest && event.target.closest(".fm-item");
    if (g) reveal(g.id);
  });

  // hovering previews an element's details; leaving restores the selection
  let hovered = null;
  let timer = 0;
  const preview = () => {
    const sel = hovered ? selectionOf[hovered.id] : null;
    const same = sel && selected && scope(sel).element === scope(selected).element;
    if (!sel || same) endPreview();
    else showPreview(sel);
  };
  svg.addEventListener("mouseover", (event) => {
    const g = event.target.closest(".fm-item");
    if (g === hovered || drag) return;
    hovered = g;
    clearTimeout(timer);
    timer = setTimeout(preview, g ? 120 : 250);
  });
  svg.addEventListener("mouseleave", () => {
    hovered = null;
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  });

  window.addEventListener("beforeprint", () => {
    svg.dataset.view = svg.getAttribute("viewBox");
    fit();
  });
  window.addEventListener("afterprint", () => {
    if (svg.dataset.view) svg.setAttribute("viewBox", svg.dataset.view);
  });
}
