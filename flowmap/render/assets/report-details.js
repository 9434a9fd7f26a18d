/* flowmap report, part 3 of 5: the details panel.
   html.py joins the parts, in order, inside one function: they share its scope.
   Every string from the map goes into the page through textContent, never as markup. */

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
    const dates = [auth.from ? "from " + auth.from : "", auth.until ? "until " + auth.until : ""];
    fact(dl, "In force", dates.filter(Boolean).join(" "));
  }
  fact(dl, "Onward", auth.onward === "forbidden" ? "recipients may not pass it on" : null);
  if (auth.role === "condition") {
    fact(dl, "Role", "a condition on " + auth.applies_to.join(", ") + "; authorises nothing alone");
  }
  if (auth.legs.length) fact(dl, "Directions", auth.legs.join("; "));
  if (auth.use_limits.length) fact(dl, "Limits on use", auth.use_limits.join("; "));
  if (auth.checked) fact(dl, "Checked", auth.checked);
  if (auth.url) {
    fact(dl, "Link", link(auth.url, safeUrl(auth.url) ? "read the provision ↗" : auth.url));
  }
  fact(dl, "Id", el("code", null, id), auth.catalogue ? " (built-in catalogue)" : "");
  card.append(dl);
  if (!auth.verified) {
    card.append(el("p", "fm-none", "Citation not verified: check it against the legislation."));
    if (auth.unsettled.length) {
      card.append(el("p", "fm-sub", "Not settled: " + auth.unsettled.join("; ")));
    }
  }
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
  if (f.transfer === "agent") add(line, el("span", "fm-badge", "held by an agent, not a disclosure"));
  if (!visibleFlows.has(id)) add(line, el("span", "fm-sub", "(hidden by the filters)"));
  out.append(line);
  const why = [...new Set(f.findings.map((n) => data.findings[n])
    .filter((x) => x.severity === "error").map((x) => x.code + " " + ruleTitle(x.code)))];
  if (why.length) out.append(el("p", "fm-why", "Why: " + why.join("; ")));
  if (f.description) out.append(el("p", "fm-d-text", f.description));
  const dl = el("dl", "fm-dl");
  const orgButton = (org) => button(orgName(org),
                                    () => select({ kind: "org", id: org }, { reveal: true }));
  fact(dl, "From", orgButton(f.from));
  fact(dl, "To", orgButton(f.to));
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
  const inRegister = button("show in the register", () => showRow("#fm-register", "flow", id));
  out.append(add(el("p", "fm-sub"), inRegister));
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

let previewing = false;
let keptScroll = 0;

/** Show what the pointer is over, keeping the selection's place to come back to. */
function showPreview(sel) {
  if (!previewing) keptScroll = detailsBox.scrollTop;
  showDetails(sel, true);
  previewing = true;
}

/** Back to the selection, where the reader had scrolled to. */
function endPreview() {
  if (!previewing) return;
  showDetails(selected, false);
  detailsBox.scrollTop = keptScroll;
}

function showDetails(sel, preview) {
  previewing = false;
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
