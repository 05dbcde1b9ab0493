"""Features shared by the models: the sentence encoder (with its cache) and the sparse vectoriser."""
