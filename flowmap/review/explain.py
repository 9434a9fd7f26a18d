"""A checked map → what happens to a person's information, in plain words.

``explain(result, subject)`` takes an organisation id or a purpose id (a
service) and returns an :class:`Explanation`: where the information goes and
why, under which law (named in words), what choice the person has and how to
use it, where information comes from, how to see and correct it, and whom to
contact. It is a value; report/explain.py writes it as Markdown or HTML.

The sentences are short and use everyday words on purpose: the Data Protection
and Use Policy's first aim is that people receiving social services understand
how their information is collected and used. tests/test_explain.py measures
their reading level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flowmap.check.dpup import choice_of, compelled, identifiable, live
from flowmap.model.mapdata import Map
from flowmap.model.entities import Authority, Flow, Organisation
from flowmap.model.privacyfacts import Contact
from flowmap.check.validate import Result

#: where a person can go when the organisation's answer does not help
PRIVACY_COMMISSIONER = ("Office of the Privacy Commissioner", "https://www.privacy.org.nz/")


class ExplainError(ValueError):
    """The subject is not an organisation or purpose of the map."""


@dataclass(frozen=True)
class Law:
    """A law, named in words, with a link to read it where the map has one."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Entry:
    """One flow, told from the person's side."""

    flow: str
    heading: str
    what: tuple[str, ...]
    why: str | None
    laws: tuple[Law, ...]
    choice: str
    how: str | None
    told: str | None
    #: who gives it, on a service's page (an organisation's page is told from its side)
    giver: str | None = None


@dataclass(frozen=True)
class Who:
    """An organisation the person can contact about their information."""

    name: str
    contact: Contact | None
    access: str | None
    statement: str | None


@dataclass(frozen=True)
class Explanation:
    title: str
    subject: str
    intro: str
    given: tuple[Entry, ...]
    goes: tuple[Entry, ...]
    unnamed: tuple[Entry, ...]
    comes: tuple[Entry, ...]
    contacts: tuple[Who, ...]
    as_of: dt.date


def subjects(m: Map) -> list[str]:
    """The ids ``explain`` takes: organisations and purposes, sorted."""
    return sorted({*m.organisations, *m.purposes})


def explain(result: Result, subject: str) -> Explanation:
    """The plain-language page for an organisation or a service (a purpose id)."""
    m = result.map
    flows = sorted((f for f in m.flows.values() if live(f)), key=lambda f: f.id)
    if subject in m.organisations:
        org = m.organisations[subject]
        name = org.name
        out = [f for f in flows if f.from_ == subject]
        into = [f for f in flows if f.to == subject and (identifiable(m, f) or _person(m, f))]
        service = False
        involved = [subject, *sorted({f.to for f in out if identifiable(m, f)})]
        intro = (f"This page tells you what happens to information about you when you deal "
                 f"with {name}. It says who gets it, why, and what you can do.")
    elif subject in m.purposes:
        name = m.purposes[subject].name
        out = [f for f in flows if f.purpose == subject]
        into = []
        service = True
        involved = sorted({o for f in out for o in (f.from_, f.to)})
        intro = ("This page is about one service. It tells you what happens to information "
                 "about you: who gets it, why, and what you can do.")
    else:
        raise ExplainError(f"{subject!r} is not an organisation or purpose of the map")
    return Explanation(
        title=f"What happens to your information: {name}",
        subject=name,
        intro=intro,
        given=tuple(_entry(m, f, f.to) for f in into if _person(m, f)),
        goes=tuple(_entry(m, f, f.to, service) for f in out if identifiable(m, f)),
        unnamed=tuple(_entry(m, f, f.to, service) for f in out if not identifiable(m, f)),
        comes=tuple(_entry(m, f, f.from_) for f in into if not _person(m, f)),
        contacts=tuple(_who(m.organisations[o]) for o in involved
                       if o in m.organisations and m.organisations[o].kind != "individual"),
        as_of=m.as_of,
    )


def _person(m: Map, flow: Flow) -> bool:
    """The flow comes from the person themselves (an organisation of kind individual)."""
    org = m.organisations.get(flow.from_)
    return org is not None and org.kind == "individual"


def _name(m: Map, oid: str) -> str:
    """An organisation's name; "You" for the person the information is about."""
    org = m.organisations.get(oid)
    if org is None:
        return oid
    return "You" if org.kind == "individual" else org.name


def _entry(m: Map, flow: Flow, other: str, service: bool = False) -> Entry:
    purpose = m.purposes.get(flow.purpose) if flow.purpose else None
    privacy = flow.privacy
    choice = privacy.choice if privacy else None
    return Entry(
        flow=flow.id,
        heading=_name(m, other),
        what=tuple(m.information[i].name if i in m.information else i
                   for i in flow.information),
        why=purpose.name if purpose else None,
        laws=tuple(_law(m.authorities[a]) for a in flow.basis if a in m.authorities),
        choice=_choice_words(m, flow),
        how=choice.how if choice else None,
        told=privacy.notice.how if privacy and privacy.notice else None,
        giver=_name(m, flow.from_) if service else None,
    )


def _law(authority: Authority) -> Law:
    if authority.type == "consent":
        return Law("Your consent")
    if authority.type == "contract":
        return Law(f"A contract: {authority.title}")
    name = authority.instrument or authority.title
    if authority.type == "aisa":
        name = f"An approved information sharing agreement: {authority.title}"
    elif authority.type == "information-matching":
        name = f"An information matching programme: {authority.title}"
    elif authority.type == "privacy-principle":
        name = f"{authority.instrument or 'The Privacy Act'} (its rules on sharing information)"
    return Law(name, authority.url)


_CHOICES = {
    "consent": "You are asked first. You can say no.",
    "opt-out": "You can say no to this. It is called opting out.",
    "none": "You cannot say no to this.",
    "not-needed": "You do not have to give information that names you.",
}


def _choice_words(m: Map, flow: Flow) -> str:
    offered = choice_of(flow)
    if offered is None and compelled(m, flow):
        return "The law allows this without asking you."
    if offered is None:
        return "This map does not say if you can choose. You can ask."
    words = _CHOICES[offered]
    choice = flow.privacy.choice if flow.privacy else None
    if choice is not None and choice.why:
        words += f" Why: {choice.why}"
    return words


def _who(org: Organisation) -> Who:
    privacy = org.privacy
    return Who(org.name, privacy.officer if privacy else None,
               privacy.access if privacy else None, privacy.statement if privacy else None)
