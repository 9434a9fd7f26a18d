"""FM0xx: reading files. The loader emits these while it reads a map."""

from __future__ import annotations

from flowmap.findings import Severity
from flowmap.rules.base import declare

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
