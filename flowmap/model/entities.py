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

from flowmap.model import privacyfacts as pf

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
#: a basis authorises disclosures; a condition only adds conditions to the bases it applies to
AuthorityRole = Literal["basis", "condition"]
#: a disclosure, or custody by an agent holding the information for the discloser
Transfer = Literal["disclosure", "agent"]

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
    classes: tuple[Id, ...] = Field(
        default=(), description="Classes of organisation (declared under `classes:`) this "
        "organisation belongs to, such as a defined class of agencies an Act lets share.")

    @property
    def label(self) -> str:
        return self.short or self.name

    @property
    def is_health_agency(self) -> bool:
        if self.health_agency is not None:
            return self.health_agency
        return self.kind == "health-provider"

    # privacy-review facts and the agency's own `x-` keys (flowmap/model/privacyfacts.py)
    model_config = ConfigDict(json_schema_extra=pf.allow_own_fields)
    privacy: pf.OrganisationPrivacy | None = None
    own: pf.OwnFields = pf.own_field()
    gather_own = model_validator(mode="before")(pf.gather_own_fields)


class Information(_Model):
    id: Id
    name: Text
    category: Category
    description: str | None = None
    also: tuple[Category, ...] = Field(
        default=(), description="Further categories the item belongs to (an enrolment "
        "record is education, identity and contact information): a basis must cover "
        "every one of its categories.")

    @property
    def categories(self) -> tuple[str, ...]:
        """The item's category and the further ones it belongs to."""
        if not self.also:  # most items: asked for hundreds of thousands of times
            return (self.category,)
        return (self.category, *(c for c in self.also if c != self.category))

    @property
    def is_personal(self) -> bool:
        if not self.also:
            return self.category.partition(".")[0] != "non-personal"
        return any(c.partition(".")[0] != "non-personal" for c in self.categories)


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
    from_classes: tuple[Id, ...] | None = Field(
        default=None, description="Classes of organisation allowed to disclose.")
    to_classes: tuple[Id, ...] | None = Field(
        default=None, description="Classes of organisation allowed to receive.")
    information: tuple[Category, ...] | None = None
    purposes: tuple[Id, ...] | None = None
    cross_border: Flag = False


class OrgClass(_Model):
    """A class of organisations a provision is open to (e.g. child welfare and protection
    agencies, Oranga Tamariki Act 1989 s 2), declared once and reused by scopes."""

    id: Id
    name: Text
    description: str | None = None
    url: Url | None = None
    kinds: tuple[OrgKind, ...] = Field(
        default=(), description="Organisation kinds that belong to the class.")
    members: tuple[Id, ...] = Field(
        default=(), description="Organisations that belong to the class (organisations can "
        "also name their classes under `classes:`).")


class Provenance(_Model):
    """Where an authority's scope was read, and when it was last checked."""

    read: tuple[Text, ...] = Field(
        min_length=1, description="Addresses of the provision's text as read (or ids of "
        "the verified legal facts), one per source.")
    checked: Date = Field(description="The date the scope was last checked against them.")


class Leg(_Model):
    """One direction a provision allows: who may give what to whom, for which purposes."""

    id: Id = Field(description="The leg's id, unique within the authority.")
    title: Text = Field(description="Who gives what to whom, in words (shown in findings).")
    provision: str | None = Field(default=None, description="The subsection of this leg.")
    scope: Scope = Field(default=Scope(), description="What this leg admits.")
    onward: Onward | None = Field(
        default=None, description="Onward disclosure of what passes under this leg "
        "(default: the authority's).")
    verified: Flag | None = Field(
        default=None, description="false: this leg is not settled by a source (default: "
        "the authority's).")
    notes: str | None = None


