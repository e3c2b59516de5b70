// A second slot for GAT embeddings: publish writes the slot the active model version does not use,
// then flips the active version in one transaction, so the serving version is never half-written.
CREATE VECTOR INDEX product_embedding_alt IF NOT EXISTS FOR (p:Product) ON p.embeddingAlt
OPTIONS {indexConfig: {`vector.dimensions`: {{graphEmbeddingDim}}, `vector.similarity_function`: 'cosine'}};
CREATE VECTOR INDEX user_embedding_alt IF NOT EXISTS FOR (u:User) ON u.embeddingAlt
OPTIONS {indexConfig: {`vector.dimensions`: {{graphEmbeddingDim}}, `vector.similarity_function`: 'cosine'}};
