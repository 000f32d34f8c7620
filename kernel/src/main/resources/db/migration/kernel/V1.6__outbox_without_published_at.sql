-- The outbox's published_at and its index of unpublished events (V1.1) are dropped: nothing ever wrote the column or
-- read the index. Each consumer keeps its own position in outbox_consumer and reads the events after it by id (the
-- primary key; io.kopek.outbox.OutboxConsumer), so every event stayed "unpublished" and entered that index as it
-- entered the primary key's: a second index of the same ids, written with every event (three a hold and its capture)
-- and read by no query.

drop index outbox_event_unpublished;
alter table outbox_event drop column published_at;
