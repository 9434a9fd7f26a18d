/* flowmap report, part 2 of 5: building elements.
   html.py joins the parts, in order, inside one function: they share its scope.
   Every string from the map goes into the page through textContent, never as markup. */

// -- building elements: text only ever through textContent ---------------------------

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
function add(parent, ...children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return parent;
}
/** The URL when it is an absolute http(s) address, else null. */
function safeUrl(url) {
  if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch (e) {
    return null;
  }
}
function link(url, text) {
  const href = safeUrl(url);
  if (!href) return el("span", null, text);
  const a = el("a", null, text);
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}
function button(text, onClick, cls) {
  const b = el("button", cls || "fm-link", text);
  b.type = "button";
  b.addEventListener("click", (event) => { event.stopPropagation(); onClick(); });
  return b;
}
function badge(status) { return el("span", "fm-badge fm-st-" + status, STATUS[status] || status); }
function fact(dl, term, ...value) {
  if (value.length === 0 || value.every((v) => v === null || v === undefined || v === "")) return;
  add(dl, el("dt", null, term), add(el("dd"), ...value));
}
function section(parent, title, count) {
  parent.append(el("h4", null, count === undefined ? title : title + " (" + count + ")"));
}
