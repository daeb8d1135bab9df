"""The Milvus backend: the same `SearchBackend` over collections in Milvus (Lite in process,
standalone or a cluster by URI). `index.milvus.writer` stores a build's `IndexData`;
`index.milvus.backend.MilvusBackend` searches it."""
