// Categories written since the last poll, for the serving cache's in-memory catalogue
// (category.repository.ts updatedSince); categories written before this migration have no stamp
// and are read at each cache's start.
CREATE INDEX category_updated_at IF NOT EXISTS FOR (c:Category) ON (c.updatedAt);
