"""FM1xx: references between items: duplicates, unknown ids, catalogue clashes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from flowmap.common.findings import Finding, Severity, SubjectKind
from flowmap.model.entities import CATEGORY_ROOTS, Authority
from flowmap.common.rule import Rule, rule
from flowmap.common.suggest import suggest

if TYPE_CHECKING:
    from flowmap.check.rules.context import Context

E = Severity.ERROR

# FM101, FM106, FM107 and FM109 are found by the loader: declared in flowmap/common/loadcodes.py


def _unknown(ctx: Context, section: str, noun: str, ref: str, where_section: str,
             where_id: str) -> str:
    refused = ctx.map.refused.get((section, ref))
    if refused is not None:
        return (f"{where_section} {where_id!r} names {noun} {ref!r}, which is declared at "
                f"{refused} but was not read because of the errors reported there; fix them")
    choices = getattr(ctx.map, section)
    return (f"{where_section} {where_id!r} names unknown {noun} {ref!r}"
            f"{suggest(ref, choices)}; declare it or correct the id")


#: an id an item names, with the path of the key naming it inside the item
Ref = tuple[tuple[str | int, ...], str]
#: a subject kind → the section its items are declared in
SECTION_OF: dict[SubjectKind, str] = {
    "organisation": "organisations", "authority": "authorities", "class": "classes"}


def _unknown_refs(ctx: Context, this: Rule, target: str, noun: str, kind: SubjectKind,
                  sid: str, refs: Iterable[Ref]) -> Iterator[Finding]:
    """A finding of ``this`` for each id in ``refs`` (named by item ``sid`` of ``kind``)
    that section ``target`` does not declare."""
    declared = getattr(ctx.map, target)
    for path, ref in refs:
        if ref not in declared:
            yield this.finding(kind, sid, _unknown(ctx, target, noun, ref, kind, sid),
                               ctx.map.where(SECTION_OF[kind], sid, *path))


def _scope_refs(auth: Authority, *keys: str) -> Iterator[Ref]:
    """The ids under ``keys`` of every scope of ``auth`` (its own, its legs', its
    versions'), with their paths."""
    for path, scope in auth.scopes():
        for key in keys:
            values = getattr(scope, "from_" if key == "from" else key) or ()
            yield from (((*path, key, index), ref) for index, ref in enumerate(values))


@rule(
    "FM102", E, "Unknown organisation",
    what="A flow or an authority's scope names an organisation id that is not declared.",
    why="A flow between organisations the map does not know cannot be drawn or checked.",
    fix="Declare the organisation under `organisations:`, or correct the id.",
)
def unknown_organisation(ctx: Context) -> Iterator[Finding]:
    orgs = ctx.map.organisations
    for flow in ctx.flows() if ctx.ends.difference(orgs) else ():  # each flow, if one errs
        for key, ref in (("from", flow.from_), ("to", flow.to)):
            if ref not in orgs:
                yield unknown_organisation.finding(
                    "flow", flow.id, _unknown(ctx, "organisations", "organisation", ref,
                                              "flow", flow.id),
                    ctx.map.where("flows", flow.id, key))
    for component in ctx.map.components:
        if component.owner and component.owner not in orgs:
            yield unknown_organisation.finding(
                "map", component.id,
                f"map {component.id!r} is owned by unknown organisation "
                f"{component.owner!r}{suggest(component.owner, orgs)}; declare it or correct "
                "the id", component.owner_location)
    for aid in ctx.declared("authorities"):
        yield from _unknown_refs(
            ctx, unknown_organisation, "organisations", "organisation", "authority", aid,
            _scope_refs(ctx.map.authorities[aid], "from", "to", "parties"))
    for cid in ctx.declared("classes"):
        yield from _unknown_refs(
            ctx, unknown_organisation, "organisations", "organisation", "class", cid,
            ((("members", i), ref) for i, ref in enumerate(ctx.map.classes[cid].members)))


@rule(
    "FM103", E, "Unknown information",
    what="A flow carries an information id that is not declared.",
    why="flowmap cannot tell what category the information is in, so it cannot check "
    "whether any authority covers it.",
    fix="Declare the item under `information:`, or correct the id.",
)
def unknown_information(ctx: Context) -> Iterator[Finding]:
    for flow in ctx.flows() if ctx.carried.difference(ctx.map.information) else ():
        for index, ref in enumerate(flow.information):
            if ref not in ctx.map.information:
                yield unknown_information.finding(
                    "flow", flow.id, _unknown(ctx, "information", "information", ref,
                                              "flow", flow.id),
                    ctx.map.where("flows", flow.id, "information", index))


@rule(
    "FM104", E, "Unknown purpose",
    what="A flow or an authority's scope names a purpose id that is not declared.",
    why="The purpose decides whether an authority covers a flow.",
    fix="Declare the purpose under `purposes:`, or correct the id.",
)
def unknown_purpose(ctx: Context) -> Iterator[Finding]:
    for flow in ctx.flows() if ctx.stated.difference(ctx.map.purposes, (None,)) else ():
        if flow.purpose is not None and flow.purpose not in ctx.map.purposes:
            yield unknown_purpose.finding(
                "flow", flow.id, _unknown(ctx, "purposes", "purpose", flow.purpose,
                                          "flow", flow.id),
                ctx.map.where("flows", flow.id, "purpose"))
    for aid in ctx.declared("authorities"):
        auth = ctx.map.authorities[aid]
        yield from _unknown_refs(
            ctx, unknown_purpose, "purposes", "purpose", "authority", aid,
            [*((("not_for", i), ref) for i, ref in enumerate(auth.not_for)),
             *_scope_refs(auth, "purposes")])


@rule(
    "FM105", E, "Unknown authority",
    what="A flow cites a legal basis (authority id) that is neither declared in the map "
    "nor in a loaded catalogue.",
    why="A citation nobody can look up justifies nothing.",
    fix="Declare the authority, load the catalogue that defines it (`catalogues: [nz]`), "
    "or correct the id (`flowmap catalogue list` shows the built-in ones).",
)
def unknown_authority(ctx: Context) -> Iterator[Finding]:
    for flow in ctx.flows() if ctx.cited.difference(ctx.map.authorities) else ():
        for index, ref in enumerate(flow.basis):
            if ref not in ctx.map.authorities:
                yield unknown_authority.finding(
                    "flow", flow.id, _unknown(ctx, "authorities", "authority", ref,
                                              "flow", flow.id),
                    ctx.map.where("flows", flow.id, "basis", index))
    for aid in ctx.declared("authorities"):
        yield from _unknown_refs(
            ctx, unknown_authority, "authorities", "authority", "authority", aid,
            ((("applies_to", i), ref)
             for i, ref in enumerate(ctx.map.authorities[aid].applies_to)))


@rule(
    "FM108", E, "Unknown category root",
    what="A category that does not start with one of the built-in roots "
    f"({', '.join(CATEGORY_ROOTS)}).",
    why="Whether information is personal, and so needs a legal basis, is read from its root.",
    fix="Put the category under personal. or non-personal. (e.g. personal.health.mental-health).",
)
def unknown_category_root(ctx: Context) -> Iterator[Finding]:
    roots = list(CATEGORY_ROOTS)
    for iid in ctx.declared("information"):
        info = ctx.map.information[iid]
        for path, category in [(("category",), info.category),
                               *((("also", i), c) for i, c in enumerate(info.also))]:
            root = category.split(".")[0]
            if root not in CATEGORY_ROOTS:
                yield unknown_category_root.finding(
                    "information", iid,
                    f"category {category!r} has unknown root {root!r}{suggest(root, roots)}; "
                    f"roots are: {', '.join(roots)}",
                    ctx.map.where("information", iid, *path))
    for aid in ctx.declared("authorities"):
        for path, scope in ctx.map.authorities[aid].scopes():
            for index, category in enumerate(scope.information or ()):
                root = category.split(".")[0]
                if root not in CATEGORY_ROOTS:
                    yield unknown_category_root.finding(
                        "authority", aid,
                        f"scope category {category!r} has unknown root {root!r}"
                        f"{suggest(root, roots)}; roots are: {', '.join(roots)}",
                        ctx.map.where("authorities", aid, *path, "information", index))


@rule(
    "FM110", E, "Unknown class",
    what="An organisation's `classes:` or an authority's `from_classes`/`to_classes` names "
    "a class of organisations that is not declared.",
    why="A provision open only to a defined class (child welfare and protection agencies, "
    "health agencies) cannot be checked against a class nobody declared.",
    fix="Declare the class under `classes:` (or load the catalogue that defines it), or "
    "correct the id.",
)
def unknown_class(ctx: Context) -> Iterator[Finding]:
    for oid in ctx.declared("organisations"):
        yield from _unknown_refs(
            ctx, unknown_class, "classes", "class", "organisation", oid,
            ((("classes", i), ref) for i, ref in enumerate(ctx.map.organisations[oid].classes)))
    for aid in ctx.declared("authorities"):
        yield from _unknown_refs(
            ctx, unknown_class, "classes", "class", "authority", aid,
            _scope_refs(ctx.map.authorities[aid], "from_classes", "to_classes"))


#: fields of an organisation or authority that decide whether a flow is covered:
#: read without one of them, the item might seem to allow what it does not
DECIDES_COVERAGE: dict[str, tuple[str, ...]] = {
    "organisations": ("kind", "country", "health_agency", "classes"),
    "information": ("also",),
    "authorities": ("type", "in_force", "scope", "onward", "needs_justification",
                    "needs_consent", "verified", "role", "applies_to", "legs", "versions"),
}


@rule(
    "FM111", E, "Relies on an item read without a wrong field",
    what="A flow starts or ends at an organisation, or cites an authority, that was read "
    "without a field that was wrong (reported where it is written), and that field decides "
    "whether the flow is covered: an organisation's country or health_agency, an "
    "authority's in_force, scope, onward, needs_justification, needs_consent or verified.",
    why="Left out, such a field takes its default, which may allow more than the map says "
    "(a scope that covers everything, an authority always in force); the flow must not be "
    "shown as justified on that reading.",
    fix="Correct the field the message names; this finding then goes away.",
)
def relies_on_partial_item(ctx: Context) -> Iterator[Finding]:
    deciding = {(section, ref): decides for (section, ref), fields in ctx.map.partial.items()
                if section in DECIDES_COVERAGE
                and (decides := [f for f in fields if f in DECIDES_COVERAGE[section]])}
    if not deciding:
        return  # every item was read whole, or without fields that decide nothing
    for flow in ctx.flows():
        refs = [("organisations", "from", flow.from_, ()), ("organisations", "to", flow.to, ()),
                *(("authorities", "basis", a, (i,)) for i, a in enumerate(flow.basis)),
                *(("information", "information", a, (i,))
                  for i, a in enumerate(flow.information))]
        for section, key, ref, index in refs:
            left_out = deciding.get((section, ref))
            if left_out:
                noun = {"organisations": "organisation", "authorities": "authority",
                        "information": "information"}[section]
                yield relies_on_partial_item.finding(
                    "flow", flow.id,
                    f"flow {flow.id!r} relies on {noun} {ref!r}, which was read without its "
                    f"wrong {', '.join(left_out)} (reported at {ctx.map.where(section, ref)}); "
                    "until that is corrected the flow cannot be checked",
                    ctx.map.where("flows", flow.id, key, *index))
