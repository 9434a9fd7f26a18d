
/* flowmap report: pan and zoom, details, filters, and the links between map and tables.
   Every string from the map goes into the page through textContent, never as markup. */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("fm-data").textContent);
  const $ = (id) => document.getElementById(id);
  const svg = $("fm-svg");
  const viewport = $("fm-viewport");
  const detailsBox = $("fm-details");
  const detailsBody = $("fm-details-body");
  const form = $("fm-filters");
  const flows = data.flows;
  const orgs = data.organisations;
  const flowIds = Object.keys(flows).sort();
  const STATUS = { unjustified: "✗ Unjustified", accepted: "✓ Accepted",
                   warning: "! Warning", justified: "✓ Justified" };
  const NO_BASIS = "-";

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

  // -- names ---------------------------------------------------------------------------

  const orgLabel = (id) => (orgs[id] ? orgs[id].label : id);
  const orgName = (id) => (orgs[id] ? orgs[id].name : id);
  const itemName = (id) => (data.information[id] ? data.information[id].name : id);
  const purposeName = (id) => (id && data.purposes[id] ? data.purposes[id].name : id);
  const ruleTitle = (code) => (data.rules[code] ? data.rules[code].title : "");
  const ends = (f) => orgLabel(f.from) + " → " + orgLabel(f.to);

  // -- the drawing's elements ------------------------------------------------------------

  const elements = {};
  const selectionOf = {};
  const edgeFlows = {};
  for (const id of flowIds) (edgeFlows[flows[id].edge] = edgeFlows[flows[id].edge] || []).push(id);
  if (svg) {
    for (const g of svg.querySelectorAll(".fm-item")) elements[g.id] = g;
    for (const id of Object.keys(orgs)) selectionOf["org-" + id] = { kind: "org", id };
    for (const edge of Object.keys(edgeFlows)) {
      selectionOf[edge] = data.map.merged ? { kind: "edge", id: edge }
                                          : { kind: "flow", id: edgeFlows[edge][0] };
    }
    // a wider, invisible line under each edge, so that thin edges are easy to hit
    for (const g of svg.querySelectorAll(".edge.fm-item")) {
      const line = g.querySelector("path");
      if (!line) continue;
      const hit = line.cloneNode(false);
      hit.setAttribute("class", "fm-hit");
      hit.removeAttribute("stroke-dasharray");
      line.parentNode.insertBefore(hit, line);
    }
  }

  /** Each sector's box, with the organisations drawn inside it. */
  const clusters = [];
  if (svg) {
    const centre = (b) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
    for (const box of svg.querySelectorAll("g.cluster")) {
      const b = box.getBBox();
      const members = Object.keys(orgs).filter((id) => {
        const g = elements["org-" + id];
        if (!g) return false;
        const c = centre(g.getBBox());
        return c.x >= b.x && c.x <= b.x + b.width && c.y >= b.y && c.y <= b.y + b.height;
      });
      if (members.length) clusters.push({ box, members });
    }
  }

  /** The rows of the two tables, by flow id and by finding index. */
  const registerRows = {};
  for (const tr of document.querySelectorAll("#fm-register tbody tr")) registerRows[tr.dataset.flow] = tr;
  const findingRows = Array.from(document.querySelectorAll("#fm-findings tbody tr"));

  // -- search text ------------------------------------------------------------------------

  function findingText(x) {
    return [x.code, x.severity, x.message, ruleTitle(x.code), x.subject.id, x.review]
      .filter(Boolean).join("\n").toLowerCase();
  }
  const haystack = {};
  const categories = {};
  for (const id of flowIds) {
    const f = flows[id];
    const parts = [id, f.from, f.to, orgName(f.from), orgLabel(f.from), orgName(f.to),
                   orgLabel(f.to), f.purpose, purposeName(f.purpose), f.description,
                   f.justification, f.identifiability, f.lifecycle, f.status, f.channel,
                   f.frequency];
    categories[id] = [];
    for (const i of f.information) {
      const item = data.information[i];
      parts.push(i, itemName(i));
      if (item) { parts.push(item.category); categories[id].push(item.category); }
    }
    for (const a of f.basis) {
      const auth = data.authorities[a];
      parts.push(a);
      if (auth) parts.push(auth.title, auth.citation, auth.instrument, auth.provision);
    }
    for (const n of f.findings) parts.push(findingText(data.findings[n]));
    haystack[id] = parts.filter(Boolean).join("\n").toLowerCase();
  }

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
    if (flt.query && !flt.query.split(/\s+/).every((word) => haystack[id].includes(word))) return false;
    return true;
  }

  function applyFilters() {
    const flt = readFilters();
    const narrowed = flt.excluded.size > 0 || flt.org || flt.category || flt.authority;
    const active = narrowed || flt.query;
    visibleFlows = new Set(flowIds.filter((id) => matches(id, flt)));
    const shownEdges = new Set(Array.from(visibleFlows, (id) => flows[id].edge));
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
      c.box.classList.toggle("fm-hidden", Boolean(active) && !c.members.some((id) => shownOrgs.has(id)));
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
        show = orgShown || (!narrowed && (!flt.query || findingText(x).includes(flt.query)));
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
      for (const box of form.querySelectorAll('input[name="status"]')) box.checked = box.value === "unjustified";
      applyFilters();
    });
  }
  $("fm-close").addEventListener("click", () => select(null));

  // -- details -----------------------------------------------------------------------------

  function findingCard(n, target) {
    const x = data.findings[n];
    const rule = data.rules[x.code];
    const card = el("div", "fm-card fm-sev-" + x.severity + (x.accepted ? " fm-is-accepted" : "")
                           + (target ? " fm-target" : ""));
    card.dataset.finding = String(n);
    const head = add(el("p"), el("span", "fm-sev fm-sev-" + x.severity, x.severity), " ",
                     el("code", null, x.code), " ", el("strong", null, ruleTitle(x.code)));
    if (x.accepted) add(head, " ", el("span", "fm-badge fm-st-accepted", "✓ accepted"));
    add(card, head, el("p", "fm-msg", x.message));
    if (x.accepted && x.review) add(card, el("p", "fm-accepted", "Accepted: " + x.review));
    if (rule) {
      const more = el("details");
      more.open = Boolean(target) || (x.severity === "error" && !x.accepted);
      const dl = el("dl");
      add(dl, el("dt", null, "What it is"), el("dd", null, rule.what),
          el("dt", null, "Why it matters"), el("dd", null, rule.why),
          el("dt", null, "How to fix it"), el("dd", null, rule.fix));
      add(more, el("summary", null, "What this means and how to fix it"), dl);
      card.append(more);
    }
    const foot = el("p", "fm-sub");
    if (x.location) add(foot, x.location + " · ");
    add(foot, button("show in the findings table", () => showRow("#fm-findings", "finding", n)));
    card.append(foot);
    return card;
  }

  function basisCard(id) {
    const auth = data.authorities[id];
    const card = el("div", "fm-card");
    if (!auth) return add(card, el("strong", null, id), el("p", "fm-sub", "not declared in the map"));
    add(card, add(el("p"), el("strong", null, auth.title)));
    const dl = el("dl", "fm-dl");
    fact(dl, "Citation", auth.citation);
    fact(dl, "Provision", auth.provision);
    fact(dl, "Type", auth.type.replace(/-/g, " "));
    if (auth.from || auth.until) {
      fact(dl, "In force", (auth.from ? "from " + auth.from : "") + (auth.from && auth.until ? " " : "")
                           + (auth.until ? "until " + auth.until : ""));
    }
    fact(dl, "Onward", auth.onward === "forbidden" ? "recipients may not pass it on" : null);
    fact(dl, "Link", auth.url ? link(auth.url, safeUrl(auth.url) ? "read the provision ↗" : auth.url) : null);
    fact(dl, "Id", el("code", null, id), auth.catalogue ? " (built-in catalogue)" : "");
    card.append(dl);
    if (!auth.verified) card.append(el("p", "fm-none", "Citation not verified: check it against the legislation."));
    if (auth.notes) {
      const notes = el("details");
      add(notes, el("summary", null, "Notes"), el("p", null, auth.notes));
      card.append(notes);
    }
    return card;
  }

  function flowDetails(id, target) {
    const f = flows[id];
    const out = document.createDocumentFragment();
    add(out, el("h3", "fm-d-title", ends(f)));
    const line = add(el("div", "fm-d-line"), badge(f.status), el("code", null, id));
    if (f.lifecycle !== "active") add(line, el("span", "fm-badge", f.lifecycle));
    if (!visibleFlows.has(id)) add(line, el("span", "fm-sub", "(hidden by the filters)"));
    out.append(line);
    if (f.description) out.append(el("p", "fm-d-text", f.description));
    const dl = el("dl", "fm-dl");
    fact(dl, "From", button(orgName(f.from), () => select({ kind: "org", id: f.from }, { reveal: true })));
    fact(dl, "To", button(orgName(f.to), () => select({ kind: "org", id: f.to }, { reveal: true })));
    const items = el("ul", "fm-plain");
    for (const i of f.information) {
      const item = data.information[i];
      add(items, add(el("li"), itemName(i),
                     el("span", "fm-sub", (item ? item.category + " · " : "") + i)));
    }
    fact(dl, "Information", items);
    fact(dl, "Purpose", f.purpose ? purposeName(f.purpose) : el("span", "fm-sub", "not stated"));
    fact(dl, "Identifiability", f.identifiability);
    fact(dl, "Frequency", f.frequency || el("span", "fm-sub", "not stated"));
    fact(dl, "Lifecycle", f.lifecycle + (f.since ? ", since " + f.since : "")
                          + (f.until ? ", until " + f.until : ""));
    fact(dl, "Channel", f.channel);
    if (f.consent) {
      fact(dl, "Consent", "obtained " + (f.consent.obtained || "(not said when)")
                          + (f.consent.opt_out ? "; opt-out" : ""));
    }
    fact(dl, "Justification", f.justification);
    out.append(dl);
    section(out, "Legal basis", f.basis.length);
    if (f.basis.length === 0) out.append(el("p", "fm-none", "No legal basis cited."));
    for (const a of f.basis) out.append(basisCard(a));
    section(out, "Findings", f.findings.length);
    if (f.findings.length === 0) out.append(el("p", "fm-empty", "None: the flow is justified."));
    for (const n of f.findings) out.append(findingCard(n, n === target));
    if (f.review.length) {
      section(out, "Review acceptances", f.review.length);
      for (const r of f.review) {
        const card = el("div", "fm-card fm-is-accepted");
        add(card, add(el("p"), el("code", null, r.code), " ", el("strong", null, ruleTitle(r.code))),
            el("p", null, r.reason));
        const dl2 = el("dl", "fm-dl");
        fact(dl2, "By", r.by);
        fact(dl2, "Until", r.until || "no end date");
        card.append(dl2);
        out.append(card);
      }
    }
    out.append(add(el("p", "fm-sub"), button("show in the register", () => showRow("#fm-register", "flow", id))));
    return out;
  }

  function flowList(parent, title, ids) {
    section(parent, title, ids.length);
    if (ids.length === 0) { parent.append(el("p", "fm-empty", "None.")); return; }
    const list = el("ul", "fm-plain");
    for (const id of ids) {
      const f = flows[id];
      add(list, add(el("li"), badge(f.status), " ",
                    button(ends(f) + ": " + f.information.map(itemName).join(", "),
                           () => select({ kind: "flow", id }, { reveal: true }))));
    }
    parent.append(list);
  }

  function orgDetails(id) {
    const o = orgs[id];
    const out = document.createDocumentFragment();
    add(out, el("h3", "fm-d-title", o.name));
    add(out, add(el("div", "fm-d-line"), el("span", "fm-badge", o.kind.replace(/-/g, " ")),
                 el("code", null, id)));
    if (o.description) out.append(el("p", "fm-d-text", o.description));
    const dl = el("dl", "fm-dl");
    fact(dl, "Short name", o.label !== o.name ? o.label : null);
    fact(dl, "Sector", o.sector);
    fact(dl, "Country", o.country + (o.overseas ? " (outside the map's jurisdiction)" : ""));
    fact(dl, "Website", o.url ? link(o.url, o.url) : null);
    out.append(dl);
    if (o.findings.length) {
      section(out, "Findings", o.findings.length);
      for (const n of o.findings) out.append(findingCard(n, false));
    }
    flowList(out, "Flows out", flowIds.filter((f) => flows[f].from === id));
    flowList(out, "Flows in", flowIds.filter((f) => flows[f].to === id));
    return out;
  }

  function edgeDetails(edge) {
    const ids = edgeFlows[edge] || [];
    const out = document.createDocumentFragment();
    if (ids.length) add(out, el("h3", "fm-d-title", ends(flows[ids[0]])));
    flowList(out, "Flows between them", ids);
    return out;
  }

  function findingDetails(n) {
    const x = data.findings[n];
    const out = document.createDocumentFragment();
    add(out, el("h3", "fm-d-title", x.subject.kind + " " + x.subject.id), findingCard(n, true));
    return out;
  }

  function build(sel) {
    if (sel.kind === "flow") return flowDetails(sel.id, sel.finding);
    if (sel.kind === "org") return orgDetails(sel.id);
    if (sel.kind === "edge") return edgeDetails(sel.id);
    return findingDetails(sel.id);
  }

  function showDetails(sel, preview) {
    detailsBox.classList.toggle("fm-preview", Boolean(preview));
    detailsBody.replaceChildren();
    if (!sel) {
      detailsBody.append(el("p", "fm-empty", "Select a flow or organisation on the map, or a row "
        + "in the tables, to see its information, purpose, legal basis and findings."));
      return;
    }
    if (preview) detailsBody.append(el("p", "fm-sub", "Preview: click to keep it here."));
    detailsBody.append(build(sel));
    for (const text of detailsBody.querySelectorAll(".fm-d-text")) clamp(text);
  }

  /** Long descriptions show three lines, with a button for the rest. */
  function clamp(text) {
    text.classList.add("fm-clamp");
    if (text.scrollHeight <= text.clientHeight + 2) { text.classList.remove("fm-clamp"); return; }
    const more = button("more", () => {
      const folded = text.classList.toggle("fm-clamp");
      more.textContent = folded ? "more" : "less";
      more.setAttribute("aria-expanded", String(!folded));
    }, "fm-link fm-more");
    more.setAttribute("aria-expanded", "false");
    text.after(more);
  }

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
    for (const o of s.orgs) if (elements["org-" + o]) elements["org-" + o].classList.add("fm-related");
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
      if (row) row.classList.add(n === sel.finding || sel.kind === "finding" ? "fm-selected" : "fm-related");
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
      if (card) detailsBox.scrollTop = Math.max(0, card.offsetTop - 48);
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
    const row = document.querySelector(table + ' tr[data-' + key + '="' + CSS.escape(String(value)) + '"]');
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

  // -- pan and zoom ------------------------------------------------------------------------------

  const home = svg ? { x: svg.viewBox.baseVal.x, y: svg.viewBox.baseVal.y,
                       w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height } : null;
  let view = home ? Object.assign({}, home) : null;

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
    const w = Math.min(home.w * 4, Math.max(home.w / 30, view.w / factor));
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
    view = Object.assign({}, home);
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
    const k = Math.max(w / home.w, h / home.h, 1 / 3);
    w = home.w * k;
    h = home.h * k;
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
      if (!sel || same) showDetails(selected, false);
      else showDetails(sel, true);
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

    window.addEventListener("beforeprint", () => { svg.dataset.view = svg.getAttribute("viewBox"); fit(); });
    window.addEventListener("afterprint", () => {
      if (svg.dataset.view) svg.setAttribute("viewBox", svg.dataset.view);
    });
  }

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
  applyFilters();
  showDetails(null, false);
})();
