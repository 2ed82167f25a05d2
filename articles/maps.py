"""The map's geometry: governorate and district shapes, towns projected onto them, and a
sequential colour scale, as numbers a template draws as SVG (no tiles, no JavaScript).

The shapes and the projection come from ``data/gazetteer/boundaries/syria.json``, built
once by ``build_boundaries.py`` from the shared Who's On First boundaries; counting is not
done here (``articles.search`` counts, the view hands the numbers in).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path

BOUNDARIES = Path(__file__).resolve().parent / "data" / "gazetteer" / "boundaries" / "syria.json"
SHADES = 5  # classes of the colour scale above "none"
# A province view leaves this share of its width around the province, so that border
# towns' dots are not cut off and the neighbours show where it lies.
MARGIN = 0.06
# Dots' radii as shares of the view's width: the largest count gets the largest dot, and
# area (not radius) follows the count, so a place twice as reported looks twice as big.
DOT_MAX = 0.03
DOT_MIN = 0.006


@dataclass(frozen=True)
class Outline:
    slug: str
    name: str
    name_ar: str
    d: str
    label: tuple[float, float]
    bbox: tuple[float, float, float, float]
    province: str = ""


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process, see boundaries()
class Boundaries:
    governorates: dict[str, Outline]
    districts: dict[str, Outline]
    projection: dict
    source: str

    @property
    def width(self) -> int:
        return self.projection["width"]

    @property
    def height(self) -> int:
        return self.projection["height"]

    def project(self, latitude: float, longitude: float) -> tuple[float, float]:
        """SVG coordinates of a point, with the projection the shapes were drawn with."""
        p = self.projection
        return (
            round((longitude - p["west"]) * p["cos_lat"] * p["scale"], 1),
            round((p["north"] - latitude) * p["scale"], 1),
        )

    def districts_of(self, province_slug: str) -> list[Outline]:
        return [d for d in self.districts.values() if d.province == province_slug]

    def district_at(self, latitude: float, longitude: float, province_slug: str) -> str | None:
        """The slug of the district of ``province_slug`` drawn around a point, if any: towns
        the gazetteer files directly under their governorate still count to a district."""
        return _district_at(self, latitude, longitude, province_slug)


@lru_cache(maxsize=50_000)
def _district_at(shapes: Boundaries, latitude: float, longitude: float, province: str):
    # Pure geometry over shapes that never change while the process runs: a place is
    # located once, not on every page that counts it.
    x, y = shapes.project(latitude, longitude)
    for district in shapes.districts_of(province):
        if contains(district, x, y):
            return district.slug
    return None


@cache
def rings(outline: Outline) -> list[list[tuple[float, float]]]:
    """The rings of an outline's path data (only ``M``, ``L`` and ``Z``, as built)."""
    return [
        [tuple(map(float, point.split())) for point in ring.split("L")]
        for ring in outline.d.strip("MZ").split("ZM")
    ]


