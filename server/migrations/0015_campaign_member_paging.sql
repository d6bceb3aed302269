-- Campaign members page by the campaign's responses newest first (time index) and skip a response
-- when the same lead has a newer one in the campaign (lead index): a page costs its own rows, not
-- the campaign's. The figures count distinct leads in the lead index's order. The old
-- (tenant, campaign) index is the lead index's prefix.
DROP INDEX "lead_intents_campaign_idx";--> statement-breakpoint
CREATE INDEX "lead_intents_campaign_time_idx" ON "lead_intents" USING btree ("tenant_id","campaign_id","received_at","id","lead_id") WHERE "lead_intents"."campaign_id" is not null;--> statement-breakpoint
CREATE INDEX "lead_intents_campaign_lead_idx" ON "lead_intents" USING btree ("tenant_id","campaign_id","lead_id","received_at","id") WHERE "lead_intents"."campaign_id" is not null;