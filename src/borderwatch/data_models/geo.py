"""The map's geography (geo/region.geojson, geo/labels.geojson): GeoJSON FeatureCollections whose
features carry a name and a kind, each kind drawn as one geometry type, every position a
[lon, lat] in range. GeoJSON's foreign members (bbox, sources, label_at, place_id) are kept."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from borderwatch.data_models.fields import Data, Word

REGION_KINDS = frozenset({"country", "province", "border", "river"})
LABEL_KINDS = frozenset({"country", "sea"})
GEOMETRIES = {"country": {"MultiPolygon"}, "province": {"MultiPolygon"},
              "border": {"MultiLineString"}, "river": {"LineString"},
              "sea": {"Point"}}

Coordinate = Annotated[float, Field(strict=True)]
LonLat = tuple[Annotated[Coordinate, Field(ge=-180, le=180)], Annotated[Coordinate, Field(ge=-90, le=90)]]
Line = Annotated[list[LonLat], Field(min_length=1)]


class Point(Data):
    type: Literal["Point"]
    coordinates: LonLat


class LineString(Data):
    type: Literal["LineString"]
    coordinates: Line


class MultiLineString(Data):
    type: Literal["MultiLineString"]
    coordinates: Annotated[list[Line], Field(min_length=1)]


class MultiPolygon(Data):
    type: Literal["MultiPolygon"]
    coordinates: Annotated[list[Annotated[list[Line], Field(min_length=1)]], Field(min_length=1)]


Geometry = Annotated[Point | LineString | MultiLineString | MultiPolygon, Field(discriminator="type")]


class Properties(Data):
    """A feature's name and kind; other properties pass through to the page."""

    model_config = ConfigDict(extra="allow", frozen=True)
    name: Word
    kind: Word


class Feature(Data):
    type: Literal["Feature"] = "Feature"
    properties: Properties
    geometry: Geometry


def _geometry_fits(feature: Feature, kinds: frozenset[str], allowed: dict[str, set[str]] | None) -> Feature:
    kind = feature.properties.kind
    if kind not in kinds:
        raise ValueError(f"kind must be one of {sorted(kinds)}, not {kind!r}")
    fits = allowed[kind] if allowed else {"Point"}
    if feature.geometry.type not in fits:
        raise ValueError(f"a {kind} must be a {' or '.join(sorted(fits))}")
    return feature


class RegionFeature(Feature):
    @model_validator(mode="after")
    def _fits(self) -> RegionFeature:
        return _geometry_fits(self, REGION_KINDS, GEOMETRIES)  # type: ignore[return-value]


class LabelFeature(Feature):
    @model_validator(mode="after")
    def _fits(self) -> LabelFeature:
        return _geometry_fits(self, LABEL_KINDS, None)  # type: ignore[return-value]


class RegionFile(Data):
    """geo/region.geojson: the border region's countries, provinces, borders and rivers, and the
    frame the map shows ([west, south, east, north])."""

    model_config = ConfigDict(extra="allow", frozen=True)
    type: Literal["FeatureCollection"]
    view: tuple[float, float, float, float]
    sources: list[Any] = Field(default_factory=list)
    features: Annotated[list[RegionFeature], Field(min_length=1)]

    @field_validator("view")
    @classmethod
    def _frame(cls, view: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        if not (view[0] < view[2] and view[1] < view[3]):
            raise ValueError("must be [west, south, east, north]")
        return view


class LabelsFile(Data):
    """geo/labels.geojson: names of countries and seas, each at one point."""

    model_config = ConfigDict(extra="allow", frozen=True)
    type: Literal["FeatureCollection"]
    features: Annotated[list[LabelFeature], Field(min_length=1)]
