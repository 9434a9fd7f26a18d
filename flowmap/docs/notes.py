"""The words of the format reference that the models cannot say themselves.

A key's meaning comes from its model (``Field(description=...)``) when it has
one, else from ``MEANINGS`` here, keyed by its path (``flows.frequency``). A
key that has neither is still listed, with its type and default, so a field
added to a model appears in the reference as soon as it is regenerated.
"""

from __future__ import annotations

INTRO = """\
A flowmap map describes who passes personal information to whom, what
information, why, and under which legal authority. flowmap reads it, checks
that every flow's authority really covers it, and draws it.

A map is one YAML file or a folder. In a folder, every `.yaml` and `.yml`
file below it is read, in path order, and their sections are put together: a
file may hold any of the sections, and an id is unique across the whole map,
whichever file declares it. Only one file may hold the `map:` block."""

VALUES = """\
- **id**: a lower-case slug of letters, digits, `.`, `_` and `-`, starting with
  a letter or digit, at most {max_id} characters (`acc`, `ird.acc-earnings`).
- **date**: `YYYY-MM-DD`, a day that exists (`2024-02-29`, not `2023-02-29`).
- **URL**: a full `http://` or `https://` address.
- **true/false**: only `true` or `false` (YAML's `yes`, `no`, `on`, `off` are refused).
- **text**: any string; quote it when it starts with a character YAML treats
  specially (`*`, `&`, `!`, `%`, `@`, a backtick) or holds `: ` or ` #`.
- **category**: a dotted path in the category tree (see *Vocabularies*).
- **country**: an ISO 3166-1 two-letter code in capitals (`NZ`, `AU`).
- **finding code**: `FM` and three digits, one of the codes under *Finding codes*."""

#: one paragraph under each section's heading
SECTIONS: dict[str, str] = {
    "flowmap": "The format version. Optional; when present it must be the version below.",
    "map": "What the map is, the day it describes, and the catalogues it cites.",
    "include": (
        "Other maps to read with this one, each a file or folder relative to the file "
        "that names it. Organisations, information, purposes and authorities with the "
        "same id are the same thing and must agree; flow ids must be unique across the "
        "composed maps."),
    "organisations": (
        "Everyone who sends or receives information: agencies, providers, companies, "
        "people. An organisation a catalogue defines can be used without declaring it; "
        "declaring it again changes only how it is drawn, and its kind and country must "
        "agree with the catalogue."),
    "information": (
        "The kinds of information that flow, each in a category of the tree under "
        "*Vocabularies*. Whether an item is personal comes from its category."),
    "purposes": (
        "Why information flows. A flow's `purpose` must be one of these (or a catalogue "
        "purpose); an authority's scope can limit the purposes it covers."),
    "authorities": (
        "The legal bases flows cite: statutes, privacy principles, codes, approved "
        "information sharing agreements, matching programmes, consent, contracts, court "
        "orders. A catalogue's authorities can be cited without declaring them; a map's "
        "own authority may not reuse a catalogue id."),
    "flows": (
        "One entry per flow of information from one organisation to another. A flow is "
        "*justified* when, for every item it carries, one of its `basis` authorities "
        "covers it: in force on the map's `as_of` date (a historical flow: on the days it "
        "ran), with a scope that admits its discloser, recipient, the item's category, "
        "its purpose and an overseas recipient, and with the authority's conditions met "
        "(consent recorded, justification written). A flow that is de-identified or "
        "aggregate, or carries only non-personal items, needs no basis."),
}

