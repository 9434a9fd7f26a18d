/* flowmap report, part 1 of 5: the data, the drawing's elements and what the filters search.
   html.py joins the parts, in order, inside one function: they share its scope.
   Every string from the map goes into the page through textContent, never as markup. */

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

// -- names ---------------------------------------------------------------------------

const orgLabel = (id) => (orgs[id] ? orgs[id].label : id);
const orgName = (id) => (orgs[id] ? orgs[id].name : id);
const itemName = (id) => (data.information[id] ? data.information[id].name : id);
const purposeName = (id) => (id && data.purposes[id] ? data.purposes[id].name : id);
const ruleTitle = (code) => (data.rules[code] ? data.rules[code].title : "");
// each name isolated (FSI … PDI): right-to-left text or a U+202E in one name cannot
// reorder the arrow or the other name
const ends = (f) => "\u2068" + orgLabel(f.from) + "\u2069 → \u2068" + orgLabel(f.to) + "\u2069";

// -- the drawing's elements ------------------------------------------------------------

const elements = {};
const selectionOf = {};
const edgeFlows = {};
for (const id of flowIds) (edgeFlows[flows[id].edge] = edgeFlows[flows[id].edge] || []).push(id);
if (svg) {
  for (const g of svg.querySelectorAll(".fm-item")) elements[g.id] = g;
  for (const id of Object.keys(orgs)) selectionOf["org-" + id] = { kind: "org", id };
  for (const edge of Object.keys(edgeFlows)) {
    // an edge that carries several flows selects them all; one flow's edge, the flow
    selectionOf[edge] = edgeFlows[edge].length > 1 ? { kind: "edge", id: edge }
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
for (const tr of document.querySelectorAll("#fm-register tbody tr")) {
  registerRows[tr.dataset.flow] = tr;
}
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
