"""Building an index: one pipeline of shared stages (`stages`, `embedding`) over the corpus
files (`files`), composed into the full build (`pipeline`) and the incremental one
(`incremental`)."""
