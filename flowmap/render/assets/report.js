/* flowmap report, part 5 of 5: filters, selection, the tables, and start-up.
   html.py joins the parts, in order, inside one function: they share its scope.
   Every string from the map goes into the page through textContent, never as markup. */

// -- filters -------------------------------------------------------------------------------

let visibleFlows = new Set(flowIds);
let filtered = false;

function readFilters() {
  const unchecked = form.querySelectorAll('input[name="status"]:not(:checked)');
  return {
    excluded: new Set(Array.from(unchecked, (input) => input.value)),
    org: $("fm-org").value,
    category: $("fm-cat").value,
    authority: $("fm-auth").value,
    dpup: $("fm-dpup") ? $("fm-dpup").value : "",
    query: $("fm-q").value.trim().toLowerCase(),
  };
}

function matches(id, flt) {
  const f = flows[id];
  if (flt.excluded.has(f.status)) return false;
  if (flt.org && f.from !== flt.org && f.to !== flt.org) return false;
  if (flt.category && !categories[id].some(
    (c) => c === flt.category || c.startsWith(flt.category + "."))) return false;
  if (flt.authority === NO_BASIS && f.basis.length > 0) return false;
  if (flt.authority && flt.authority !== NO_BASIS && !f.basis.includes(flt.authority)) return false;
  if (flt.dpup && !(flt.dpup === "any" ? f.dpup.length : f.dpup.includes(flt.dpup))) return false;
  return hasWords(haystack[id], flt.query);
}

/** Whether ``text`` holds every word of ``query`` (an empty query matches). */
function hasWords(text, query) {
  return !query || query.split(/\s+/).every((word) => text.includes(word));
}

function applyFilters() {
  const flt = readFilters();
  const narrowed = flt.excluded.size > 0 || flt.org || flt.category || flt.authority || flt.dpup;
  const active = narrowed || flt.query;
  visibleFlows = new Set(flowIds.filter((id) => matches(id, flt)));
  const shownEdges = new Set(Array.from(visibleFlows, (id) => flows[id].edge));
  svg.classList.toggle("fm-lens", Boolean(flt.dpup));  // the policy lens colours what it keeps
  for (const edge of Object.keys(edgeFlows)) {
    if (elements[edge]) elements[edge].classList.toggle("fm-hidden", !shownEdges.has(edge));
  }
  const shownOrgs = new Set(flt.org ? [flt.org] : []);
  for (const id of visibleFlows) { shownOrgs.add(flows[id].from); shownOrgs.add(flows[id].to); }
  for (const id of Object.keys(orgs)) {
    const g = elements["org-" + id];
    if (g) g.classList.toggle("fm-hidden", Boolean(active) && !shownOrgs.has(id));
  }
  for (const c of clusters) {
    const empty = !c.members.some((id) => shownOrgs.has(id));
    c.box.classList.toggle("fm-hidden", Boolean(active) && empty);
  }
  filtered = Boolean(active);
  for (const id of Object.keys(registerRows)) {
    registerRows[id].classList.toggle("fm-hidden", !visibleFlows.has(id));
  }
  let findingsShown = 0;
  for (const tr of findingRows) {
    const x = data.findings[Number(tr.dataset.finding)];
    let show;
    if (x.subject.kind === "flow" && flows[x.subject.id]) {
      show = visibleFlows.has(x.subject.id);
    } else {
      const orgShown = x.subject.kind === "organisation" && active && shownOrgs.has(x.subject.id);
      show = orgShown || (!narrowed && hasWords(findingText(x), flt.query));
    }
    tr.classList.toggle("fm-hidden", !show);
    if (show) findingsShown += 1;
  }
  const shown = $("fm-shown");
  shown.replaceChildren();
  if (active) {
    add(shown, el("strong", null, visibleFlows.size), " of " + flowIds.length + " flows shown");
  } else {
    add(shown, "All ", el("strong", null, flowIds.length), " flows shown");
  }
  $("fm-register-n").textContent = active ? visibleFlows.size + " of " + flowIds.length
                                          : String(flowIds.length);
  $("fm-findings-n").textContent = active ? findingsShown + " of " + findingRows.length
                                          : String(findingRows.length);
}

form.addEventListener("input", applyFilters);
form.addEventListener("change", applyFilters);
form.addEventListener("submit", (event) => event.preventDefault());
form.addEventListener("reset", () => setTimeout(applyFilters, 0));
const onlyUnjustified = $("fm-only-unjustified");
if (onlyUnjustified) {
  onlyUnjustified.addEventListener("click", () => {
    for (const box of form.querySelectorAll('input[name="status"]')) {
      box.checked = box.value === "unjustified";
    }
    applyFilters();
  });
}
$("fm-close").addEventListener("click", () => select(null));

// -- selection and highlighting ---------------------------------------------------------------

let selected = null;

