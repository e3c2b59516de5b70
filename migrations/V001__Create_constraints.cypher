// Uniqueness for every id we look up, and for the interaction eventId that makes ingestion idempotent.
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE;
CREATE CONSTRAINT product_id IF NOT EXISTS FOR (p:Product) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT category_id IF NOT EXISTS FOR (c:Category) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT partner_id IF NOT EXISTS FOR (p:Partner) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT segment_id IF NOT EXISTS FOR (s:Segment) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT model_version_id IF NOT EXISTS FOR (m:ModelVersion) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.hash IS UNIQUE;
CREATE CONSTRAINT interaction_event_id IF NOT EXISTS FOR ()-[r:INTERACTED]-() REQUIRE r.eventId IS UNIQUE;
