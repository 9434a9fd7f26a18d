"""`validate --format sarif`: findings as SARIF 2.1.0, for code-scanning tools.

One run; its driver lists every rule of the registry (with a help link into
the format reference, docs/format.md), and each finding is a result that
points at the rule by id and index. Files of the map are given
relative to a root (the working directory by default) under the base id
``%SRCROOT%``; files of the built-in catalogues under ``FLOWMAP_CATALOGUE``.
Accepted findings are notes with an external, accepted suppression that
carries the reviewer's reason. Nothing in the output depends on the clock.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, metadata, version
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flowmap.docs import REFERENCE
from flowmap.common.findings import Finding, Location, Severity
from flowmap.load.loader import CATALOGUE_DIR
from flowmap.report.json_report import indented_json
from flowmap.report.paths import CATALOGUE_PREFIX, absolute_path, is_catalogue, relative_to
from flowmap.common.rule import Rule
from flowmap.check.rules.registry import RULES
from flowmap.check.validate import Result

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
CATALOGUE_BASE = "FLOWMAP_CATALOGUE"

LEVELS: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}

Json = dict[str, Any]


def tool_version() -> str:
    try:
        return version("flowmap")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


def information_uri() -> str:
    """Where a reader learns what flowmap and its finding codes mean: the Documentation
    URL the installed package declares, else the format reference of its source tree,
    else the package itself."""
    try:
        entries: list[str] = metadata("flowmap").get_all("Project-URL") or []
        for entry in entries:
            label, _, url = entry.partition(",")
            if label.strip().casefold() == "documentation" and url.strip():
                return url.strip()
    except PackageNotFoundError:
        pass
    return (REFERENCE if REFERENCE.is_file() else Path(__file__).resolve().parent.parent).as_uri()


def pascal_case(name: str) -> str:
    """'parties-disagree' → 'PartiesDisagree', the friendly-name form SARIF viewers expect."""
    return "".join(part[:1].upper() + part[1:] for part in name.replace("_", "-").split("-"))


def rule_descriptor(rule: Rule, information: str) -> Json:
    return {
        "id": rule.code,
        "name": pascal_case(rule.name),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.what},
        "help": {"text": rule.help_text, "markdown": _help_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "helpUri": f"{information}#{rule.code.lower()}",
    }


def _help_markdown(rule: Rule) -> str:
    return f"{rule.what}\n\n**Why:** {rule.why}\n\n**How to fix:** {rule.fix}"


def artifact_location(file: str, root: Path) -> Json:
    """Where a finding's file is: under a base id when it can be, else an absolute URI."""
    if is_catalogue(file):
        return {"uri": _uri_path(file[len(CATALOGUE_PREFIX):]), "uriBaseId": CATALOGUE_BASE}
    relative = relative_to(file, root)
    if relative is None:
        return {"uri": absolute_path(file).as_uri()}
    return {"uri": _uri_path(relative), "uriBaseId": SRCROOT}


def _uri_path(posix: str) -> str:
    return quote(posix, safe="/")


def physical_location(loc: Location, root: Path) -> Json:
    physical: Json = {"artifactLocation": artifact_location(loc.file, root)}
    if loc.line:
        region: Json = {"startLine": loc.line}
        if loc.column:
            region["startColumn"] = loc.column
        physical["region"] = region
    return physical


def result_location(f: Finding, root: Path) -> Json:
    location: Json = {}
    if f.location is not None and f.location.file:
        location["physicalLocation"] = physical_location(f.location, root)
    location["logicalLocations"] = [{
        "name": f.subject.id,
        "fullyQualifiedName": f"{f.subject.kind}/{f.subject.id}",
        "kind": f.subject.kind,
    }]
    return location


def sarif_result(f: Finding, index: dict[str, int], root: Path) -> Json:
    result: Json = {"ruleId": f.code}
    if f.code in index:
        result["ruleIndex"] = index[f.code]
    result["level"] = LEVELS[f.severity]
    result["message"] = {"text": f.message}
    result["locations"] = [result_location(f, root)]
    if f.accepted:
        result["suppressions"] = [{
            "kind": "inSource",  # the acceptance is written in the map, under the flow's review
            "status": "accepted",
            "justification": f.review_reason or "accepted in the flow's review",
        }]
    return result


def base_ids(root: Path) -> Json:
    return {
        SRCROOT: {
            "uri": _directory_uri(root),
            "description": {"text": "The directory map paths are relative to."},
        },
        CATALOGUE_BASE: {
            "uri": _directory_uri(CATALOGUE_DIR),
            "description": {"text": "flowmap's built-in catalogues of legal authorities."},
        },
    }


def _directory_uri(path: Path) -> str:
    uri = path.absolute().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def sarif_document(result: Result, *, root: Path | None = None) -> Json:
    """The SARIF log of a checked map, as plain data."""
    root = Path.cwd() if root is None else root
    index = {r.code: i for i, r in enumerate(RULES)}
    information = information_uri()
    run: Json = {
        "tool": {"driver": {
            "name": "flowmap",
            "fullName": "flowmap: maps of personal information flows and their legal bases",
            "version": tool_version(),
            "semanticVersion": tool_version(),
            "informationUri": information,
            "rules": [rule_descriptor(r, information) for r in RULES],
        }},
        "originalUriBaseIds": base_ids(root),
        "columnKind": "unicodeCodePoints",
        "results": [sarif_result(f, index, root) for f in result.findings],
        "properties": {"map": result.map.info.id, "asOf": result.map.as_of.isoformat()},
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def format_result(result: Result) -> str:
    return indented_json(sarif_document(result)) + "\n"
