DROP INDEX "audit_log_at_idx";--> statement-breakpoint
DROP INDEX "recycle_bin_deleted_idx";--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("tenant_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "recycle_bin_deleted_idx" ON "recycle_bin" USING btree ("tenant_id","deleted_at" DESC NULLS LAST,"id" DESC NULLS LAST);