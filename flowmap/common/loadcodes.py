"""The codes the loader emits while it reads a map: FM0xx (reading files), and the
reference and composition codes it finds while merging items (FM101, FM106, FM107,
FM109, FM501).

Declarations only, no checks: the loader and every later stage may import this
module, which imports nothing but findings and rule values (the import ladder in
tests/test_imports.py).
"""

from __future__ import annotations

from flowmap.common.findings import Severity
from flowmap.common.rule import declare

E = Severity.ERROR

UNREADABLE = declare(
    "FM001", E, "unreadable-file", "File cannot be read",
    what="A file of the map cannot be read: it is missing, not UTF-8 text, or too large.",
    why="flowmap cannot check what it cannot read; skipping the file silently would hide flows.",
    fix="Save the file as UTF-8 text (most editors: 'Save with encoding'), or split a huge file.",
)
YAML_SYNTAX = declare(
    "FM002", E, "yaml-syntax", "YAML syntax error",
    what="The file is not valid YAML (e.g. a tab used for indentation, an unclosed quote).",
    why="Nothing in a file that does not parse can be checked.",
    fix="Correct the YAML at the line and column shown; indent with spaces, never tabs.",
)
NOT_A_MAPPING = declare(
    "FM003", E, "not-a-mapping", "Top level is not a mapping",
    what="A map file must be a mapping of sections (`organisations:`, `flows:`, ...).",
    why="A list or a bare value at the top level has no sections to read.",
    fix="Put the items under the section they belong to, e.g. `flows:` followed by the list.",
)
UNKNOWN_KEY = declare(
    "FM004", E, "unknown-key", "Unknown key",
    what="A key that the format does not define (often a misspelling).",
    why="A misspelt key would otherwise be ignored silently, e.g. `bassis:` leaving a flow "
    "without its legal basis.",
    fix="Use one of the keys listed in the message, or remove the key.",
)
SCHEMA = declare(
    "FM005", E, "schema", "Wrong type or value",
    what="A value has the wrong type, is missing, or is not one of the allowed words.",
    why="The checks that follow rely on every field meaning what the format says.",
    fix="Write the value the message asks for; `flowmap schema` prints the whole format.",
)
BAD_ID = declare(
    "FM006", E, "bad-id", "Malformed id or category",
    what="An id that is not a lower-case slug, or a category that is not dotted slugs.",
    why="Ids become file names, SVG ids and URLs; they must be stable and safe everywhere.",
    fix="Use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit.",
)
BAD_DATE = declare(
    "FM007", E, "bad-date", "Malformed date",
    what="A date that is not a real calendar date written as YYYY-MM-DD.",
    why="Dates decide whether a legal basis is in force; a wrong date gives a wrong answer.",
    fix="Write the date as YYYY-MM-DD (e.g. 2020-12-01), unquoted.",
)
BAD_URL = declare(
    "FM008", E, "bad-url", "Malformed URL",
    what="A URL that is not an absolute http:// or https:// address.",
    why="URLs become links in published maps; other schemes (javascript:, file:) are unsafe.",
    fix="Write the full address, starting with https://.",
)
BAD_VERSION = declare(
    "FM009", E, "format-version", "Unknown format version",
    what="The file's `flowmap:` key names a format version this flowmap does not read.",
    why="A file written for another version may mean something different.",
    fix="Write `flowmap: 1`, or remove the key.",
)
DUPLICATE_KEY = declare(
    "FM010", E, "duplicate-key", "Key repeated in one mapping",
    what="The same key appears twice in one mapping.",
    why="YAML keeps only the last value, silently dropping the first.",
    fix="Keep one of the two; merge their values if both matter.",
)
EMPTY = declare(
    "FM011", E, "empty-map", "Empty file or map",
    what="A file with no content, or a directory with no .yaml/.yml files.",
    why="An empty map checks nothing and would pass silently.",
    fix="Add sections to the file, delete it, or point flowmap at the right directory.",
)
UNSAFE_YAML = declare(
    "FM012", E, "unsafe-yaml", "YAML feature refused",
    what="A YAML tag flowmap does not read (e.g. !!python/object), nesting too deep, "
    "or aliases that expand into a huge structure.",
    why="These are how hostile YAML attacks a reader; a map never needs them.",
    fix="Write plain values, lists and mappings; repeat small values instead of aliasing.",
)
SECOND_MAP_BLOCK = declare(
    "FM013", E, "second-map-block", "More than one `map:` block",
    what="More than one file of the map holds a `map:` block.",
    why="The map's title, date and catalogues must have one source.",
    fix="Keep a single `map:` block, in one file of the map.",
)
NO_MAP_BLOCK = declare(
    "FM014", Severity.INFO, "no-map-block", "No `map:` block",
    what="No file of the map holds a `map:` block; flowmap uses defaults "
    "(the map is named after its path and checked as of today).",
    why="A published map should say what it is and the date it describes.",
    fix="Add a `map:` block with id, title and as_of to one file.",
)

BAD_INCLUDE = declare(
    "FM015", E, "bad-include", "Included map not found",
    what="A file's `include:` names a map (file or directory) that does not exist.",
    why="A composed map missing one of its parts would pass with that part's flows unchecked.",
    fix="Correct the path; it is relative to the file that holds the `include:`.",
)

# -- found while merging items: references (FM1xx) and composed maps (FM5xx) --

DUPLICATE_ID = declare(
    "FM101", E, "duplicate-id", "Id declared twice",
    what="Two items of the same section share an id, in one file or across files.",
    why="Ids are how flows name organisations, information and authorities; "
    "a duplicate makes every reference to it ambiguous.",
    fix="Rename one of the two (the message names both places), or remove the copy.",
)
CATALOGUE_CLASH = declare(
    "FM106", E, "catalogue-clash", "Authority redefines a catalogue authority",
    what="The map declares an authority with the id of one in a loaded built-in catalogue.",
    why="A map must not silently change what a published legal citation covers.",
    fix="Cite the catalogue's authority without declaring it, or use a different id.",
)
CATALOGUE_DISAGREES = declare(
    "FM107", E, "catalogue-disagrees", "Organisation disagrees with the catalogue",
    what="The map redeclares a catalogue organisation with a different kind, country or "
    "`health_agency`.",
    why="Catalogue authorities admit organisations by kind and country, and the health "
    "code applies to health agencies; changing them would change what the law appears "
    "to allow.",
    fix="Use the catalogue's kind, country and health_agency (or leave them out), or give "
    "your organisation another id.",
)
UNKNOWN_CATALOGUE = declare(
    "FM109", E, "unknown-catalogue", "Unknown catalogue",
    what="The map block lists a catalogue that flowmap does not ship.",
    why="Citations into a missing catalogue cannot be checked.",
    fix="Use one of the catalogues the message lists (e.g. nz); `flowmap catalogue list` "
    "shows what a catalogue holds.",
)
CONFLICT = declare(
    "FM501", E, "composed-conflict", "Composed maps disagree about an item",
    what="Two composed maps declare the same organisation, information, purpose or "
    "authority id with different meanings (kind, category, scope, ...).",
    why="The same id is the same thing across a sector; if two agencies disagree on what "
    "it is, one of their maps is wrong and checks against it mislead.",
    fix="Make the two declarations agree (the message lists what differs), or give one "
    "of them another id.",
)
