"""How readable a laid-out drawing is, measured on Graphviz's ``-Tjson`` output.

The numbers a reader feels: edges that cross, labels that sit on one another
or on an organisation, edges that pass through an organisation they do not
touch, and the smallest text once the drawing is scaled to fit a page. All
lengths are in points (72 to the inch), as Graphviz gives them. The layout
tests hold the example maps and generated maps to thresholds on these
(docs/layout.md); ``flowmap render --page`` reports the smallest text.

Edges are Bézier curves; each is sampled into a polyline. Two edges that meet
inside an organisation they share do not cross there, and crossing points of
one pair closer than :data:`SAME_CROSSING` are one crossing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1

POINTS_PER_MM = 72 / 25.4
#: printable area of each page (15 mm margins), in points: (short side, long side)
PAGES: dict[str, tuple[float, float]] = {
    "a4": (180 * POINTS_PER_MM, 267 * POINTS_PER_MM),
    "a3": (267 * POINTS_PER_MM, 390 * POINTS_PER_MM),
    "slide": (7.0 * 72, 12.8 * 72),  # a 16:9 slide, 13.33 × 7.5 in, less margins
}
#: samples taken on each cubic Bézier segment of an edge
SAMPLES = 12
#: crossing points of one pair of edges closer than this are one crossing
SAME_CROSSING = 6.0
#: an edge may graze a node's border by this much without passing through it
NODE_INSET = 2.0


@dataclass(frozen=True)
class Measures:
    """One drawing's measurements."""

    nodes: int
    edges: int
    crossings: int
    edges_through_nodes: int
    label_overlaps: int
    labels_on_nodes: int
    width_in: float
    height_in: float
    min_font: float
    #: smallest text, in points, once the drawing is scaled to fit each page
    a4_min_font: float
    a3_min_font: float
    slide_min_font: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def bezier(points: Sequence[Point], samples: int = SAMPLES) -> list[Point]:
    """A piecewise cubic Bézier (Graphviz's 'b' drawing operation) as a polyline."""
    line = [points[0]]
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i:i + 4]
        for k in range(1, samples + 1):
            t = k / samples
            u = 1 - t
            line.append((u ** 3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0]
                         + t ** 3 * p3[0],
                         u ** 3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1]
                         + t ** 3 * p3[1]))
    return line


def segments_cross(p: Point, p2: Point, q: Point, q2: Point) -> Point | None:
    """Where segment p–p2 crosses q–q2 (None when they do not, or are parallel)."""
    d = (p2[0] - p[0]) * (q2[1] - q[1]) - (p2[1] - p[1]) * (q2[0] - q[0])
    if abs(d) < 1e-9:
        return None
    t = ((q[0] - p[0]) * (q2[1] - q[1]) - (q[1] - p[1]) * (q2[0] - q[0])) / d
    u = ((q[0] - p[0]) * (p2[1] - p[1]) - (q[1] - p[1]) * (p2[0] - p[0])) / d
    if 0 < t < 1 and 0 < u < 1:
        return (p[0] + t * (p2[0] - p[0]), p[1] + t * (p2[1] - p[1]))
    return None


def segment_meets_box(p: Point, p2: Point, box: Box) -> bool:
    """Whether segment p–p2 passes through ``box`` (Liang–Barsky clipping)."""
    x0, y0, x1, y1 = box
    dx, dy = p2[0] - p[0], p2[1] - p[1]
    t0, t1 = 0.0, 1.0
    for pk, qk in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if pk == 0:
            if qk < 0:
                return False
            continue
        r = qk / pk
        if pk < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 > t1:
            return False
    return True


def _line_meets_box(line: Sequence[Point], box: Box) -> bool:
    return any(segment_meets_box(a, b, box) for a, b in zip(line, line[1:]))


def boxes_overlap(a: Box, b: Box, margin: float = 1.0) -> bool:
    return (a[0] < b[2] - margin and b[0] < a[2] - margin
            and a[1] < b[3] - margin and b[1] < a[3] - margin)


def _inside(point: Point, box: Box, margin: float) -> bool:
    return (box[0] - margin <= point[0] <= box[2] + margin
            and box[1] - margin <= point[1] <= box[3] + margin)


def text_boxes(ops: Iterable[Mapping[str, Any]] | None) -> tuple[list[Box], list[float]]:
    """Boxes of the text that xdot operations draw, and the font sizes of real text."""
    boxes: list[Box] = []
    sizes: list[float] = []
    size = 14.0
    for op in ops or ():
        if op["op"] == "F":
            size = float(op["size"])
        elif op["op"] == "T":
            x, y = op["pt"]
            width = float(op["width"])
            left = {"l": x, "c": x - width / 2, "r": x - width}[op["align"]]
            boxes.append((left, y - 0.25 * size, left + width, y + 0.85 * size))
            if str(op["text"]).strip():
                sizes.append(size)
    return boxes, sizes


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def page_scale(width: float, height: float, page: str) -> float:
    """The scale that fits a drawing on ``page``, portrait or landscape, whichever is larger."""
    short, long = PAGES[page]
    if page == "slide":  # a slide is only ever landscape
        return min(long / width, short / height)
    return max(min(short / width, long / height), min(long / width, short / height))


