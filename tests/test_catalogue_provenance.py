"""The built-in NZ catalogue can be trusted entry by entry: every entry says where its
scope was read and when, when it was in force, and what is unsettled (issue 10)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from flowmap.load.catalogue import load_catalogue
from flowmap.model.entities import Authority

CATALOGUE = load_catalogue("nz")
ENTRIES = list(CATALOGUE.authorities.values())


def test_the_catalogue_loads_without_problems() -> None:
    assert not CATALOGUE.problems, [f"{p.location}: {p.message}" for p in CATALOGUE.problems]


def test_the_catalogue_is_broad_enough() -> None:
    # the sector works under more than 70 sets of provisions (the DPUP FAQ)
    assert len(ENTRIES) >= 80


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda a: a.id)
def test_every_entry_has_provenance(entry: Authority) -> None:
    assert entry.provenance is not None, f"{entry.id}: no provenance (where was it read?)"
    assert entry.provenance.read


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda a: a.id)
def test_every_entry_names_its_provision_not_a_home_page(entry: Authority) -> None:
    assert entry.url is not None, f"{entry.id}: no url"
    path = urlparse(entry.url).path.strip("/")
    assert path, f"{entry.id}: {entry.url} is a home page, not the provision"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda a: a.id)
def test_every_entry_has_its_commencement_or_says_it_is_unsettled(entry: Authority) -> None:
    if entry.in_force.from_ is None:
        said = any(word in u.lower() for u in entry.unsettled
                   for word in ("commence", "in force", "into force", "date"))
        assert not entry.verified and said, \
            f"{entry.id}: no commencement, and not marked unsettled"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda a: a.id)
def test_unverified_entries_say_what_is_unsettled(entry: Authority) -> None:
    if not entry.verified:
        assert entry.unsettled, f"{entry.id}: verified: false, but nothing is unsettled"


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda a: a.id)
def test_verified_entries_have_no_unverified_legs(entry: Authority) -> None:
    if entry.verified:
        legs = [*(entry.legs or ()), *(l for v in entry.versions for l in v.legs or ())]
        assert all(leg.verified is not False for leg in legs), entry.id


def test_conditions_name_catalogue_bases() -> None:
    for entry in ENTRIES:
        for base in entry.applies_to:
            assert base in CATALOGUE.authorities, f"{entry.id} applies to unknown {base}"
            assert CATALOGUE.authorities[base].role == "basis"


def test_scopes_name_catalogue_entries() -> None:
    for entry in ENTRIES:
        for _, scope in entry.scopes():
            for org in (*(scope.from_ or ()), *(scope.to or ()), *(scope.parties or ())):
                assert org in CATALOGUE.organisations, f"{entry.id}: unknown organisation {org}"
            for purpose in scope.purposes or ():
                assert purpose in CATALOGUE.purposes, f"{entry.id}: unknown purpose {purpose}"
            for cls in (*(scope.from_classes or ()), *(scope.to_classes or ())):
                assert cls in CATALOGUE.classes, f"{entry.id}: unknown class {cls}"


SHARING = [a for a in ENTRIES if a.type in ("aisa", "information-matching") and a.role == "basis"]


@pytest.mark.parametrize("entry", SHARING, ids=lambda a: a.id)
def test_sharing_entries_leave_no_information_or_purpose_open(entry: Authority) -> None:
    # an absent `information` or `purposes` admits anything: where the order or the
    # matching provision was not read, the entry must narrow, not leave it open
    for path, scope in entry.scopes():
        if path == ("scope",) and entry.legs:
            continue  # an authority with legs admits only through them
        assert scope.information is not None, f"{entry.id} {path}: information is open"
        assert scope.purposes is not None, f"{entry.id} {path}: purposes are open"
