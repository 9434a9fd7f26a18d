"""Generated maps shaped like real ones, for measuring layouts at sizes the examples lack.

Real flow maps are not random graphs: a few agencies (the hubs) take part in
most flows, partners mostly deal with one or two of them, flows often go
both ways, and one identity item travels on most flows. The generator copies
that shape from a seed, so a size always gives the same map.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml

KINDS = ("government-department", "crown-entity", "ngo", "health-provider",
         "private-sector", "education-provider", "local-government", "other")
SECTORS = ("social", "health", "justice", "education", "community", "revenue")
ITEMS = ("Client identity details", "Contact details", "Benefit records",
         "Income and tax records", "Health referral details", "Court outcomes",
         "School enrolment", "Case notes", "Payment history", "Address history",
         "Injury and claim details", "Research extract")
#: one partner organisation for every this many flows (the examples: 1.7 to 2.3)
FLOWS_PER_ORGANISATION = 2
#: the share of flows that have no legal basis (drawn as unjustified)
UNJUSTIFIED_SHARE = 0.1


def generated_map(flows: int, seed: int = 0) -> dict[str, object]:
    """A map of ``flows`` flows among about flows / 2 organisations."""
    rng = random.Random(f"{flows}-{seed}")
    count = max(3, flows // FLOWS_PER_ORGANISATION)
    hubs = max(1, count // 8)
    orgs = [{"id": f"org-{i}", "name": f"{'Agency' if i < hubs else 'Partner'} {i}",
             "kind": KINDS[0] if i < hubs else rng.choice(KINDS),
             "sector": rng.choice(SECTORS)} for i in range(count)]
    items = [{"id": f"item-{i}", "name": name, "category": "personal.identity"}
             for i, name in enumerate(ITEMS)]
    made = []
    for n in range(flows):
        hub = rng.randrange(hubs)
        other = rng.randrange(count) if rng.random() < 0.2 else rng.randrange(hubs, count)
        if other == hub:
            other = (hub + 1) % count
        ends = (hub, other) if rng.random() < 0.5 else (other, hub)
        carried = {0} if rng.random() < 0.7 else set()
        carried |= set(rng.sample(range(1, len(ITEMS)), rng.randint(1, 2)))
        unjustified = rng.random() < UNJUSTIFIED_SHARE
        made.append({"id": f"flow-{n}", "from": f"org-{ends[0]}", "to": f"org-{ends[1]}",
                     "information": [f"item-{i}" for i in sorted(carried)],
                     **({} if unjustified else {"basis": ["law"]})})
    return {
        "map": {"id": f"generated-{flows}", "title": f"Generated map of {flows} flows",
                "as_of": dt.date(2025, 1, 1)},
        "organisations": orgs,
        "information": items,
        "authorities": [{"id": "law", "title": "An Act 2020", "type": "statute",
                         "instrument": "An Act 2020", "provision": "s 1"}],
        "flows": made,
    }


def write_generated(where: Path, flows: int, seed: int = 0) -> Path:
    """Write a generated map to ``where``/map.yaml and return the file."""
    where.mkdir(parents=True, exist_ok=True)
    path = where / "map.yaml"
    path.write_text(yaml.safe_dump(generated_map(flows, seed), sort_keys=False),
                    encoding="utf-8")
    return path
