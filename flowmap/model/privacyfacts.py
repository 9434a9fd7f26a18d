"""Privacy-review facts on flows and organisations (the Data Protection and Use Policy lens).

All of them are optional. A flow's ``privacy:`` block records what a privacy
reviewer asks beyond the law: why identified information is needed (necessity),
how people are told (notice), what choice they have, the privacy impact
assessment, the agreement, safeguards, retention and whether the information is
Māori data and who governs it. An organisation's ``privacy:`` block records
its privacy officer, its privacy statement and how people can see and correct
their information.

Keys starting with ``x-`` are an agency's own fields: any item may carry them,
they are kept as written and shown, and never an error.

The policy's pages these facts follow are listed in docs/dpup.md.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError
from typing_extensions import Annotated

#: the prefix of an agency's own keys
OWN_PREFIX = "x-"
#: the key the own fields are gathered under (it cannot clash with an own key)
OWN_KEY = "x-"

ChoiceKind = Literal["none", "opt-out", "consent", "not-needed"]

_EMAIL = re.compile(r"^[^@\s<>\"'`]+@[^@\s<>\"'`]+\.[^@\s<>\"'`]+$")
_URL = re.compile(r"^https?://[^\s/?#<>\"'`\\]+(:[0-9]+)?([/?#][^\s<>\"'`\\]*)?$", re.I)


def _check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise PydanticCustomError("email", "not an email address: {value}; write e.g. "
                                  "privacy@agency.govt.nz", {"value": value})
    return value


def _check_url(value: str) -> str:
    if not _URL.match(value):
        raise PydanticCustomError("url", "not a web address: {value}; write a full http:// "
                                  "or https:// URL", {"value": value})
    return value


Text = Annotated[str, Field(min_length=1)]
Email = Annotated[str, Field(json_schema_extra={"format": "email"}),
                  AfterValidator(_check_email)]
Url = Annotated[str, Field(json_schema_extra={"format": "uri", "pattern": "^https?://"}),
                AfterValidator(_check_url)]
Flag = Annotated[bool, Field(strict=True)]


class _Facts(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Notice(_Facts):
    """How people are told that their information goes this way."""

    how: Text = Field(description="How people are told, in their words: a form, a conversation, "
                      "a leaflet, a letter.")
    statement: Url | None = Field(default=None, description="The privacy statement that says it.")


class Choice(_Facts):
    """What choice people have about the flow (a flow's `consent:` record implies it)."""

    offered: ChoiceKind = Field(description="none, opt-out, consent or not-needed (the service "
                                "can be used without giving personal information).")
    how: str | None = Field(default=None, description="How a person uses the choice: whom to "
                            "tell, what to sign, what happens then.")
    why: str | None = Field(default=None, description="Why there is no choice (required for "
                            "`none`), or why none is needed.")

    @model_validator(mode="after")
    def _why_for_none(self) -> Choice:
        if self.offered == "none" and not self.why:
            raise PydanticCustomError("choice_why", "choice `none` needs `why:` (the reason "
                                      "people have no choice, e.g. to prevent a serious "
                                      "threat to someone's life or health)")
        return self


class MaoriData(_Facts):
    """The information is Māori data: who governs it, and how."""

    governed_by: str | None = Field(default=None, description="The iwi, hapū or Māori "
                                    "organisation (or joint group) that governs the data.")
    arrangement: str | None = Field(default=None, description="The agreement or protocol "
                                    "under which it is governed.")


class FlowPrivacy(_Facts):
    """A flow's privacy-review facts (the `privacy:` block of a flow)."""

    necessity: str | None = Field(default=None, description="Why identified information is "
                                  "needed rather than de-identified or aggregate.")
    notice: Notice | None = None
    choice: Choice | None = None
    pia: str | None = Field(default=None, description="The privacy impact assessment: a "
                            "reference or a link.")
    agreement: str | None = Field(default=None, description="The agreement or memorandum of "
                                  "understanding the flow follows.")
    safeguards: tuple[Text, ...] = ()
    retention: str | None = Field(default=None, description="How long the recipient keeps it.")
    maori_data: Flag | MaoriData | None = Field(default=None, description="true (or who "
                                                "governs it) when the information is Māori "
                                                "data; false when it is not.")

    @property
    def maori(self) -> MaoriData | None:
        """The Māori data record, when the information is Māori data."""
        if self.maori_data is True:
            return MaoriData()
        return self.maori_data if isinstance(self.maori_data, MaoriData) else None


class Contact(_Facts):
    """How to reach a person: at least one of email, phone, web address or postal address."""

    name: str | None = None
    email: Email | None = None
    phone: str | None = None
    url: Url | None = None
    post: str | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not (self.email or self.phone or self.url or self.post):
            raise PydanticCustomError("contact", "a contact needs at least one of email, "
                                      "phone, url or post")
        return self


class OrganisationPrivacy(_Facts):
    """An organisation's privacy-review facts (the `privacy:` block of an organisation)."""

    officer: Contact | None = Field(default=None, description="The privacy officer.")
    statement: Url | None = Field(default=None, description="The privacy statement.")
    access: str | None = Field(default=None, description="How people see and correct the "
                               "information held about them.")


OwnFields = SkipJsonSchema[dict[Annotated[str, Field(pattern=r"^x-")], Any]]


def gather_own_fields(data: Any) -> Any:
    """A before-validator: an item's ``x-`` keys gathered under :data:`OWN_KEY`."""
    if not isinstance(data, dict):
        return data
    own = {k: v for k, v in data.items() if isinstance(k, str) and k.startswith(OWN_PREFIX)}
    if not own:
        return data
    rest = {k: v for k, v in data.items() if k not in own}
    rest[OWN_KEY] = own
    return rest


def own_field(**kwargs: Any) -> Any:
    """The field holding an item's own (``x-``) keys."""
    return Field(default_factory=dict, alias=OWN_KEY, exclude=True, **kwargs)


#: the JSON Schema a model with own fields adds: any ``x-`` key is allowed
OWN_FIELDS_SCHEMA: dict[str, Any] = {"patternProperties": {"^x-": {}}}


def allow_own_fields(schema: dict[str, Any]) -> None:
    """``json_schema_extra`` hook: allow ``x-`` keys in the item's JSON Schema."""
    schema.update(OWN_FIELDS_SCHEMA)
    schema.get("properties", {}).pop(OWN_KEY, None)


def effective_choice(privacy: FlowPrivacy | None, consent: Any) -> ChoiceKind | None:
    """The choice a flow offers: its ``privacy.choice``, else what its ``consent:`` implies."""
    if privacy is not None and privacy.choice is not None:
        return privacy.choice.offered
    return consent_choice(consent) if consent is not None else None



def consent_choice(consent: Any) -> ChoiceKind:
    """The choice a flow's `consent:` record implies."""
    return "opt-out" if getattr(consent, "opt_out", False) else "consent"
