// Experiments and campaigns (experiment.repository.ts, campaign.repository.ts): ids unique, and one
// variant node per experiment and variant name (key = "<experimentId>/<name>").
CREATE CONSTRAINT experiment_id IF NOT EXISTS FOR (e:Experiment) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT experiment_variant_key IF NOT EXISTS FOR (v:ExperimentVariant) REQUIRE v.key IS UNIQUE;
CREATE CONSTRAINT campaign_id IF NOT EXISTS FOR (c:Campaign) REQUIRE c.id IS UNIQUE;
// campaignAudience pages a campaign's members by user id (keyset): campaign.repository.ts.
CREATE INDEX campaign_member IF NOT EXISTS FOR ()-[m:IN_CAMPAIGN]-() ON (m.campaignId, m.userId);
