"""FM1xx: references between items: duplicates, unknown ids, catalogue clashes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from flowmap.findings import Finding, Severity
from flowmap.model import CATEGORY_ROOTS
from flowmap.rules.base import rule
from flowmap.suggest import suggest

if TYPE_CHECKING:
    from flowmap.rules.context import Context

E = Severity.ERROR

# FM101, FM106, FM107 and FM109 are found by the loader: declared in rules/files.py


def _unknown(ctx: Context, section: str, noun: str, ref: str, where_section: str,
             where_id: str) -> str:
    refused = ctx.map.refused.get((section, ref))
    if refused is not None:
        return (f"{where_section} {where_id!r} names {noun} {ref!r}, which is declared at "
                f"{refused} but was not read because of the errors reported there; fix them")
    choices = getattr(ctx.map, section)
    return (f"{where_section} {where_id!r} names unknown {noun} {ref!r}"
            f"{suggest(ref, choices)}; declare it or correct the id")


@rule(
    "FM102", E, "Unknown organisation",
    what="A flow or an authority's scope names an organisation id that is not declared.",
    why="A flow between organisations the map does not know cannot be drawn or checked.",
    fix="Declare the organisation under `organisations:`, or correct the id.",
)
def unknown_organisation(ctx: Context) -> Iterator[Finding]:
    orgs = ctx.map.organisations
    for flow in ctx.flows():
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
        for path, scope in ctx.map.authorities[aid].scopes():
            for key in ("from", "to", "parties"):
                for index, ref in enumerate(
                        getattr(scope, "from_" if key == "from" else key) or ()):
                    if ref not in orgs:
                        yield unknown_organisation.finding(
                            "authority", aid, _unknown(ctx, "organisations", "organisation",
                                                       ref, "authority", aid),
                            ctx.map.where("authorities", aid, *path, key, index))
    for cid in ctx.declared("classes"):
        for index, ref in enumerate(ctx.map.classes[cid].members):
            if ref not in orgs:
                yield unknown_organisation.finding(
                    "class", cid, _unknown(ctx, "organisations", "organisation", ref,
                                           "class", cid),
                    ctx.map.where("classes", cid, "members", index))


@rule(
    "FM103", E, "Unknown information",
    what="A flow carries an information id that is not declared.",
    why="flowmap cannot tell what category the information is in, so it cannot check "
    "whether any authority covers it.",
    fix="Declare the item under `information:`, or correct the id.",
)
def unknown_information(ctx: Context) -> Iterator[Finding]:
    for flow in ctx.flows():
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
    for flow in ctx.flows():
        if flow.purpose is not None and flow.purpose not in ctx.map.purposes:
            yield unknown_purpose.finding(
                "flow", flow.id, _unknown(ctx, "purposes", "purpose", flow.purpose,
                                          "flow", flow.id),
                ctx.map.where("flows", flow.id, "purpose"))
    for aid in ctx.declared("authorities"):
        for path, scope in ctx.map.authorities[aid].scopes():
            for index, ref in enumerate(scope.purposes or ()):
                if ref not in ctx.map.purposes:
                    yield unknown_purpose.finding(
                        "authority", aid, _unknown(ctx, "purposes", "purpose", ref,
                                                   "authority", aid),
                        ctx.map.where("authorities", aid, *path, "purposes", index))


@rule(
    "FM105", E, "Unknown authority",
    what="A flow cites a legal basis (authority id) that is neither declared in the map "
    "nor in a loaded catalogue.",
    why="A citation nobody can look up justifies nothing.",
    fix="Declare the authority, load the catalogue that defines it (`catalogues: [nz]`), "
    "or correct the id (`flowmap catalogue list` shows the built-in ones).",
)
def unknown_authority(ctx: Context) -> Iterator[Finding]:
    for flow in ctx.flows():
        for index, ref in enumerate(flow.basis):
            if ref not in ctx.map.authorities:
                yield unknown_authority.finding(
                    "flow", flow.id, _unknown(ctx, "authorities", "authority", ref,
                                              "flow", flow.id),
                    ctx.map.where("flows", flow.id, "basis", index))
    for aid in ctx.declared("authorities"):
        for index, ref in enumerate(ctx.map.authorities[aid].applies_to):
            if ref not in ctx.map.authorities:
                yield unknown_authority.finding(
                    "authority", aid, _unknown(ctx, "authorities", "authority", ref,
                                               "authority", aid),
                    ctx.map.where("authorities", aid, "applies_to", index))


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
        for index, ref in enumerate(ctx.map.organisations[oid].classes):
            if ref not in ctx.map.classes:
                yield unknown_class.finding(
                    "organisation", oid, _unknown(ctx, "classes", "class", ref,
                                                  "organisation", oid),
                    ctx.map.where("organisations", oid, "classes", index))
    for aid in ctx.declared("authorities"):
        for path, scope in ctx.map.authorities[aid].scopes():
            for key in ("from_classes", "to_classes"):
                for index, ref in enumerate(getattr(scope, key) or ()):
                    if ref not in ctx.map.classes:
                        yield unknown_class.finding(
                            "authority", aid, _unknown(ctx, "classes", "class", ref,
                                                       "authority", aid),
                            ctx.map.where("authorities", aid, *path, key, index))
