-- Leaves room on each page of leads so that the updates the data factory makes right after an
-- insert (score and grade, intent counts) stay on the page as HOT updates: no new entries in the
-- table's nine indexes (two of them trigram GIN) for columns that are not indexed.
ALTER TABLE "leads" SET (fillfactor = 80);
--> statement-breakpoint
-- Persons are touched (last seen) by every repeat intent and behaviour batch, likewise.
ALTER TABLE "persons" SET (fillfactor = 85);