#: a key's meaning where its model field has no description, by path
MEANINGS: dict[str, str] = {
    "flowmap": "The version of the format the file is written in.",
    "map.id": "The map's id, used in reports and output file names.",
    "map.title": "The map's title, shown on drawings and reports.",
    "map.description": "What the map covers and where its facts come from.",
    "map.as_of": ("The day the map describes: every authority must be in force on it. "
                  "Default: the day the check runs."),
    "map.jurisdiction": "The map's home country: a recipient elsewhere is overseas.",
    "map.catalogues": ("Built-in catalogues whose authorities, organisations and purposes "
                       "the map may cite by id (`flowmap catalogue list`)."),
    "organisations.id": "How flows and scopes refer to it.",
    "organisations.name": "Its full name.",
    "organisations.short": "A short label for drawings (default: the name).",
    "organisations.kind": "What sort of organisation it is; scopes can admit kinds.",
    "organisations.sector": "A free-form group; drawings cluster organisations by it.",
    "organisations.country": ("Where it is (default: the map's jurisdiction); a recipient "
                              "in another country needs a cross-border basis."),
    "organisations.url": "Its web site, linked from drawings and reports.",
    "organisations.description": "Anything a reader should know about it.",
    "information.id": "How flows refer to it.",
    "information.name": "What it is called in drawings and registers.",
    "information.category": ("Its place in the category tree; an authority covering a "
                             "category covers everything under it."),
    "information.description": "What the item holds.",
    "purposes.id": "How flows and scopes refer to it.",
    "purposes.name": "The purpose in words.",
    "purposes.description": "More about it.",
    "authorities.id": "How flows cite it in `basis`.",
    "authorities.title": "Its name as people cite it.",
    "authorities.type": "What kind of authority it is.",
    "authorities.instrument": "The Act, regulation, code or agreement it is part of.",
    "authorities.provision": "The section, clause or principle (`s 18E`, `IPP 11(1)(a)`).",
    "authorities.url": "Where its text can be read.",
    "authorities.in_force": "The days it is in force; either end may be left open.",
    "authorities.in_force.from": "The first day in force.",
    "authorities.in_force.until": "The last day in force.",
    "authorities.scope": ("What it covers; every key is optional and an absent key does "
                          "not restrict."),
    "authorities.scope.from": "Organisations it allows to disclose.",
    "authorities.scope.to": "Organisations it allows to receive.",
    "authorities.scope.parties": ("Instead of from/to: any of these organisations may "
                                  "disclose to any other of them."),
    "authorities.scope.from_kinds": "Kinds of organisation it allows to disclose.",
    "authorities.scope.to_kinds": "Kinds of organisation it allows to receive.",
    "authorities.scope.information": "Categories of information it covers (and below them).",
    "authorities.scope.purposes": "Purposes it covers.",
    "authorities.scope.cross_border": "Whether it allows disclosure to a recipient overseas.",
    "authorities.onward": ("Whether a recipient may pass the information on; `forbidden` "
                           "makes a flow onward from the recipient a finding."),
    "authorities.needs_justification": ("Each flow citing it must say why in "
                                        "`justification`."),
    "authorities.verified": ("`false` when the citation rests on a secondary source and "
                             "still needs checking; reported as information."),
    "authorities.notes": "Anything a reviewer should know about it.",
    "flows.id": "The flow's id, unique across composed maps.",
    "flows.from": "The organisation that discloses.",
    "flows.to": "The organisation that receives.",
    "flows.information": "The information items it carries (one or more).",
    "flows.purpose": "Why it flows.",
    "flows.basis": "The authorities that allow it; none makes it unjustified.",
    "flows.identifiability": ("How identifiable the people are: de-identified and "
                              "aggregate flows need no basis."),
    "flows.status": ("`proposed` flows are checked as if active; `historical` ones "
                     "against the days they ran (`since`/`until`)."),
    "flows.frequency": "How often it happens.",
    "flows.channel": "How it travels (an API, secure email, a portal...).",
    "flows.since": "The first day it ran.",
    "flows.until": "The last day it ran.",
    "flows.consent": "The consent it rests on, required when a basis needs consent.",
    "flows.consent.obtained": "When or how consent is obtained (text or a date).",
    "flows.consent.opt_out": "`true` when people are only given a chance to opt out.",
    "flows.justification": "Why the flow is necessary, where a basis asks for it.",
    "flows.description": "What happens, in words.",
    "flows.review": ("Findings a reviewer has accepted for this flow: reported as "
                     "information, marked accepted, until the acceptance expires."),
    "flows.review.code": "The finding code accepted.",
    "flows.review.reason": "Why it is accepted.",
    "flows.review.by": "Who accepted it.",
    "flows.review.until": "The last day the acceptance holds; after it the finding is live.",
}

CHECKING = """\
`flowmap validate MAP` reports every finding as `file:line:column: CODE message`
(also `--format json|sarif|github`). Each finding has a code, a severity
(`error`, `warning` or `info`), the thing it is about (a flow, organisation,
information item, purpose, authority or the map) and where it was written. The
run exits 1 when a finding at or above `--fail-on` (default `error`) remains, 0
otherwise, and 2 for a usage error.

A finding that a reviewer has accepted is listed under the flow's `review:`
with its code, a reason and, usually, an `until` date. Until then it is
reported as `info`, marked accepted, and does not fail the run; afterwards it
is live again and FM401 says the acceptance expired."""

JSON = """\
<a id="json-findings"></a>

### Findings as JSON

`validate --format json` prints one document: the map's id, every finding (its
`location` is `null` when it has no place in a file, `line` and `column` are
`null` when unknown; an accepted finding carries the reviewer's `review` reason)
and a count by severity. For this map:"""

SVG = """\
<a id="svg-drawings"></a>

### Drawings as SVG

In `render`'s SVG each organisation is a group with `id="org-<id>"` and the class
`org`; each flow (unless parallel flows are merged into one edge) is a group with
`id="flow-<id>"`, the class `flow` and exactly one of `unjustified` (an error
finding not accepted), `accepted` (every error finding accepted), `warning`
(warnings only) and `justified` (no finding). The drawing's `<title>` is the
map's title, and the same map always gives the same bytes."""

FAMILIES: dict[str, str] = {
    "FM0": "reading the files: YAML, the shape of each item, ids, dates, the format version",
    "FM1": "references between items: duplicates, unknown ids, catalogue clashes, categories",
    "FM2": "the legal basis of each flow",
    "FM3": "the map as a whole: onward disclosure, re-identification, unused items",
    "FM4": "reviews: expired or misplaced acceptances",
    "FM5": "composed maps: disagreements between the maps of different owners",
    "FM6": "privacy review of each flow",
}
