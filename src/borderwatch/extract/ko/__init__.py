"""Korean extraction: the finders of a Korean report, reading data/lang/ko/.

Korean glues particles and endings to its words (신의주에서, 단속했다고), so these finders match
stems inside words rather than whole words, and read numbers, dates and sources in Korean forms.
`extract.languages.finder_language` picks them for a report whose language is "ko".
"""
