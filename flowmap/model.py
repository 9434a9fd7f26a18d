"""Pydantic models of the map format (FORMAT.md, version 1).

Every model is frozen and forbids unknown keys. Vocabularies are literals,
ids, categories, dates and URLs are validated here, so that the loader can
turn each validation error into a located finding.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, Strict, ValidationInfo,
                      field_validator, model_validator)
from pydantic_core import PydanticCustomError

FORMAT_VERSION = 1

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
CATEGORY_PATTERN = r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$"
CODE_PATTERN = r"^FM[0-9]{3}$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"

CATEGORY_ROOTS: dict[str, tuple[str, ...]] = {
    "personal": (
        "identity",
        "contact",
        "health",
        "financial",
        "tax",
        "benefit",
        "employment",
        "education",
        "housing",
        "criminal-justice",
        "child-welfare",
        "family-violence",
    ),
    "non-personal": ("aggregate", "operational"),
}

OrgKind = Literal[
    "government-department",
    "crown-entity",
    "local-government",
    "ngo",
    "iwi-maori-organisation",
    "health-provider",
    "education-provider",
    "private-sector",
    "international",
    "individual",
    "other",
]
AuthorityType = Literal[
    "statute",
    "regulation",
    "privacy-principle",
    "code-of-practice",
    "aisa",
    "information-matching",
    "consent",
    "contract",
    "court-order",
    "other",
]
Identifiability = Literal["identified", "pseudonymised", "de-identified", "aggregate"]
FlowStatus = Literal["active", "proposed", "historical"]
Frequency = Literal[
    "real-time", "daily", "weekly", "monthly", "yearly", "on-request", "ad-hoc", "one-off"
]
Onward = Literal["allowed", "forbidden"]

#: no whitespace, quotes or control characters (NUL, ESC, BEL ...) anywhere
_URL = re.compile(r"^https?://[^\s/?#<>\"'`\\\x00-\x1f\x7f-\x9f]+(:[0-9]+)?"
                  r"([/?#][^\s<>\"'`\\\x00-\x1f\x7f-\x9f]*)?$", re.I)


def _check_url(value: str) -> str:
    if not _URL.match(value):
        raise PydanticCustomError(
            "url",
            "not a web address: {value}; write a full http:// or https:// URL",
            {"value": value},
        )
    return value


#: ids become file names, SVG ids and DOT names: bounded so all of these work
MAX_ID_LENGTH = 200
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=MAX_ID_LENGTH)]
Category = Annotated[str, Field(pattern=CATEGORY_PATTERN)]
Country = Annotated[str, Field(pattern=COUNTRY_PATTERN)]
FindingCode = Annotated[str, Field(pattern=CODE_PATTERN)]
Url = Annotated[str, Field(json_schema_extra={"format": "uri", "pattern": "^https?://"}),
                AfterValidator(_check_url)]
# YAML gives ISO dates as date objects; anything else (a string, a number,
# an impossible date such as 2019-02-30) stays unparsed and must fail here.
Date = Annotated[dt.date, Strict(), Field(json_schema_extra={"format": "date"})]
Text = Annotated[str, Field(min_length=1)]
#: only true or false: YAML 1.1 words ('yes', 'off') and numbers are refused
Flag = Annotated[bool, Strict()]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class MapInfo(_Model):
    """The `map:` block: what the map is and how to check it."""

    id: Id
    title: Text
    description: str | None = None
    as_of: Date | None = None
    jurisdiction: Country = "NZ"
    catalogues: tuple[Id, ...] = ()
    owner: Id | None = Field(
        default=None,
        description="The organisation whose own map this is; composed maps are "
        "reconciled between owners (each flow declared by both of its parties).",
    )


class Organisation(_Model):
    id: Id
    name: Text
    short: str | None = None
    kind: OrgKind
    sector: str | None = None
    country: Country | None = None
    url: Url | None = None
    description: str | None = None
    health_agency: Flag | None = Field(
        default=None,
        description="A health agency under a health information code "
        "(default: true for kind health-provider).",
    )

    @property
    def label(self) -> str:
        return self.short or self.name

    @property
    def is_health_agency(self) -> bool:
        if self.health_agency is not None:
            return self.health_agency
        return self.kind == "health-provider"


class Information(_Model):
    id: Id
    name: Text
    category: Category
    description: str | None = None

    @property
    def is_personal(self) -> bool:
        return self.category.split(".")[0] != "non-personal"


class Purpose(_Model):
    id: Id
    name: Text
    description: str | None = None


class InForce(_Model):
    from_: Date | None = Field(default=None, alias="from")
    until: Date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> InForce:
        if self.from_ and self.until and self.from_ > self.until:
            raise PydanticCustomError(
                "date_order", "in force from {start} but until {end}, which is earlier; "
                "swap the dates", {"start": str(self.from_), "end": str(self.until)})
        return self

    def covers(self, start: dt.date, end: dt.date | None = None) -> bool:
        """True when in force on every day from ``start`` to ``end`` (inclusive)."""
        end = end or start
        return (self.from_ is None or self.from_ <= start) and (
            self.until is None or end <= self.until
        )


class Scope(_Model):
    from_: tuple[Id, ...] | None = Field(default=None, alias="from")
    to: tuple[Id, ...] | None = None
    parties: tuple[Id, ...] | None = None
    from_kinds: tuple[OrgKind, ...] | None = None
    to_kinds: tuple[OrgKind, ...] | None = None
    information: tuple[Category, ...] | None = None
    purposes: tuple[Id, ...] | None = None
    cross_border: Flag = False


class Authority(_Model):
    id: Id
    title: Text
    type: AuthorityType
    instrument: str | None = None
    provision: str | None = None
    url: Url | None = None
    in_force: InForce = InForce()
    scope: Scope = Scope()
    onward: Onward = "allowed"
    needs_justification: Flag = False
    needs_consent: Flag = Field(
        default=False,
        description="Each flow citing it must carry a `consent` record "
        "(implied for type consent).",
    )
    verified: Flag = True
    notes: str | None = None

    @property
    def requires_consent(self) -> bool:
        return self.type == "consent" or self.needs_consent

    @property
    def citation(self) -> str:
        """'Instrument, provision' where known, else the title."""
        parts = [p for p in (self.instrument, self.provision) if p]
        return ", ".join(parts) if parts else self.title


class Consent(_Model):
    obtained: str | Date | None = None
    opt_out: Flag = False


class Review(_Model):
    code: FindingCode
    reason: Text
    by: str | None = None
    until: Date | None = None


class Flow(_Model):
    id: Id
    from_: Id = Field(alias="from")
    to: Id
    information: tuple[Id, ...] = Field(min_length=1)
    purpose: Id | None = None
    basis: tuple[Id, ...] = ()
    identifiability: Identifiability = "identified"
    status: FlowStatus = "active"
    frequency: Frequency | None = None
    channel: str | None = None
    since: Date | None = None
    until: Date | None = None
    consent: Consent | None = None
    justification: str | None = None
    description: str | None = None
    review: tuple[Review, ...] = ()

    @field_validator("until")
    @classmethod
    def _not_before_since(cls, until: dt.date | None, info: ValidationInfo) -> dt.date | None:
        since = info.data.get("since")
        if until is not None and since is not None and until < since:
            raise PydanticCustomError(
                "date_order", "the flow runs until {end}, which is before it starts "
                "(since {start}); swap the dates", {"start": str(since), "end": str(until)})
        return until


class MapFile(_Model):
    """One file of a map: any subset of the sections.

    The loader validates each item on its own (so that one bad flow does not
    hide the rest); this model exists to publish the JSON Schema of a file.
    """

    model_config = ConfigDict(
        title="flowmap map file",
        json_schema_extra={"$id": "https://flowmap.invalid/schema/map-1.json"},
    )

    flowmap: Literal[1] | None = None
    map: MapInfo | None = None
    include: tuple[str, ...] | None = Field(
        default=None, description="Other maps (files or directories, relative to this "
        "file) to compose with this one.")
    # a section with nothing under it (`flows:`) is an empty section
    organisations: tuple[Organisation, ...] | None = None
    information: tuple[Information, ...] | None = None
    purposes: tuple[Purpose, ...] | None = None
    authorities: tuple[Authority, ...] | None = None
    flows: tuple[Flow, ...] | None = None


Item = Organisation | Information | Purpose | Authority | Flow


def nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (directly, in a list, or optionally), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = nested_model(arg)
        if found is not None:
            return found
    return None

#: section name → (model, subject kind used in findings)
SECTIONS: dict[str, tuple[type[Item], str]] = {
    "organisations": (Organisation, "organisation"),
    "information": (Information, "information"),
    "purposes": (Purpose, "purpose"),
    "authorities": (Authority, "authority"),
    "flows": (Flow, "flow"),
}
TOP_LEVEL_KEYS = ("flowmap", "map", "include", *SECTIONS)