@dataclass(frozen=True)
class _Edge:
    tail: int
    head: int
    line: list[Point]
    labels: list[Box]


def _crossings(edges: Sequence[_Edge], nodes: Mapping[int, Box]) -> int:
    count = 0
    for i, a in enumerate(edges):
        for b in edges[i + 1:]:
            shared = [nodes[n] for n in {a.tail, a.head} & {b.tail, b.head} if n in nodes]
            found: list[Point] = []
            for p, p2 in zip(a.line, a.line[1:]):
                for q, q2 in zip(b.line, b.line[1:]):
                    x = segments_cross(p, p2, q, q2)
                    if x is None or any(_inside(x, box, 8) for box in shared):
                        continue
                    if all(math.dist(x, y) > SAME_CROSSING for y in found):
                        found.append(x)
            count += len(found)
    return count


#: Graphviz's pad around a drawing when the graph sets none (inches)
DEFAULT_PAD = 0.0555


def extent(layout: Mapping[str, Any]) -> tuple[float, float]:
    """A drawing's width and height in points, with the pad around it (which
    Graphviz's bounding box leaves out, and scales with the drawing to fit a size)."""
    x0, y0, x1, y1 = (float(v) for v in str(layout["bb"]).split(","))
    pad = 2 * 72 * float(layout.get("pad", DEFAULT_PAD))
    return max(x1 - x0, 1.0) + pad, max(y1 - y0, 1.0) + pad


def smallest_font(layout: Mapping[str, Any]) -> float:
    """The smallest size of any text drawn, in points (at the drawing's own scale)."""
    fonts = text_boxes(layout.get("_ldraw_"))[1]
    for obj in (*layout.get("objects", []), *layout.get("edges", [])):
        for key in ("_ldraw_", "_hldraw_", "_tldraw_", "_xldraw_"):
            fonts += text_boxes(obj.get(key))[1]
    return min(fonts) if fonts else 0.0


def measure(layout: Mapping[str, Any]) -> Measures:
    """Measure a drawing from Graphviz's ``-Tjson`` output (parsed)."""
    width, height = extent(layout)
    fonts = text_boxes(layout.get("_ldraw_"))[1]
    nodes: dict[int, Box] = {}
    for obj in layout.get("objects", []):
        fonts += text_boxes(obj.get("_ldraw_"))[1]
        if "nodes" in obj or "pos" not in obj:
            continue  # a cluster, or the graph itself
        x, y = (float(v) for v in str(obj["pos"]).split(","))
        w, h = float(obj["width"]) * 36, float(obj["height"]) * 36
        nodes[int(obj["_gvid"])] = (x - w, y - h, x + w, y + h)
    edges = []
    for e in layout.get("edges", []):
        curves = [op["points"] for op in e.get("_draw_", []) if op["op"] == "b"]
        if not curves:
            continue
        labels = []
        for key in ("_ldraw_", "_hldraw_", "_tldraw_", "_xldraw_"):
            boxes, sizes = text_boxes(e.get(key))
            fonts += sizes
            if boxes:
                labels.append(_union(boxes))
        # a colour list 'a:b:a' draws parallel curves: the middle one is the edge
        middle = [(float(p[0]), float(p[1])) for p in curves[len(curves) // 2]]
        edges.append(_Edge(int(e["tail"]), int(e["head"]), bezier(middle), labels))
    through = sum(
        1 for e in edges for n, box in nodes.items() if n not in (e.tail, e.head)
        and _line_meets_box(e.line, (box[0] + NODE_INSET, box[1] + NODE_INSET,
                                     box[2] - NODE_INSET, box[3] - NODE_INSET)))
    labels = [box for e in edges for box in e.labels]
    overlaps = sum(1 for i, a in enumerate(labels) for b in labels[i + 1:]
                   if boxes_overlap(a, b))
    on_nodes = sum(1 for a in labels for box in nodes.values() if boxes_overlap(a, box))
    smallest = min(fonts) if fonts else 0.0
    return Measures(
        nodes=len(nodes), edges=len(edges), crossings=_crossings(edges, nodes),
        edges_through_nodes=through, label_overlaps=overlaps, labels_on_nodes=on_nodes,
        width_in=round(width / 72, 1), height_in=round(height / 72, 1), min_font=smallest,
        a4_min_font=round(smallest * page_scale(width, height, "a4"), 1),
        a3_min_font=round(smallest * page_scale(width, height, "a3"), 1),
        slide_min_font=round(smallest * page_scale(width, height, "slide"), 1),
    )


def measure_json(data: bytes) -> Measures:
    """Measure Graphviz's ``-Tjson`` output, as bytes."""
    parsed: dict[str, Any] = json.loads(data)
    return measure(parsed)
