"""Storage: an index directory of generations of plain files.

`layout` (generations, CURRENT, cleanup), `manifest` (checksums), `verified` (checks of large
files kept), `lock` (one writer at a time), `segments` (rows in files), `vectors` (dense search over stored
vectors), `reader` (`EmbeddedBackend`, the `SearchBackend` over a generation), `writer`
(`IndexData` to a new generation), `vcache` (the embedding cache). Storage knows nothing of
facts: it stores the records the build hands it.
"""
