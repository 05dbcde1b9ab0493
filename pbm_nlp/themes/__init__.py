"""Problem themes: the taxonomy, the labelled corpus, the tagger, its evaluation and registry."""
