"""Text handling shared by every parser and model: normalisation, paragraphs, items, tokens."""
