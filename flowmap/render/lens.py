"""The Data Protection and Use Policy lens on the static picture (``render --lens dpup``).

The HTML report's lens colours the flows it keeps purple. A printed picture has no
filter to switch off, and its line colours already say each flow's legal status, so
here the lens never replaces them: a flow with a policy finding (FM6xx) gets a purple
line beside its status colour and a "policy: FM6xx" line on its label, and keeps an
edge of its own. An unjustified flow keeps its heavy double line untouched (a third,
purple line would make it read as something else); its label says the policy codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flowmap.render.dpup_view import lens_codes
from flowmap.check.validate import Result

#: the HTML report's lens colour (render/assets/report.css)
LENS_COLOUR = "#6a1b9a"
LENS_MARK = "policy:"
LEGEND_LENS = ("━━━", LENS_COLOUR,
               "Data Protection and Use Policy finding: purple line beside the status "
               f"colour, '{LENS_MARK} FM6…' on the label")
LENSES = ("dpup",)


def lensed(result: Result, flow_ids: Iterable[str]) -> dict[str, list[str]]:
    """Flow id → its policy finding codes, for the flows that have any."""
    return {fid: codes for fid in flow_ids if (codes := lens_codes(result, fid))}


def lens_line(codes: Sequence[str]) -> list[str]:
    """The label line naming a flow's policy findings (none when it has none)."""
    return [f"{LENS_MARK} {', '.join(codes)}"] if codes else []


def lens_colour(colour: str) -> str:
    """A Graphviz colour list drawing ``colour`` and the lens's purple side by side; a
    double line (a colour list already, the unjustified style) is kept as it is."""
    if ":" in colour:
        return colour
    return f"{colour}:{LENS_COLOUR}"
