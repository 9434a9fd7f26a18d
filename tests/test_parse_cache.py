"""The built-in catalogue's parse is kept between runs in the user's cache directory
(``flowmap.read.yamlsource.read_cached``): it must give exactly what a fresh parse gives
(values and the position of every item), never serve a file that has changed, and
never fail a command when the cache cannot be read or written."""

from __future__ import annotations

import io
import json
import os
import pickle
import shutil
import subprocess
from pathlib import Path

import pytest

from flowmap.load.loader import CATALOGUE_DIR
from flowmap.read import yamlsource
from flowmap.read.yamlsource import read_cached, read_document
from tests.conftest import FLOWMAP

BUILT_IN = sorted(CATALOGUE_DIR.glob("*/*.yaml"))


def display(path: Path) -> str:
    return f"catalogue:{path.parent.name}/{path.name}"


def same(a: yamlsource.Document, b: yamlsource.Document) -> bool:
    """The same values, problems, and location for every key and list item."""
    return ((a.file, a.data, a.problems) == (b.file, b.data, b.problems)
            and all(a.location(p) == b.location(p) for p in _paths(b.data, ())))


def _paths(value: object, path: tuple[str | int, ...]) -> list[tuple[str | int, ...]]:
    """Every path into ``value``: its own, then every key's and list item's inside it."""
    inner: list[tuple[str | int, ...]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            inner += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            inner += _paths(item, (*path, index))
    return [path, *inner]


def test_a_kept_parse_is_the_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fresh = {p: read_document(p, display(p)) for p in BUILT_IN}
    assert all(same(read_cached(p, display(p)), fresh[p]) for p in BUILT_IN)
    assert len(list((tmp_path / "flowmap" / "parsed").glob("*.pickle"))) == len(BUILT_IN)

    def no_parse(raw: bytes, name: str) -> yamlsource.Document:
        raise AssertionError(f"{name} was parsed again")

    monkeypatch.setattr(yamlsource, "parse_document", no_parse)
    for path in BUILT_IN:
        kept = read_cached(path, display(path))
        assert same(kept, fresh[path])
        dates = [v for v in _leaves(kept.data) if type(v).__name__ in ("date", "datetime")]
        assert all(type(v) is type(w) for v, w in zip(
            dates, [v for v in _leaves(fresh[path].data)
                    if type(v).__name__ in ("date", "datetime")], strict=True))


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def test_a_changed_file_is_parsed_again(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "authorities.yaml"
    path.write_text("authorities:\n  - {id: a1, title: First, type: statute}\n",
                    encoding="utf-8")
    assert read_cached(path, "catalogue:x/authorities.yaml").data["authorities"][0][
        "title"] == "First"
    path.write_text("# moved down a line\nauthorities:\n  - {id: a1, title: Second, "
                    "type: statute}\n", encoding="utf-8")
    doc = read_cached(path, "catalogue:x/authorities.yaml")
    assert doc.data["authorities"][0]["title"] == "Second"
    assert doc.location(("authorities", 0)).line == 3
    assert same(doc, read_document(path, "catalogue:x/authorities.yaml"))


def test_a_broken_cache_is_passed_over(tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = BUILT_IN[0]
    read_cached(path, display(path))
    (kept,) = (tmp_path / "flowmap" / "parsed").glob("*.pickle")
    for garbage in (b"", b"\x00not a pickle", b"\x80\x05" + b"\xe9" * 40):
        kept.write_bytes(garbage)
        assert same(read_cached(path, display(path)), read_document(path, display(path)))
    assert same(read_cached(path, display(path)), read_document(path, display(path)))
    assert kept.read_bytes()[:2] == b"\x80\x05"  # kept again, as a whole pickle
    assert same(yamlsource._Unpickler(io.BytesIO(kept.read_bytes())).load(),
                read_document(path, display(path)))


class _Runs:
    """What a cache file would hold if someone else wrote it to run code."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.remove, (str(self.target),))


def test_reading_a_cache_file_runs_no_code(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = BUILT_IN[0]
    read_cached(path, display(path))
    (kept,) = (tmp_path / "cache" / "flowmap" / "parsed").glob("*.pickle")
    sentinel = tmp_path / "still-here"
    sentinel.write_text("", encoding="utf-8")
    kept.write_bytes(pickle.dumps(_Runs(sentinel)))
    assert same(read_cached(path, display(path)), read_document(path, display(path)))
    assert sentinel.exists()


def test_a_file_with_problems_is_not_kept(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "bad.yaml"
    path.write_text("authorities:\n  - id: a\n    id: b\n", encoding="utf-8")
    assert read_cached(path, "catalogue:x/bad.yaml").problems
    assert not (tmp_path / "cache").exists()


def run(args: list[str], cache: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FLOWMAP), *args], capture_output=True, text=True,
                          env={**os.environ, "XDG_CACHE_HOME": cache}, check=False)


@pytest.mark.parametrize("args", [["catalogue", "list", "--format", "json"],
                                  ["catalogue", "show", "privacy-act-2020.ipp11-1-a",
                                   "--format", "json"]])
def test_commands_say_the_same_with_a_cold_a_warm_and_an_unusable_cache(
        tmp_path: Path, args: list[str]) -> None:
    unusable = tmp_path / "a-file"
    unusable.write_text("not a directory", encoding="utf-8")
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o500)
    try:
        said = [run(args, cache) for cache in (str(tmp_path / "cold"), str(tmp_path / "cold"),
                                               str(unusable), str(readonly))]
    finally:
        readonly.chmod(0o700)
    assert [s.returncode for s in said] == [0, 0, 0, 0]
    assert [s.stderr for s in said] == ["", "", "", ""]
    assert all(json.loads(s.stdout) == json.loads(said[0].stdout) for s in said)
    assert all(s.stdout == said[0].stdout for s in said)
    assert list((tmp_path / "cold" / "flowmap" / "parsed").glob("*.pickle"))


def test_a_map_using_the_catalogue_is_checked_the_same_warm(tmp_path: Path) -> None:
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "map.yaml").write_text(
        "map: {id: m, title: M, as_of: 2024-01-01, catalogues: [nz]}\n"
        "information:\n  - {id: rec, name: Record, category: personal.health}\n"
        "flows:\n  - {id: f1, from: ird, to: acc, information: [rec], "
        "basis: [ac-act-2001.s246]}\n", encoding="utf-8")
    cache = str(tmp_path / "cache")
    cold, warm = (run(["validate", str(folder), "--format", "json"], cache)
                  for _ in range(2))
    assert cold.returncode == warm.returncode and cold.stderr == warm.stderr == ""
    assert json.loads(cold.stdout)["findings"], "the map should have findings to compare"
    assert cold.stdout == warm.stdout
    shutil.rmtree(cache)
