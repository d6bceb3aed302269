-- Fuzzy blocking at a company reads the leads whose names' pinyin sorts nearest to a record's
-- (homophones sort together) instead of any 20 of the company: the index gives them in that order.
DROP INDEX "leads_name_company_idx";--> statement-breakpoint
CREATE INDEX "leads_company_pinyin_idx" ON "leads" USING btree ("tenant_id","company_key","pinyin_full");