def contains(outline: Outline, x: float, y: float) -> bool:
    """Even-odd point in polygon, the rule the shapes are filled with (holes excluded)."""
    left, top, right, bottom = outline.bbox
    if not (left <= x <= right and top <= y <= bottom):
        return False
    inside = False
    for ring in rings(outline):
        for (x1, y1), (x2, y2) in pairwise([*ring, ring[0]]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _outline(row: dict) -> Outline:
    return Outline(
        slug=row["slug"],
        name=row["name"],
        name_ar=row["name_ar"],
        d=row["d"],
        label=tuple(row["label"]),
        bbox=tuple(row["bbox"]),
        province=row.get("province", ""),
    )


@cache
def boundaries(path: Path = BOUNDARIES) -> Boundaries:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return Boundaries(
        governorates={row["slug"]: _outline(row) for row in data["governorates"]},
        districts={row["slug"]: _outline(row) for row in data["districts"]},
        projection=data["projection"],
        source=data["source"],
    )


@dataclass(frozen=True)
class Shade:
    """One class of the colour scale: counts from ``low`` to ``high`` take ``css_class``."""

    level: int
    low: int
    high: int

    @property
    def css_class(self) -> str:
        return f"map-shade-{self.level}"

    @property
    def dark(self) -> bool:
        """Labels on the two darkest shades are drawn light, to stay readable."""
        return self.level >= SHADES - 1

    @property
    def label(self) -> str:
        if self.level == 0:
            return "No articles"
        noun = "article" if self.high == 1 else "articles"
        return (
            f"{self.low:,} {noun}"
            if self.low == self.high
            else f"{self.low:,}\N{EN DASH}{self.high:,} {noun}"
        )


def colour_scale(peak: int, shades: int = SHADES) -> list[Shade]:
    """Classes of equal width from 1 to ``peak``, after a class of its own for zero.

    A small peak gets fewer classes (each holds at least one whole number), spread over the
    whole ramp, so the busiest place is always drawn in the darkest colour.
    """
    scale = [Shade(0, 0, 0)]
    if peak <= 0:
        return scale
    step = math.ceil(peak / shades)
    bounds = [(low, min(low + step - 1, peak)) for low in range(1, peak + 1, step)]
    for i, (low, high) in enumerate(bounds, start=1):
        scale.append(Shade(math.ceil(i * shades / len(bounds)), low, high))
    return scale


def shade_of(count: int, scale: list[Shade]) -> Shade:
    return next(shade for shade in reversed(scale) if count >= shade.low)


@dataclass
class Area:
    """A governorate or district as drawn: its outline, count, shade and link."""

    outline: Outline
    count: int
    shade: Shade
    # The list filter this area links to: a governorate's ``province``, a district's
    # ``location`` (read by the ``add_filter_url`` template tag, like a facet's).
    param: str = "province"

    @property
    def value(self) -> str:
        return self.outline.slug

    @property
    def title(self) -> str:
        return f"{self.outline.name}: {self.count:,} article{'' if self.count == 1 else 's'}"


@dataclass
class Dot:
    slug: str
    name: str
    kind: str
    count: int
    x: float
    y: float
    r: float
    param: str = "location"

    @property
    def value(self) -> str:
        return self.slug

    @property
    def title(self) -> str:
        return f"{self.name}: {self.count:,} article{'' if self.count == 1 else 's'}"


@dataclass
class Map:
    """What the template draws: the areas, dots on them, the background and the legend."""

    view_box: tuple[float, float, float, float]
    areas: list[Area]
    scale: list[Shade]
    dots: list[Dot] = field(default_factory=list)
    context: list[Outline] = field(default_factory=list)  # neighbours, drawn unshaded
    label_size: float = 14

    @property
    def view_box_attr(self) -> str:
        return " ".join(f"{v:g}" for v in self.view_box)

    @property
    def ranked_areas(self) -> list[Area]:
        """The areas for the table: most articles first."""
        return sorted(self.areas, key=lambda area: (-area.count, area.outline.name))

    @property
    def description(self) -> str:
        """The numbers the shading shows, in words, for the image's accessible name."""
        named = [area.title for area in self.ranked_areas if area.count]
        return "; ".join(named) if named else "no matching articles"


def country_map(counts: dict[str, int]) -> Map:
    """The 14 governorates shaded by ``{province slug: articles}``."""
    shapes = boundaries()
    scale = colour_scale(max(counts.values(), default=0))
    areas = [
        Area(outline, counts.get(slug, 0), shade_of(counts.get(slug, 0), scale))
        for slug, outline in shapes.governorates.items()
    ]
    return Map((0, 0, shapes.width, shapes.height), areas, scale)


@dataclass(frozen=True)
class PlacePoint:
    """A place with coordinates and the number of matching articles naming it."""

    slug: str
    name: str
    kind: str
    latitude: float
    longitude: float
    count: int


def province_map(
    province_slug: str, district_counts: dict[str, int], places: list[PlacePoint]
) -> Map:
    """One governorate's districts shaded by ``{district slug: articles}``, its places as
    dots sized by their counts, and the neighbouring governorates around it."""
    shapes = boundaries()
    province = shapes.governorates[province_slug]
    outlines = shapes.districts_of(province_slug)
    scale = colour_scale(max(district_counts.values(), default=0))
    areas = []
    for outline in outlines:
        count = district_counts.get(outline.slug, 0)
        areas.append(Area(outline, count, shade_of(count, scale), param="location"))
    left, top, right, bottom = province.bbox
    margin = MARGIN * max(right - left, bottom - top)
    view_box = (
        round(left - margin, 1),
        round(top - margin, 1),
        round(right - left + 2 * margin, 1),
        round(bottom - top + 2 * margin, 1),
    )
    size = max(view_box[2], view_box[3])
    peak = max((place.count for place in places), default=1)
    dots = []
    # Big dots first, so a small one on top of a big one stays visible and clickable.
    for place in sorted(places, key=lambda p: (-p.count, p.name)):
        x, y = shapes.project(place.latitude, place.longitude)
        radius = max(DOT_MAX * size * math.sqrt(place.count / peak), DOT_MIN * size)
        dots.append(Dot(place.slug, place.name, place.kind, place.count, x, y, round(radius, 2)))
    context = [g for slug, g in shapes.governorates.items() if slug != province_slug]
    return Map(view_box, areas, scale, dots, context, label_size=round(size / 45, 2))
