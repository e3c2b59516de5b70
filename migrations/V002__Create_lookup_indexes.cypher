// Hot lookups: a user's interactions by time, products by stock and price filters, the active model.
CREATE INDEX interaction_at IF NOT EXISTS FOR ()-[r:INTERACTED]-() ON (r.at);
CREATE INDEX interaction_type IF NOT EXISTS FOR ()-[r:INTERACTED]-() ON (r.type);
CREATE INDEX product_in_stock IF NOT EXISTS FOR (p:Product) ON (p.inStock);
CREATE INDEX product_price IF NOT EXISTS FOR (p:Product) ON (p.price);
CREATE INDEX product_title IF NOT EXISTS FOR (p:Product) ON (p.title);
CREATE INDEX model_version_active IF NOT EXISTS FOR (m:ModelVersion) ON (m.active);
CREATE INDEX segment_model_version IF NOT EXISTS FOR (s:Segment) ON (s.modelVersion);
