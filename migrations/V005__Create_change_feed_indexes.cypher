// The change feed each server's serving cache polls (serving-cache.repository.ts): users with events
// recorded since the last poll, and products written since then.
CREATE INDEX user_events_recorded_at IF NOT EXISTS FOR (u:User) ON (u.eventsRecordedAt);
CREATE INDEX product_updated_at IF NOT EXISTS FOR (p:Product) ON (p.updatedAt);
