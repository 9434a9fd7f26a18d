"""The format reference (docs/format.md) is current, complete, and its examples are true."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from pydantic import Field

from flowmap.model import entities as model
from flowmap.docs import REFERENCE
from flowmap.docs.reference import format_reference, vocabularies
from flowmap.docs.keys import keys_of
from flowmap.check.rules.registry import RULES
from flowmap.model.schema import map_schema
from flowmap.check.validate import check
from tests.conftest import REPO, TODAY

TEXT = REFERENCE.read_text(encoding="utf-8")


def test_reference_is_current() -> None:
    assert TEXT == format_reference(), "docs/format.md is stale: run python -m flowmap.docs"


def test_check_command_says_whether_it_is_stale() -> None:
    run = subprocess.run([sys.executable, "-m", "flowmap.docs", "--check"], cwd=REPO,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr


def test_every_section_and_key_is_in_a_table() -> None:
    schema = map_schema()
    for section, prop in schema["properties"].items():
        assert f'<a id="{section}"></a>' in TEXT
        for key in keys_of(section, prop, schema):
            assert re.search(rf"^\| `{re.escape(key.label)}` \|", TEXT, re.M), key.path


def test_a_field_added_to_a_model_appears() -> None:
    class NewFlow(model.Flow):
        retention: model.Text | None = Field(default=None, description="How long it is kept.")

    class NewFile(model.MapFile):
        flows: tuple[NewFlow, ...] | None = None

    schema = NewFile.model_json_schema(by_alias=True, mode="validation")
    [key] = [k for k in keys_of("flows", schema["properties"]["flows"], schema)
             if k.label == "retention"]
    assert (key.value, key.presence, key.description) == ("text", "optional",
                                                          "How long it is kept.")


def test_every_word_of_every_vocabulary_and_category() -> None:
    assert set(vocabularies()) >= {"OrgKind", "AuthorityType", "Frequency"}
    for words in vocabularies().values():
        assert all(f"`{w}`" in TEXT for w in words)
    for root, children in model.CATEGORY_ROOTS.items():
        assert all(f"`{root}.{c}`" in TEXT for c in children)


def test_every_finding_code_has_its_entry_and_an_anchor() -> None:
    for rule in RULES:
        assert f'<a id="{rule.code.lower()}"></a>' in TEXT
        assert f"### {rule.code} {rule.name}: {rule.title}" in TEXT
        assert rule.fix in TEXT


def yaml_blocks(text: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S)


def test_section_examples_make_a_map_with_no_errors(tmp_path: Path) -> None:
    """The sections' examples, each in its own file, are one valid map."""
    sections = TEXT.split("## Vocabularies")[0]
    blocks = yaml_blocks(sections)
    assert len(blocks) >= 6
    for n, block in enumerate(blocks):
        (tmp_path / f"{n}.yaml").write_text(block, encoding="utf-8")
    result = check(tmp_path, today=TODAY)
    assert [f.code for f in result.findings if f.severity.value == "error"] == []


def test_each_finding_example_produces_its_code(tmp_path: Path) -> None:
    entries = re.split(r'^<a id="(fm\d{3})"></a>$', TEXT, flags=re.M)[1:]
    examples = 0
    for anchor, body in zip(entries[::2], entries[1::2]):
        for block in yaml_blocks(body):
            path = tmp_path / anchor / "map.yaml"
            path.parent.mkdir()
            path.write_text(block, encoding="utf-8")
            assert anchor.upper() in {f.code for f in check(path, today=TODAY).findings}
            examples += 1
    assert examples >= len(RULES) // 2


def test_readme_links_the_reference_not_a_file_outside_the_project() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "](docs/format.md)" in readme
    assert "../shared" not in readme
