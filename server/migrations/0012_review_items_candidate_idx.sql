-- A merge closes the open review items that name either lead (lead_id or candidate_lead_id); with
-- only the lead_id index that was a scan of the open queue per merge (most of a 1M-lead re-dedupe).
CREATE INDEX "review_items_candidate_idx" ON "review_items" USING btree ("tenant_id","candidate_lead_id");