class Version(_Model):
    """The authority as it stood for a period: an amendment, a replaced section, a renamed
    Act. Fields given here replace the authority's own while the version is in force."""

    id: Id = Field(description="The version's id, unique within the authority.")
    in_force: InForce = Field(description="When this version applies (`from` is required).")
    title: str | None = Field(default=None, description="The title while in force.")
    instrument: str | None = Field(default=None, description="The instrument, if renamed.")
    provision: str | None = Field(default=None, description="The provision as amended.")
    url: Url | None = Field(default=None, description="The amended text's address.")
    scope: Scope | None = Field(default=None, description="The scope while in force.")
    legs: tuple[Leg, ...] | None = Field(default=None, description="The legs while in force.")
    notes: str | None = None

    @model_validator(mode="after")
    def _dated(self) -> Version:
        if self.in_force.from_ is None:
            raise PydanticCustomError(
                "version_start", "a version needs the date it took effect: "
                "`in_force: {from: YYYY-MM-DD}`", {})
        return self


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
    role: AuthorityRole = Field(
        default="basis", description="basis: it can justify a flow; condition: it only adds "
        "conditions to the bases named in `applies_to` and justifies nothing alone "
        "(e.g. IPP 12 on disclosures overseas).")
    applies_to: tuple[Id, ...] = Field(
        default=(), description="For a condition: the authorities it adds conditions to.")
    legs: tuple[Leg, ...] | None = Field(
        default=None, description="The directions the provision allows, each with its own "
        "scope; a flow is covered when one leg covers it. Use instead of `scope`.")
    versions: tuple[Version, ...] = Field(
        default=(), description="The authority as amended over time; the version in force "
        "on the date that matters is used.")
    use_limits: tuple[Text, ...] = Field(
        default=(), description="Limits the law puts on the recipient's use or onward "
        "disclosure (e.g. tax secrecy), in words.")
    not_for: tuple[Id, ...] = Field(
        default=(), description="Purposes the recipient may not use the information for, "
        "nor pass it on for (e.g. Oranga Tamariki Act 1989 s 66(3)(a): not to investigate "
        "any offence).")
    short: str | None = Field(
        default=None, description="A short citation for drawings (e.g. 'TAA s 18E').")
    provenance: Provenance | None = None
    unsettled: tuple[Text, ...] = Field(
        default=(), description="What the sources do not settle; the scope admits only "
        "what is settled.")

    @model_validator(mode="after")
    def _consistent(self) -> Authority:
        if self.legs is not None and self.scope != Scope():
            raise PydanticCustomError(
                "legs_and_scope", "give either `scope` or `legs`, not both; move the scope "
                "into a leg", {})
        if self.role == "condition" and not self.applies_to:
            raise PydanticCustomError(
                "condition_without_bases", "a condition must name the authorities it adds "
                "conditions to under `applies_to`", {})
        if self.verified and self.unsettled:
            raise PydanticCustomError(
                "verified_unsettled", "an authority with unsettled parts cannot be "
                "`verified: true`; set `verified: false`", {})
        for group in (self.legs or (), *(v.legs or () for v in self.versions)):
            _unique_ids(group, "leg")
        _unique_ids(self.versions, "version")
        return self

    def scopes(self) -> list[tuple[tuple[str | int, ...], Scope]]:
        """Every scope the authority declares, with its path inside the authority: the
        scope or each leg's, and each version's."""
        found: list[tuple[tuple[str | int, ...], Scope]] = [(("scope",), self.scope)]
        found += [(("legs", i, "scope"), leg.scope) for i, leg in enumerate(self.legs or ())]
        for j, version in enumerate(self.versions):
            if version.scope is not None:
                found.append((("versions", j, "scope"), version.scope))
            found += [(("versions", j, "legs", i, "scope"), leg.scope)
                      for i, leg in enumerate(version.legs or ())]
        return found

    @property
    def requires_consent(self) -> bool:
        return self.type == "consent" or self.needs_consent

    @property
    def citation(self) -> str:
        """'Instrument, provision' where known, else the title."""
        parts = [p for p in (self.instrument, self.provision) if p]
        return ", ".join(parts) if parts else self.title


def _unique_ids(items: Any, noun: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise PydanticCustomError(
                "duplicate_sub_id", "two {noun}s have the id {id}; give each its own",
                {"noun": noun, "id": item.id})
        seen.add(item.id)


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
    transfer: Transfer = Field(
        default="disclosure", description="agent: the recipient only holds or processes the "
        "information for the discloser, as its agent (Privacy Act 2020 s 11), so it is not "
        "a disclosure and needs no basis.")

    # privacy-review facts and the agency's own `x-` keys (flowmap/model/privacyfacts.py)
    model_config = ConfigDict(json_schema_extra=pf.allow_own_fields)
    privacy: pf.FlowPrivacy | None = None
    own: pf.OwnFields = pf.own_field()
    gather_own = model_validator(mode="before")(pf.gather_own_fields)

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
    classes: tuple[OrgClass, ...] | None = None


Item = Organisation | Information | Purpose | Authority | Flow | OrgClass


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
    "classes": (OrgClass, "class"),
}
TOP_LEVEL_KEYS = ("flowmap", "map", "include", *SECTIONS)
