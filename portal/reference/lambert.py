"""Belgian Lambert 72 (EPSG:31370) to WGS84, for geocoders that answer in the Belgian grid.

The inverse Lambert conformal conic projection on the International 1924 ellipsoid of the BD72 datum, then
the BD72 -> WGS84 datum shift by the abridged Molodensky formulas with the translation of the NGI's
7-parameter transformation (dx -106.87 m, dy 52.30 m, dz -103.72 m). Good to about a metre, far finer than
a distance in kilometres needs.
"""

from __future__ import annotations

import math

_A = 6378388.0  # International 1924
_F = 1 / 297.0
_E = math.sqrt(2 * _F - _F * _F)
_N = 0.7716421928
_K = 11565915.812935  # Lambert 72's scale constant (a * F)
_X0, _Y0 = 150000.013, 5400088.438
_LON0 = math.radians(4 + 21 / 60 + 24.983 / 3600)
_THETA_CORRECTION = 0.000142043  # the grid's small rotation (radians)
_SHIFT = (-106.869, 52.2978, -103.7239)
_WGS84_A, _WGS84_F = 6378137.0, 1 / 298.257223563


def to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(latitude, longitude) in WGS84 degrees of a Lambert 72 easting `x` and northing `y` in metres."""
    dx, dy = x - _X0, _Y0 - y
    theta = math.atan(dx / dy)
    radius = math.hypot(dx, dy)
    longitude = _LON0 + (theta + _THETA_CORRECTION) / _N
    t = (radius / _K) ** (1 / _N)
    latitude = math.pi / 2 - 2 * math.atan(t)
    for _ in range(20):
        sine = _E * math.sin(latitude)
        following = math.pi / 2 - 2 * math.atan(t * ((1 - sine) / (1 + sine)) ** (_E / 2))
        if abs(following - latitude) < 1e-12:
            break
        latitude = following
    return _molodensky(latitude, longitude)


def _molodensky(lat: float, lon: float) -> tuple[float, float]:
    dx, dy, dz = _SHIFT
    da, df = _WGS84_A - _A, _WGS84_F - _F
    e2 = 2 * _F - _F * _F
    sin_lat, cos_lat, sin_lon, cos_lon = math.sin(lat), math.cos(lat), math.sin(lon), math.cos(lon)
    rn = _A / math.sqrt(1 - e2 * sin_lat ** 2)
    rm = _A * (1 - e2) / (1 - e2 * sin_lat ** 2) ** 1.5
    d_lat = (-dx * sin_lat * cos_lon - dy * sin_lat * sin_lon + dz * cos_lat
             + (_A * df + _F * da) * math.sin(2 * lat)) / rm
    d_lon = (-dx * sin_lon + dy * cos_lon) / (rn * cos_lat)
    return math.degrees(lat + d_lat), math.degrees(lon + d_lon)
