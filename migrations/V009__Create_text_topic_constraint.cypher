// Text topics of what users write (src/pipeline/text-topics.ts): written by id per run.
CREATE CONSTRAINT text_topic_id IF NOT EXISTS FOR (t:TextTopic) REQUIRE t.id IS UNIQUE;
