"""Attribution words (lang/en/attributions.yaml): who speaks, through which verbs and outlets.

Most lists are regex sources the finders join into alternations (a space stands for any run of
white space), so each entry must compile; the few plain regexes must compile as written.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, PositiveInt

from borderwatch.data_models.fields import Data, Pattern, PhrasePattern, PhrasePatterns, Word


class AttributionsFile(Data):
    """attributions.yaml: speech verbs, source nouns, outlets' and documents' words, and the
    function words of the attribution patterns (see the file for what each list does)."""

    speech_verbs: PhrasePatterns
    speech_verbs_to_outlet: PhrasePatterns
    told_whom: PhrasePatterns
    source_nouns: PhrasePatterns
    qualified_nouns: PhrasePatterns
    bare_plural_nouns: PhrasePatterns
    commentator_nouns: PhrasePatterns
    bare_plurals_speak: Annotated[bool, Field(strict=True)] = False
    counting_determiners: PhrasePatterns
    passive_before: PhrasePatterns
    determiners: PhrasePatterns
    definite: PhrasePatterns
    new_holder_words: PhrasePatterns
    function_words: PhrasePatterns
    list_openers: PhrasePatterns
    modifier_stop: PhrasePatterns
    lower_modifiers: PhrasePatterns
    tail_prepositions: PhrasePatterns
    tail_stop: PhrasePatterns
    auxiliaries: PhrasePatterns
    asides: PhrasePatterns
    relative_clause: Pattern | None = None  # after a holder, before its verb
    state_media_phrases: PhrasePatterns
    report_verbs: PhrasePatterns
    state_media_reach: Annotated[PositiveInt, Field(strict=True)]  # characters from a state outlet to its verb
    outlet_modifier_nouns: PhrasePatterns
    outlet_descriptors: Pattern
    outlet_heads: PhrasePatterns
    outlet_name_stop: PhrasePatterns
    source_line: Pattern
    credit_before: PhrasePatterns
    according_to: PhrasePatterns
    official_subjects: PhrasePatterns
    official_verbs: PhrasePatterns
    official_generic_heads: PhrasePatterns
    official_org_kinds: PhrasePatterns
    body_heads: PhrasePatterns
    document_heads: PhrasePatterns
    outlet_report_heads: PhrasePatterns
    vague_document_heads: PhrasePatterns
    vague_document_words: PhrasePatterns
    document_verbs: PhrasePatterns
    document_modifier_stop: PhrasePatterns
    document_by: PhrasePattern
    document_tail: PhrasePatterns
    document_before: PhrasePatterns
    own_work_heads: PhrasePatterns
    counted_speaker_verbs: PhrasePatterns
    counted_verb_not_before: PhrasePatterns
    counted_noun_stop: PhrasePatterns
    name_connectors: PhrasePatterns
    name_stopwords: list[Word] = Field(default_factory=list)
    person_titles: PhrasePatterns
    name_reveal: Pattern
    speaker_label: Pattern
    speaker_label_stop: PhrasePatterns
    subject_stop: PhrasePatterns
    continuations: PhrasePatterns
    surname_speech_verbs: PhrasePatterns
    articles: PhrasePatterns
    indefinite_articles: PhrasePatterns
    possessives: PhrasePatterns
    relative_pronouns: PhrasePatterns
    clause_openers: PhrasePatterns
    holder_joiners: PhrasePatterns
    body_joiners: PhrasePatterns
    time_before_verb: PhrasePatterns
    date_before_verb: PhrasePatterns
    outlet_work_nouns: PhrasePatterns
    official_place_preps: PhrasePatterns
    document_outlet_preps: PhrasePatterns
    told_verbs: PhrasePatterns
    told_more_verbs: PhrasePatterns
    told_auxiliaries: PhrasePatterns
    progressive_endings: PhrasePatterns
    based_suffixes: PhrasePatterns
    demonym_endings: PhrasePatterns
    told_stems: PhrasePatterns
    same_holder_words: PhrasePatterns
    any_holder_nouns: PhrasePatterns
