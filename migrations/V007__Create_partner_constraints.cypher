// Affiliate partners: one node per program version, members linked by a partner-scoped memberRef,
// conversions idempotent by orderId, and partner clicks (INTERACTED {type: 'CLICK', partnerId}).
CREATE CONSTRAINT program_key IF NOT EXISTS FOR (p:Program) REQUIRE p.key IS UNIQUE;
CREATE CONSTRAINT member_key IF NOT EXISTS FOR ()-[m:MEMBER_OF]-() REQUIRE m.key IS UNIQUE;
CREATE CONSTRAINT conversion_order_id IF NOT EXISTS FOR (c:Conversion) REQUIRE c.orderId IS UNIQUE;
CREATE INDEX conversion_status_lock IF NOT EXISTS FOR (c:Conversion) ON (c.status, c.lockUntil);
CREATE INDEX conversion_partner_at IF NOT EXISTS FOR (c:Conversion) ON (c.partnerId, c.at);
CREATE INDEX interaction_partner IF NOT EXISTS FOR ()-[r:INTERACTED]-() ON (r.partnerId);
CREATE CONSTRAINT partner_served_key IF NOT EXISTS FOR (s:PartnerServed) REQUIRE s.key IS UNIQUE;
CREATE INDEX partner_served_partner_day IF NOT EXISTS FOR (s:PartnerServed) ON (s.partnerId, s.day);
