#!/usr/bin/env python3
"""Build ``boundaries/syria.json`` (the map's governorate and district shapes) from the
shared Who's On First boundaries, projected and simplified for a server-drawn SVG.

Usage (from the repository root)::

    python articles/data/gazetteer/build_boundaries.py [SHARED_BOUNDARIES_DIR] [-o OUTPUT]

``SHARED_BOUNDARIES_DIR`` defaults to ``../shared/gazetteer/boundaries``; its
``syria_governorates.geojson`` and ``syria_districts.geojson`` are read, and
``locations.csv`` beside this script gives every shape its gazetteer slug. Standard
library only; the output is deterministic. See SOURCES.md.

The projection is equirectangular, scaled by the cosine of Syria's middle latitude, so a
kilometre east is as long as a kilometre north within a few per cent everywhere in the
country; it is written into the file, and ``articles.maps`` projects towns with it.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "gazetteer" / "boundaries"
DEFAULT_OUTPUT = HERE / "boundaries" / "syria.json"

WIDTH = 1000  # SVG user units across the whole country
# Douglas-Peucker tolerances in SVG units (1 unit is about 0.68 km): the country map draws
# 14 shapes at most 1000 units wide, so half a unit is below a pixel; a province view
# zooms in up to twenty times, so districts keep nearly the source's detail.
GOVERNORATE_TOLERANCE = 0.5
DISTRICT_TOLERANCE = 0.1
DECIMALS = 1
# The shared file spells a few districts the way Open-Syria does; the gazetteer renamed
# them (see "Renamed admin units" in SOURCES.md).
DISTRICT_RENAMES = {("idlib", "Harem"): "Harim"}


def read_geojson(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)["features"]


def read_gazetteer_slugs(locations_csv: Path) -> tuple[dict, dict]:
    """``({governorate name: slug}, {(governorate slug, district name): slug})``."""
    governorates, districts = {}, {}
    with locations_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] == "governorate" and row["parent_slug"] == "syria":
                governorates[row["name"]] = row["slug"]
            elif row["kind"] == "district":
                districts[(row["parent_slug"], row["name"])] = row["slug"]
    return governorates, districts


def rings_of(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"unexpected geometry type {geometry['type']!r}")


class Projection:
    def __init__(self, features: list[dict]) -> None:
        points = [p for f in features for ring in rings_of(f["geometry"]) for p in ring]
        self.west = min(p[0] for p in points)
        self.east = max(p[0] for p in points)
        self.south = min(p[1] for p in points)
        self.north = max(p[1] for p in points)
        self.cos_lat = math.cos(math.radians((self.north + self.south) / 2))
        self.scale = WIDTH / ((self.east - self.west) * self.cos_lat)
        self.height = math.ceil((self.north - self.south) * self.scale)

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.west) * self.cos_lat * self.scale, (self.north - lat) * self.scale)

    def as_dict(self) -> dict:
        return {
            "west": self.west,
            "north": self.north,
            "cos_lat": round(self.cos_lat, 8),
            "scale": round(self.scale, 6),
            "width": WIDTH,
            "height": self.height,
        }


def perpendicular_distance(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def douglas_peucker(points: list, tolerance: float) -> list:
    """Iterative, so a long border cannot exhaust the recursion limit."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = None, tolerance
        for i in range(first + 1, last):
            d = perpendicular_distance(points[i], points[first], points[last])
            if d > distance:
                farthest, distance = i, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: list, tolerance: float) -> list:
    """A closed ring split at its farthest point from the start, so both halves keep
    their ends; a ring that would collapse below a triangle is kept as it was."""
    points = ring[:-1] if ring[0] == ring[-1] else ring
    if len(points) < 4:
        return points
    far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
    half1 = douglas_peucker(points[: far + 1], tolerance)
    half2 = douglas_peucker([*points[far:], points[0]], tolerance)
    simplified = half1[:-1] + half2[:-1]
    rounded = []
    for x, y in simplified:
        point = (round(x, DECIMALS), round(y, DECIMALS))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return rounded if len(rounded) >= 3 else [(round(x, 1), round(y, 1)) for x, y in points]


def number(value: float) -> str:
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def path_data(rings: list[list]) -> str:
    return "".join(
        "M" + "L".join(f"{number(x)} {number(y)}" for x, y in ring) + "Z" for ring in rings
    )