/** The element, flows, organisations and findings a selection concerns. */
function scope(sel) {
  if (!sel) return null;
  if (sel.kind === "flow") {
    const f = flows[sel.id];
    return { element: f.edge, flows: [sel.id], orgs: [f.from, f.to], findings: f.findings };
  }
  if (sel.kind === "edge") {
    const ids = edgeFlows[sel.id] || [];
    const f = flows[ids[0]];
    return { element: sel.id, flows: ids, orgs: f ? [f.from, f.to] : [],
             findings: ids.flatMap((id) => flows[id].findings) };
  }
  if (sel.kind === "org") {
    const ids = flowIds.filter((id) => flows[id].from === sel.id || flows[id].to === sel.id);
    return { element: "org-" + sel.id, flows: ids, related: true,
             orgs: ids.flatMap((id) => [flows[id].from, flows[id].to]),
             findings: orgs[sel.id].findings };
  }
  return { element: null, flows: [], orgs: [], findings: [sel.id] };
}

function highlight(sel) {
  for (const node of document.querySelectorAll(".fm-selected, .fm-related")) {
    node.classList.remove("fm-selected", "fm-related");
  }
  const s = scope(sel);
  if (svg) svg.classList.toggle("fm-has-selection", Boolean(s && s.element && elements[s.element]));
  if (!s) return;
  for (const o of s.orgs) {
    if (elements["org-" + o]) elements["org-" + o].classList.add("fm-related");
  }
  for (const id of s.flows) {
    if (s.related && elements[flows[id].edge]) elements[flows[id].edge].classList.add("fm-related");
    if (registerRows[id]) registerRows[id].classList.add(s.related ? "fm-related" : "fm-selected");
  }
  if (s.element && elements[s.element]) {
    elements[s.element].classList.remove("fm-related");
    elements[s.element].classList.add("fm-selected");
  }
  for (const n of s.findings) {
    const row = findingRows[n];
    const chosen = n === sel.finding || sel.kind === "finding";
    if (row) row.classList.add(chosen ? "fm-selected" : "fm-related");
  }
}

function select(sel, options) {
  const opts = options || {};
  selected = sel;
  highlight(sel);
  showDetails(sel, false);
  $("fm-close").hidden = !sel;
  const title = detailsBody.querySelector(".fm-d-title");
  $("fm-announce").textContent = sel && title ? "Details: " + title.textContent : "";
  const s = scope(sel);
  if (s && s.element && opts.reveal) reveal(s.element);
  if (sel && sel.finding !== undefined) {
    const card = detailsBody.querySelector('.fm-card[data-finding="' + sel.finding + '"]');
    if (card) {
      const offset = card.getBoundingClientRect().top - detailsBox.getBoundingClientRect().top;
      detailsBox.scrollTop = Math.max(0, detailsBox.scrollTop + offset - 48);
    }
  } else {
    detailsBox.scrollTop = 0;
  }
  if (opts.fromTable) {
    const box = detailsBox.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight) detailsBox.scrollIntoView({ block: "start" });
  }
}

function selectFinding(n, options) {
  const x = data.findings[n];
  if (x.subject.kind === "flow" && flows[x.subject.id]) {
    select({ kind: "flow", id: x.subject.id, finding: n }, options);
  } else if (x.subject.kind === "organisation" && orgs[x.subject.id]) {
    select({ kind: "org", id: x.subject.id, finding: n }, options);
  } else {
    select({ kind: "finding", id: n, finding: n }, options);
  }
}

function showRow(table, key, value) {
  const row = document.querySelector(
    table + " tr[data-" + key + '="' + CSS.escape(String(value)) + '"]');
  if (!row) return;
  row.classList.remove("fm-hidden");
  row.scrollIntoView({ block: "end" });
  const target = row.querySelector("button");
  if (target) target.focus({ preventScroll: true });
}

// -- tables ---------------------------------------------------------------------------------

function onRows(selector, handler) {
  const body = document.querySelector(selector);
  if (!body) return;
  body.addEventListener("click", (event) => {
    if (event.target.closest("a")) return;
    const row = event.target.closest("tr");
    if (row) handler(row);
  });
}
onRows("#fm-findings tbody", (row) => selectFinding(Number(row.dataset.finding),
                                                    { reveal: true, fromTable: true }));
onRows("#fm-register tbody", (row) => select({ kind: "flow", id: row.dataset.flow },
                                             { reveal: true, fromTable: true }));

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const t = event.target;
  if (t.closest && t.closest("input, select, textarea")) return;
  if (event.key === "Escape") { select(null); return; }
  if (!svg) return;
  if (event.key === "+" || event.key === "=") { zoom(1.4); event.preventDefault(); }
  else if (event.key === "-" || event.key === "_") { zoom(1 / 1.4); event.preventDefault(); }
  else if (event.key === "0") { fit(); event.preventDefault(); }
  else if (t === viewport && event.key.startsWith("Arrow")) {
    const d = 60;
    const moves = { ArrowLeft: [d, 0], ArrowRight: [-d, 0], ArrowUp: [0, d], ArrowDown: [0, -d] };
    pan(moves[event.key][0], moves[event.key][1]);
    event.preventDefault();
  }
});

for (const text of document.querySelectorAll(".fm-header .fm-desc")) clamp(text);
if (svg) fit();
applyFilters();
showDetails(null, false);
