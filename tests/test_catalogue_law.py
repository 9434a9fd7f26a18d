"""The law entries of the built-in NZ catalogue can be trusted: each says where it was read.

Covers the files of the catalogue-law lane (the Privacy Act, the HIPC, statutes and the
sector files); the sharing files (AISAs, matching programmes) are checked by their own
tests. Nothing here pins what the catalogue holds: every entry of those files, whatever
they hold, must meet the provenance rules of FORMAT.md and docs/catalogue.md.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest

from flowmap.load.catalogue import load_catalogue
from flowmap.model.entities import Authority

LAW_FILES = {"privacy-act.yaml", "hipc.yaml", "statutes.yaml", "justice.yaml", "health.yaml",
             "education.yaml", "family.yaml"}
CATALOGUE = load_catalogue("nz")


def _law_entries() -> list[Authority]:
    found = []
    for aid, authority in CATALOGUE.authorities.items():
        where = CATALOGUE.where("authorities", aid)
        assert where is not None
        if where.file.rsplit("/", 1)[-1] in LAW_FILES:
            found.append(authority)
    return found


LAW = _law_entries()


def test_the_law_files_are_read_without_problems() -> None:
    assert CATALOGUE.problems == ()
    assert LAW, "no entries found in the catalogue-law files"


@pytest.mark.parametrize("authority", LAW, ids=lambda a: a.id)
def test_every_entry_says_where_it_was_read(authority: Authority) -> None:
    assert authority.provenance is not None, "no provenance"
    assert authority.provenance.read
    assert authority.provenance.checked <= dt.date.today()
    assert authority.short, "no short citation for drawings"


@pytest.mark.parametrize("authority", LAW, ids=lambda a: a.id)
def test_every_url_is_a_page_not_a_home_page(authority: Authority) -> None:
    assert authority.url is not None
    assert urlparse(authority.url).path.strip("/"), f"{authority.url} is a home page"


@pytest.mark.parametrize("authority", LAW, ids=lambda a: a.id)
def test_an_unsettled_start_is_said_and_not_verified(authority: Authority) -> None:
    if authority.in_force.from_ is None:
        assert not authority.verified
        assert any("commencement" in u or "date" in u for u in authority.unsettled), (
            "no start date and no word on why")


@pytest.mark.parametrize("authority", LAW, ids=lambda a: a.id)
def test_a_verified_entry_has_nothing_unsettled_in_any_leg(authority: Authority) -> None:
    if authority.verified:
        assert not authority.unsettled
        assert all(leg.verified is not False for leg in authority.legs or ())


@pytest.mark.parametrize("authority", LAW, ids=lambda a: a.id)
def test_scopes_name_only_declared_classes_organisations_and_purposes(
        authority: Authority) -> None:
    for _, scope in authority.scopes():
        for cid in (*(scope.from_classes or ()), *(scope.to_classes or ())):
            assert cid in CATALOGUE.classes, cid
        for oid in (*(scope.from_ or ()), *(scope.to or ()), *(scope.parties or ())):
            assert oid in CATALOGUE.organisations, oid
        for pid in scope.purposes or ():
            assert pid in CATALOGUE.purposes, pid


def test_conditions_name_existing_bases() -> None:
    conditions = [a for a in LAW if a.role == "condition"]
    assert conditions, "IPP 12 and HIPC rule 12 are conditions"
    for condition in conditions:
        for basis in condition.applies_to:
            assert CATALOGUE.authorities[basis].role == "basis", (condition.id, basis)
