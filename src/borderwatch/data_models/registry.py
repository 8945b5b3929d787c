"""Which model each data file is read as: tests/test_data_models.py loads every file listed here.

A folder name ending in / stands for every YAML file in it; CSV files map to (row model, key
column); JSON files (the map's GeoJSON) to a model. A new data file gets a model and a line here.
"""

from __future__ import annotations

from pydantic import BaseModel

from borderwatch.data_models.attributions import AttributionsFile
from borderwatch.data_models.claims import ClaimsFile
from borderwatch.data_models.commodities import CommodityCues, CommodityRow
from borderwatch.data_models.cues import HedgesFile, NegationsFile
from borderwatch.data_models.dates import DatesFile
from borderwatch.data_models.entities import (
    CountryRow,
    DemonymsFile,
    NameWordsFile,
    OrganizationRow,
    OrgFormsFile,
    PersonsFile,
    VesselsFile,
)
from borderwatch.data_models.events import EventFile, KoEventFile
from borderwatch.data_models.geo import LabelsFile, RegionFile
from borderwatch.data_models.ko import (
    KoAnalyserFile,
    KoAttributionsFile,
    KoCommoditiesFile,
    KoCountriesFile,
    KoCuesFile,
    KoDatesFile,
    KoMoneyFile,
    KoNumbersFile,
    KoOrganizationsFile,
    KoParticlesFile,
    KoPlacesFile,
    KoQualifiersFile,
    KoUnitsFile,
)
from borderwatch.data_models.misc import BoilerplateFile, HappeningsFile, PageLayoutFile
from borderwatch.data_models.money import CurrenciesFile, KpwRateRow
from borderwatch.data_models.numbers import NumbersFile, QualifiersFile, UnitsFile
from borderwatch.data_models.outlets import OutletsFile
from borderwatch.data_models.pages import BriefFile, PageLabelsFile, ResolutionsFile
from borderwatch.data_models.places import PlaceCues, PlaceRow, PlaceSuffixes
from borderwatch.data_models.topics import TopicsFile
from borderwatch.vocabularies import Vocabularies

YAML_MODELS: dict[str, type[BaseModel]] = {
    "currencies.yaml": CurrenciesFile,
    "outlets.yaml": OutletsFile,
    "lang/en/places.yaml": PlaceCues,
    "lang/en/place_suffixes.yaml": PlaceSuffixes,
    "lang/en/commodities.yaml": CommodityCues,
    "lang/en/numbers.yaml": NumbersFile,
    "lang/en/qualifiers.yaml": QualifiersFile,
    "lang/en/units.yaml": UnitsFile,
    "lang/en/dates.yaml": DatesFile,
    "lang/en/attributions.yaml": AttributionsFile,
    "lang/en/name_words.yaml": NameWordsFile,
    "lang/en/vessels.yaml": VesselsFile,
    "lang/en/persons.yaml": PersonsFile,
    "lang/en/demonyms.yaml": DemonymsFile,
    "lang/en/organizations.yaml": OrgFormsFile,
    "lang/en/negations.yaml": NegationsFile,
    "lang/en/hedges.yaml": HedgesFile,
    "lang/en/topics.yaml": TopicsFile,
    "lang/ko/topics.yaml": TopicsFile,
    "lang/ko/places.yaml": KoPlacesFile,
    "lang/ko/cues.yaml": KoCuesFile,
    "lang/ko/numbers.yaml": KoNumbersFile,
    "lang/ko/dates.yaml": KoDatesFile,
    "lang/ko/countries.yaml": KoCountriesFile,
    "lang/ko/organizations.yaml": KoOrganizationsFile,
    "lang/ko/commodities.yaml": KoCommoditiesFile,
    "lang/ko/money.yaml": KoMoneyFile,
    "lang/ko/units.yaml": KoUnitsFile,
    "lang/ko/qualifiers.yaml": KoQualifiersFile,
    "lang/ko/particles.yaml": KoParticlesFile,
    "lang/ko/analyser.yaml": KoAnalyserFile,
    "lang/ko/attributions.yaml": KoAttributionsFile,
    "boilerplate.yaml": BoilerplateFile,
    "brief.yaml": BriefFile,
    "labels.yaml": PageLabelsFile,
    "resolutions.yaml": ResolutionsFile,
    "lang/en/claims.yaml": ClaimsFile,
    "lang/en/happenings.yaml": HappeningsFile,
    "lang/ko/happenings.yaml": HappeningsFile,
    "lang/en/page_layout.yaml": PageLayoutFile,
    "vocabularies.yaml": Vocabularies,
    "lang/en/events/": EventFile,
    "lang/ko/events/": KoEventFile,
}
JSON_MODELS: dict[str, type[BaseModel]] = {
    "geo/region.geojson": RegionFile,
    "geo/labels.geojson": LabelsFile,
}
CSV_MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "places.csv": (PlaceRow, "id"),
    "commodities.csv": (CommodityRow, "id"),
    "kpw_rates.csv": (KpwRateRow, "date"),
    "countries.csv": (CountryRow, "id"),
    "organizations.csv": (OrganizationRow, "id"),
}
