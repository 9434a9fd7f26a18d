"""Generate a synthetic map of any size, realistic in shape.

    python benchmarks/generate.py OUT_DIR --organisations 200 --flows 2000 [--files 6]

Organisations fall into a few sectors. Each authority names a handful of
organisations drawn from the whole map, and flows run mostly between the parties
of the authority they cite, so flows spread over many pairs of organisations
rather than a few hubs (a hub-shaped map hides the layout's cost: issue 15).
Flows cite authorities whose scopes mostly cover them, so a map has the mix of
justified and unjustified flows a real one has. Seeded: the same arguments
always give the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

import yaml

KINDS = ["government-department", "crown-entity", "ngo", "health-provider",
         "education-provider", "private-sector", "local-government"]
SECTORS = ["government", "health", "education", "justice", "social", "community", "local"]
CATEGORIES = ["personal.identity", "personal.contact", "personal.health", "personal.tax",
              "personal.benefit", "personal.employment", "personal.education",
              "personal.housing", "personal.child-welfare", "non-personal.aggregate"]


def generate(organisations: int, flows: int, files: int = 6, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    orgs = [{"id": f"org-{n:05d}", "name": f"Organisation {n}", "kind": rng.choice(KINDS),
             "sector": rng.choice(SECTORS)} for n in range(organisations)]
    info = [{"id": f"info-{n:03d}", "name": f"Information {n}",
             "category": CATEGORIES[n % len(CATEGORIES)]} for n in range(40)]
    purposes = [{"id": f"purpose-{n:02d}", "name": f"Purpose {n}"} for n in range(20)]
    ids = [o["id"] for o in orgs]
    authorities = []
    for n in range(max(5, flows // 40)):
        parties = rng.sample(ids, min(6, len(ids)))
        authorities.append({
            "id": f"auth-{n:04d}", "title": f"Authority {n}",
            "type": rng.choice(["statute", "aisa", "information-matching", "privacy-principle"]),
            "url": f"https://www.legislation.govt.nz/act/{n}",
            "in_force": {"from": dt.date(2010, 1, 1)},
            "scope": {"parties": sorted(set(parties)),
                      "information": sorted(set(rng.sample(CATEGORIES[:-1], 4))),
                      "purposes": sorted(rng.sample([p["id"] for p in purposes], 5))},
        })
    flow_items = []
    for n in range(flows):
        auth = rng.choice(authorities)
        parties = auth["scope"]["parties"]
        if rng.random() < 0.9:
            src, dst = rng.sample(parties, 2)
        else:
            src, dst = rng.sample(ids, 2)
        covered = [i for i in info if i["category"] in auth["scope"]["information"]]
        pool = covered if covered and rng.random() < 0.9 else info
        items = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        flow_items.append({
            "id": f"flow-{n:06d}", "from": src, "to": dst,
            "information": [i["id"] for i in items],
            "purpose": rng.choice(auth["scope"]["purposes"]),
            "basis": [auth["id"]] if rng.random() < 0.95 else [],
            "frequency": rng.choice(["daily", "weekly", "monthly", "on-request"]),
        })
    documents: list[dict] = [{"flowmap": 1, "map": {
        "id": "synthetic", "title": f"Synthetic map: {organisations} organisations, "
        f"{flows} flows", "as_of": dt.date(2024, 1, 1)}, "organisations": orgs,
        "information": info, "purposes": purposes, "authorities": authorities}]
    per_file = -(-len(flow_items) // max(1, files - 1))
    for start in range(0, len(flow_items), per_file):
        documents.append({"flowmap": 1, "flows": flow_items[start:start + per_file]})
    return documents


def write(out: Path, documents: list[dict]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for n, doc in enumerate(documents):
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)
        (out / f"part-{n:02d}.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--organisations", type=int, default=200)
    parser.add_argument("--flows", type=int, default=2000)
    parser.add_argument("--files", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.out, generate(args.organisations, args.flows, args.files, args.seed))


if __name__ == "__main__":
    main()
