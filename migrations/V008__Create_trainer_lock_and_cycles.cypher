// The continuous trainer (src/pipeline/trainer.ts): one lock node per scope, so MERGE cannot create
// two under a race, and the cycles it records on model versions.
CREATE CONSTRAINT trainer_lock_id IF NOT EXISTS FOR (l:TrainerLock) REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT trainer_cycle_id IF NOT EXISTS FOR (c:TrainerCycle) REQUIRE c.id IS UNIQUE;
