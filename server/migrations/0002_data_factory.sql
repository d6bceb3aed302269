CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"channel_id" uuid,
	"starts_on" date,
	"ends_on" date,
	"budget" bigint DEFAULT 0 NOT NULL,
	"actual_cost" bigint DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"owner_id" uuid,
	"unit_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "campaigns_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "behaviour_events" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"channel_id" uuid,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"event_key" text,
	"identity" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "behaviour_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "channels" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"code" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"unit_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"api_key_id" uuid,
	"mapping" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"form" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"form_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "channels_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "import_errors" (
	"tenant_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"cells" jsonb NOT NULL,
	"reasons" jsonb NOT NULL,
	CONSTRAINT "import_errors_tenant_id_import_id_row_number_pk" PRIMARY KEY("tenant_id","import_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "import_files" (
	"tenant_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "import_files_tenant_id_import_id_seq_pk" PRIMARY KEY("tenant_id","import_id","seq")
);
--> statement-breakpoint
CREATE TABLE "import_mappings" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "import_mappings_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"encoding" text,
	"sheet" text,
	"size_bytes" integer NOT NULL,
	"headers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mapping" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"channel_id" uuid,
	"campaign_id" uuid,
	"status" text DEFAULT 'uploaded' NOT NULL,
	"total_rows" integer,
	"checkpoint_row" integer DEFAULT 0 NOT NULL,
	"counts" jsonb DEFAULT '{"rows":0,"created":0,"merged":0,"duplicate":0,"review":0,"invalid":0}'::jsonb NOT NULL,
	"job_id" uuid,
	"error" text,
	"unit_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "imports_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "dedupe_rules" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"priority" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"conditions" jsonb NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"action" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "dedupe_rules_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "lead_intents" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"lead_id" uuid,
	"person_id" uuid,
	"channel_id" uuid,
	"campaign_id" uuid,
	"import_id" uuid,
	"external_id" text,
	"outcome" text NOT NULL,
	"rule_id" uuid,
	"issues" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_intents_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "lead_merges" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"target_lead_id" uuid NOT NULL,
	"source_lead_id" uuid,
	"intent_id" uuid,
	"import_id" uuid,
	"before" jsonb NOT NULL,
	"source_before" jsonb,
	"changed" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"merged_by" uuid,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone,
	CONSTRAINT "lead_merges_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "person_identities" (
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"namespace" text DEFAULT '' NOT NULL,
	"value" text NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_identities_tenant_id_kind_namespace_value_pk" PRIMARY KEY("tenant_id","kind","namespace","value")
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text DEFAULT 'person' NOT NULL,
	"name" text,
	"company" text,
	"region_code" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"merged_into_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "persons_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "quality_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_items" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"lead_id" uuid NOT NULL,
	"candidate_lead_id" uuid,
	"rule_id" uuid,
	"similarity" real,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"unit_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "review_items_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "scoring_rules" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"points" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "scoring_rules_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "credit_code" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "region_code" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "person_id" uuid;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "channel_id" uuid;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "first_campaign_id" uuid;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "last_campaign_id" uuid;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "import_id" uuid;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "intent_count" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "last_intent_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "score" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "grade" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "quality" text DEFAULT 'ok' NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "quality_issues" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "name_key" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "company_key" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "pinyin_full" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "pinyin_initials" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_tenant_id_unit_id_org_units_tenant_id_id_fk" FOREIGN KEY ("tenant_id","unit_id") REFERENCES "public"."org_units"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_tenant_id_unit_id_org_units_tenant_id_id_fk" FOREIGN KEY ("tenant_id","unit_id") REFERENCES "public"."org_units"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channels" ADD CONSTRAINT "channels_tenant_id_org_id_org_units_tenant_id_id_fk" FOREIGN KEY ("tenant_id","org_id") REFERENCES "public"."org_units"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_errors" ADD CONSTRAINT "import_errors_tenant_id_import_id_imports_tenant_id_id_fk" FOREIGN KEY ("tenant_id","import_id") REFERENCES "public"."imports"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_files" ADD CONSTRAINT "import_files_tenant_id_import_id_imports_tenant_id_id_fk" FOREIGN KEY ("tenant_id","import_id") REFERENCES "public"."imports"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_identities" ADD CONSTRAINT "person_identities_tenant_id_person_id_persons_tenant_id_id_fk" FOREIGN KEY ("tenant_id","person_id") REFERENCES "public"."persons"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_code_key" ON "campaigns" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE INDEX "campaigns_created_idx" ON "campaigns" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "behaviour_events_person_idx" ON "behaviour_events" USING btree ("tenant_id","person_id","occurred_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "behaviour_events_type_idx" ON "behaviour_events" USING btree ("tenant_id","type","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "behaviour_events_key" ON "behaviour_events" USING btree ("tenant_id","channel_id","event_key");--> statement-breakpoint
CREATE UNIQUE INDEX "channels_code_key" ON "channels" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "channels_api_key_key" ON "channels" USING btree ("tenant_id","api_key_id");--> statement-breakpoint
CREATE UNIQUE INDEX "channels_form_key" ON "channels" USING btree ("tenant_id","form_key");--> statement-breakpoint
CREATE UNIQUE INDEX "import_mappings_name_key" ON "import_mappings" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "imports_created_idx" ON "imports" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE UNIQUE INDEX "lead_intents_external_key" ON "lead_intents" USING btree ("tenant_id","channel_id","external_id");--> statement-breakpoint
CREATE INDEX "lead_intents_lead_idx" ON "lead_intents" USING btree ("tenant_id","lead_id","received_at");--> statement-breakpoint
CREATE INDEX "lead_intents_import_idx" ON "lead_intents" USING btree ("tenant_id","import_id");--> statement-breakpoint
CREATE INDEX "lead_intents_channel_idx" ON "lead_intents" USING btree ("tenant_id","channel_id","received_at");--> statement-breakpoint
CREATE INDEX "lead_intents_campaign_idx" ON "lead_intents" USING btree ("tenant_id","campaign_id");--> statement-breakpoint
CREATE INDEX "lead_merges_target_idx" ON "lead_merges" USING btree ("tenant_id","target_lead_id","merged_at");--> statement-breakpoint
CREATE INDEX "lead_merges_import_idx" ON "lead_merges" USING btree ("tenant_id","import_id");--> statement-breakpoint
CREATE INDEX "person_identities_person_idx" ON "person_identities" USING btree ("tenant_id","person_id");--> statement-breakpoint
CREATE INDEX "review_items_open_idx" ON "review_items" USING btree ("tenant_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "review_items_lead_idx" ON "review_items" USING btree ("tenant_id","lead_id");--> statement-breakpoint
CREATE INDEX "leads_person_idx" ON "leads" USING btree ("tenant_id","person_id");--> statement-breakpoint
CREATE INDEX "leads_import_idx" ON "leads" USING btree ("tenant_id","import_id");--> statement-breakpoint
CREATE INDEX "leads_name_company_idx" ON "leads" USING btree ("tenant_id","company_key","name_key");--> statement-breakpoint
CREATE INDEX "leads_name_key_idx" ON "leads" USING btree ("tenant_id","name_key","company_key");--> statement-breakpoint
CREATE INDEX "leads_name_key_trgm" ON "leads" USING gin ("name_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_company_key_trgm" ON "leads" USING gin ("company_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_pinyin_idx" ON "leads" USING btree ("tenant_id","pinyin_initials");