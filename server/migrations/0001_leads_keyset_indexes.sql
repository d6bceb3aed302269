DROP INDEX "leads_owner_idx";--> statement-breakpoint
DROP INDEX "leads_unit_idx";--> statement-breakpoint
DROP INDEX "leads_org_idx";--> statement-breakpoint
CREATE INDEX "leads_tenant_created_idx" ON "leads" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "leads_owner_idx" ON "leads" USING btree ("tenant_id","owner_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "leads_unit_idx" ON "leads" USING btree ("tenant_id","unit_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "leads_org_idx" ON "leads" USING btree ("tenant_id","org_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);