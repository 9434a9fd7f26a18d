"""The project's documentation that is generated: the format reference.

``flowmap.docs.reference`` writes docs/format.md from the models and the rule
registry; ``python -m flowmap.docs`` runs it. This module only says where the
reference is, so that reports can link to it without importing the generator.
"""

from __future__ import annotations

from pathlib import Path

#: the source tree this package sits in, whose docs/ and tests/cases/ are used
SOURCE_TREE = Path(__file__).resolve().parents[2]
REFERENCE = SOURCE_TREE / "docs" / "format.md"
