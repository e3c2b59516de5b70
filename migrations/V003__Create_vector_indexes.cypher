// Vector indexes for retrieval; dimensions come from config (TEXT_EMBEDDING_DIM, GRAPH_EMBEDDING_DIM).
// A changed dimension needs a new migration that drops and re-creates the index.
CREATE VECTOR INDEX product_text_embedding IF NOT EXISTS FOR (p:Product) ON p.textEmbedding
OPTIONS {indexConfig: {`vector.dimensions`: {{textEmbeddingDim}}, `vector.similarity_function`: 'cosine'}};
CREATE VECTOR INDEX product_embedding IF NOT EXISTS FOR (p:Product) ON p.embedding
OPTIONS {indexConfig: {`vector.dimensions`: {{graphEmbeddingDim}}, `vector.similarity_function`: 'cosine'}};
CREATE VECTOR INDEX user_embedding IF NOT EXISTS FOR (u:User) ON u.embedding
OPTIONS {indexConfig: {`vector.dimensions`: {{graphEmbeddingDim}}, `vector.similarity_function`: 'cosine'}};