def ring_area(ring: list) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise([*ring, ring[0]]))) / 2


def label_point(rings: list[list]) -> tuple[float, float]:
    """A point inside the shape for its label: the middle of the widest inside stretch of
    the horizontal line through the largest ring's vertical middle (a centroid can fall
    outside a crescent-shaped district)."""
    largest = max(rings, key=ring_area)
    ys = [y for _, y in largest]
    y = (min(ys) + max(ys)) / 2 + 0.05  # off the vertices, so no crossing is counted twice
    crossings = sorted(
        x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        for ring in rings
        for (x1, y1), (x2, y2) in pairwise([*ring, ring[0]])
        if (y1 <= y) != (y2 <= y)
    )
    stretches = list(zip(crossings[::2], crossings[1::2], strict=True))
    left, right = max(stretches, key=lambda s: s[1] - s[0])
    return (round((left + right) / 2, DECIMALS), round(y, DECIMALS))


def bounding_box(rings: list[list]) -> list[float]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return [min(xs), min(ys), max(xs), max(ys)]


def shape(slug: str, name: str, name_ar: str, rings: list[list], tolerance: float, project):
    projected = [[project(lon, lat) for lon, lat in ring] for ring in rings]
    simplified = [simplify_ring(ring, tolerance) for ring in projected]
    return {
        "slug": slug,
        "name": name,
        "name_ar": name_ar,
        "d": path_data(simplified),
        "label": list(label_point(simplified)),
        "bbox": bounding_box(simplified),
    }


def build(shared_dir: Path, locations_csv: Path) -> dict:
    governorate_features = read_geojson(shared_dir / "syria_governorates.geojson")
    district_features = read_geojson(shared_dir / "syria_districts.geojson")
    governorate_slugs, district_slugs = read_gazetteer_slugs(locations_csv)
    project = Projection(governorate_features)

    governorates = []
    for feature in sorted(governorate_features, key=lambda f: f["properties"]["name_gazetteer"]):
        props = feature["properties"]
        name = props["name_gazetteer"]
        slug = governorate_slugs.get(name)
        if slug is None:
            raise SystemExit(f"governorate {name!r} is not in {locations_csv}")
        governorates.append(
            shape(
                slug,
                name,
                props["name_ar"],
                rings_of(feature["geometry"]),
                GOVERNORATE_TOLERANCE,
                project,
            )
        )

    # Markaz Rif Dimashq is two WOF polygons (see the shared README): one shape, two rings.
    rings_by_district: dict[str, list] = {}
    names: dict[str, tuple[str, str, str]] = {}
    for feature in district_features:
        props = feature["properties"]
        province = governorate_slugs[props["governorate_en"]]
        name = DISTRICT_RENAMES.get((province, props["name_gazetteer"]), props["name_gazetteer"])
        slug = district_slugs.get((province, name))
        if slug is None:
            raise SystemExit(f"district {name!r} of {province!r} is not in {locations_csv}")
        rings_by_district.setdefault(slug, []).extend(rings_of(feature["geometry"]))
        names.setdefault(slug, (name, props["name_ar"], province))
    districts = []
    for slug in sorted(rings_by_district):
        name, name_ar, province = names[slug]
        district = shape(slug, name, name_ar, rings_by_district[slug], DISTRICT_TOLERANCE, project)
        districts.append({**district, "province": province})

    return {
        "source": (
            "Who's On First (whosonfirst-data-admin-sy, commit "
            "2db0f03b9f9d24bd371f318759d3e56c816c333e), Mesoshapes / Art of the Mappable, CC0; "
            "simplified and projected by build_boundaries.py"
        ),
        "projection": project.as_dict(),
        "governorates": governorates,
        "districts": districts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared_dir", nargs="?", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--locations", type=Path, default=HERE / "locations.csv")
    args = parser.parse_args(argv)
    data = build(args.shared_dir, args.locations)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")
    vertices = sum(s["d"].count("L") + s["d"].count("M") for s in data["governorates"])
    print(
        f"{args.output}: {len(data['governorates'])} governorates ({vertices} vertices), "
        f"{len(data['districts'])} districts, {args.output.stat().st_size:,} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
