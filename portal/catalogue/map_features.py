"""What the maps show, as GeoJSON (RFC 7946): one Point feature per location, with what its popup says.
portal/static/js/map.js draws them: the search page's from /zoeken/kaart.json, a listing page's from the page."""

from __future__ import annotations

from flask_babel import gettext, ngettext
from markupsafe import Markup

from portal.catalogue import vocab
from portal.catalogue.cards import listing_url_prefix, location_place
from portal.catalogue.models import Listing
from portal.search.service import MapResults


def _feature(latitude: float, longitude: float, properties: dict) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": properties}


def search_collection(results: MapResults) -> dict:
    """Every location of the search's listings; `caption` says what the map leaves out."""
    listing_url = listing_url_prefix()
    kinds = vocab.LISTING_KINDS.labels()
    features = [
        _feature(latitude, longitude, {"title": Markup(card.title_html).striptags(), "url": listing_url + card.slug,
                                       "kind": kinds[card.kind], "place": place})
        for card in results.cards for latitude, longitude, place in card.points
    ]
    collection = {"type": "FeatureCollection", "features": features, "caption": _caption(results)}
    if results.where is not None:
        where = results.where
        collection["where"] = {"label": where.label, "latitude": where.latitude, "longitude": where.longitude,
                               "km": where.km}
    return collection


def _caption(results: MapResults) -> str:
    parts = []
    if results.capped:
        parts.append(gettext("De kaart toont de eerste %(shown)s van de %(total)s resultaten.",
                             shown=len(results.cards), total=results.total))
    if results.unplaced:
        parts.append(ngettext(
            "%(num)s resultaat voor heel Vlaanderen of online staat alleen in de lijst.",
            "%(num)s resultaten voor heel Vlaanderen of online staan alleen in de lijst.", results.unplaced))
    return " ".join(parts)


def listing_collection(listing: Listing) -> dict:
    """A listing's own locations, for the map on its page: each with its address."""
    features = [
        _feature(location.latitude, location.longitude, {
            "title": location_place(location),
            "place": " ".join((f"{location.address},", location.postcode,
                               location.municipality.name if location.municipality else "")).strip()})
        for location in listing.locations if location.latitude is not None
    ]
    return {"type": "FeatureCollection", "features": features}
