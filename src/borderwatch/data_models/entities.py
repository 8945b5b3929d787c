"""The country and organisation registries (countries.csv, organizations.csv) the function
words of the English name patterns (lang/en/name_words.yaml), the words around ship names
(lang/en/vessels.yaml) and around person names (lang/en/persons.yaml), the forms of unlisted organisations
(lang/en/organizations.yaml), and words of nationality (lang/en/demonyms.yaml)."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, PositiveInt, RootModel, StringConstraints, ValidationInfo, field_validator

from borderwatch.data_models.fields import Data, OptionalCountry, OptionalText, OrgKind, Pattern, Patterns, Stripped, Word, Words

_ISO2 = r"^[A-Z]{2}$"


class CountryRow(Data):
    """One country: id country:<ISO code>, its name, aliases and weak aliases (|-separated)."""

    id: Annotated[str, StringConstraints(pattern=r"^country:[A-Z]{2}$"), Stripped]
    code: Annotated[str, StringConstraints(pattern=_ISO2), Stripped]
    name: Annotated[Word, Stripped]
    aliases: OptionalText = None
    weak_aliases: OptionalText = None
    notes: OptionalText = None

    @field_validator("code")
    @classmethod
    def _id_is_the_code(cls, code: str, info: ValidationInfo) -> str:
        if info.data.get("id") not in (None, f"country:{code}"):
            raise ValueError(f"the id must be country:{code}")
        return code


class OrganizationRow(Data):
    """One organisation: id org:<slug>, name, aliases (|-separated), kind, ISO country."""

    id: Annotated[str, StringConstraints(pattern=r"^org:"), Stripped]
    name: Annotated[Word, Stripped]
    aliases: OptionalText = None
    org_kind: Annotated[OrgKind, Stripped]
    country: OptionalCountry = None
    notes: OptionalText = None


class NameWordsFile(Data):
    """lang/en/name_words.yaml: the function words of the English name patterns."""

    name_links: Words  # inside a name ("Bank of China")
    head_of: Words
    of_words: Words
    articles: Words  # dropped from the front of a folded name
    name_joiners: Words
    list_joiners: Words
    appositive_articles: Words
    number_marks: Words


class VesselsFile(Data):
    """lang/en/vessels.yaml: the words around a ship's name ("the Togo-flagged tanker X", "MV X")."""

    prefixes: Words
    ship_words: Words
    naming_words: Words
    flag_words: Words
    determiners: Words
    max_name_words: Annotated[PositiveInt, Field(strict=True)] = 4
    stop_words: Words


class PersonsFile(Data):
    """lang/en/persons.yaml: people known by name, Korean surnames and syllables, the titles and
    verbs around a person's name, and the words that are never part of one."""

    known: Words
    korean_surnames: Words
    korean_syllable: Pattern
    honorifics: Words
    titles: Words
    particles: list[Word] = Field(default_factory=list)  # inside a name ("bin", "van der")
    speech_verbs: Words
    stop_words: Words
    not_before: list[Word] = Field(default_factory=list)


KindMap = Annotated[dict[Word, OrgKind], Field(min_length=1)]


class OrgFormsFile(Data):
    """lang/en/organizations.yaml: the forms of an organisation no registry lists (head nouns and
    the kind each gives, "of" heads, numbered units, kind nouns, appositives) and their stop words."""

    name_heads: KindMap
    name_head_suffixes: Words
    name_lead: Words
    name_stop: Words
    of_heads: KindMap
    place_heads: Words
    place_heads_alone: list[Word] = Field(default_factory=list)
    local_bodies: Patterns
    country_heads: KindMap
    number_heads: KindMap
    kind_nouns: KindMap
    kind_called: Words
    kind_such_as: Words
    appositive_after: Words
    credit_before: Patterns
    appositive_block: Words
    one_word_closes: Words
    descriptor_suffixes: Words
    caseless_function_words: list[Word] = Field(default_factory=list)


class DemonymsFile(RootModel[Annotated[dict[Word, Annotated[str, StringConstraints(pattern=_ISO2)]],
                                       Field(min_length=1)]]):
    """lang/en/demonyms.yaml: a word of nationality -> the ISO code of its country ("Chinese": CN);
    a mapping at the top of the file, so a root model (whether the country exists is checked
    against countries.csv when the entity table is built)."""

    model_config = ConfigDict(frozen=True)
