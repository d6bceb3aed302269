ALTER TABLE "review_items" ADD COLUMN "rule_name" text;--> statement-breakpoint
-- Items raised by a saved rule that still exists get its name; the shipped rules never had an id.
UPDATE "review_items" r SET "rule_name" = d."name" FROM "dedupe_rules" d WHERE d."tenant_id" = r."tenant_id" AND d."id" = r."rule_id";
