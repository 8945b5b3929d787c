"""Smaller files: boilerplate lines (boilerplate.yaml), page layout (lang/en/page_layout.yaml) and
how mentions of one happening merge (lang/en/happenings.yaml)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, NonNegativeInt

from borderwatch.data_models.fields import Data, EventType, Pattern, Patterns, PhrasePattern, PhrasePatterns, Word, Words

Window = Annotated[NonNegativeInt, Field(strict=True)]


class BoilerplateFile(Data):
    """boilerplate.yaml: whole lines, lines ending a body, and line endings that are page furniture."""

    line: Patterns
    tail: Patterns
    suffix: Patterns


class HappeningsFile(Data):
    """happenings.yaml: the words that point back to an event, and how far apart two mentions of
    one happening may be (in sentences)."""

    back_references: PhrasePatterns
    definite: list[PhrasePattern] = Field(default_factory=list)  # none in Korean: no articles
    back_reference_window: Window
    window: Window
    repeat_window: Window
    headline_window: Window
    distinct_types: list[EventType] = Field(default_factory=list)


Count = Annotated[NonNegativeInt, Field(strict=True)]


class PageLayoutFile(Data):
    """lang/en/page_layout.yaml: the shapes of page furniture in pasted text (tags, captions,
    titles, bylines, date lines, today-widgets) and of feed teasers. Date lines may use
    {part}s from date_line_parts, so they are checked once the parts are filled in."""

    tag_separators: Pattern
    tag_item: Pattern
    tags_min_items: Count
    tag_max_words: Count
    tags_max_chars: Count
    caption_max_words: Count
    caption_credits_labelled: Patterns
    caption_credits_bare: Patterns
    title_max_chars: Count
    title_max_words: Count
    title_bad_endings: Pattern
    bylines: Patterns
    teaser_min_words: Count
    teaser_endings: Patterns
    date_line_max_lines: Count
    date_line_parts: dict[Word, Word] = Field(default_factory=dict)
    date_lines: Words
    today_widget_reach: Count
    today_widget_marks: Patterns
