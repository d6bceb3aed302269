CREATE TABLE "person_tags" (
	"tenant_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"tag_id" uuid NOT NULL,
	"source" text NOT NULL,
	"added_by" uuid,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_tags_tenant_id_person_id_tag_id_pk" PRIMARY KEY("tenant_id","person_id","tag_id")
);
--> statement-breakpoint
CREATE TABLE "profile_changes" (
	"tenant_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profile_changes_tenant_id_person_id_pk" PRIMARY KEY("tenant_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "segment_members" (
	"tenant_id" uuid NOT NULL,
	"segment_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "segment_members_tenant_id_segment_id_person_id_pk" PRIMARY KEY("tenant_id","segment_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "segment_sizes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"segment_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"size" integer NOT NULL,
	"added" integer DEFAULT 0 NOT NULL,
	"removed" integer DEFAULT 0 NOT NULL,
	"trigger" text NOT NULL,
	CONSTRAINT "segment_sizes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "segments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"kind" text NOT NULL,
	"conditions" jsonb,
	"auto_refresh" boolean DEFAULT true NOT NULL,
	"member_count" integer DEFAULT 0 NOT NULL,
	"refreshed_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "segments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "tag_events" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"tag_id" uuid NOT NULL,
	"tag_name" text NOT NULL,
	"action" text NOT NULL,
	"source" text NOT NULL,
	"actor_id" uuid,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tag_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "tag_groups" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"color" text,
	"exclusive" boolean DEFAULT false NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "tag_groups_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "tags" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"name" text NOT NULL,
	"color" text,
	"description" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"rule" jsonb,
	"rule_enabled" boolean DEFAULT false NOT NULL,
	"rule_removal" text DEFAULT 'remove' NOT NULL,
	"rule_run_at" timestamp with time zone,
	"rule_match_count" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "tags_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
DROP INDEX "behaviour_events_type_idx";--> statement-breakpoint
ALTER TABLE "person_tags" ADD CONSTRAINT "person_tags_tenant_id_person_id_persons_tenant_id_id_fk" FOREIGN KEY ("tenant_id","person_id") REFERENCES "public"."persons"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_tags" ADD CONSTRAINT "person_tags_tenant_id_tag_id_tags_tenant_id_id_fk" FOREIGN KEY ("tenant_id","tag_id") REFERENCES "public"."tags"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_tenant_id_segment_id_segments_tenant_id_id_fk" FOREIGN KEY ("tenant_id","segment_id") REFERENCES "public"."segments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_tenant_id_person_id_persons_tenant_id_id_fk" FOREIGN KEY ("tenant_id","person_id") REFERENCES "public"."persons"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_sizes" ADD CONSTRAINT "segment_sizes_tenant_id_segment_id_segments_tenant_id_id_fk" FOREIGN KEY ("tenant_id","segment_id") REFERENCES "public"."segments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tags" ADD CONSTRAINT "tags_tenant_id_group_id_tag_groups_tenant_id_id_fk" FOREIGN KEY ("tenant_id","group_id") REFERENCES "public"."tag_groups"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "person_tags_tag_idx" ON "person_tags" USING btree ("tenant_id","tag_id","person_id");--> statement-breakpoint
CREATE INDEX "segment_members_person_idx" ON "segment_members" USING btree ("tenant_id","person_id");--> statement-breakpoint
CREATE INDEX "segment_sizes_segment_idx" ON "segment_sizes" USING btree ("tenant_id","segment_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "segments_name_key" ON "segments" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "tag_events_person_idx" ON "tag_events" USING btree ("tenant_id","person_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tag_events_tag_idx" ON "tag_events" USING btree ("tenant_id","tag_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "tag_groups_name_key" ON "tag_groups" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "tags_group_name_key" ON "tags" USING btree ("tenant_id","group_id","name");--> statement-breakpoint
CREATE INDEX "tags_rule_idx" ON "tags" USING btree ("tenant_id") WHERE "tags"."rule_enabled";--> statement-breakpoint
CREATE INDEX "lead_intents_person_idx" ON "lead_intents" USING btree ("tenant_id","person_id","received_at");--> statement-breakpoint
CREATE INDEX "persons_last_seen_idx" ON "persons" USING btree ("tenant_id","last_seen_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "orders_person_counted_idx" ON "orders" USING btree ("tenant_id","person_id","ordered_at","total","refunded_total") WHERE "orders"."status" in ('confirmed', 'shipped', 'completed') and "orders"."person_id" is not null;--> statement-breakpoint
CREATE INDEX "behaviour_events_type_idx" ON "behaviour_events" USING btree ("tenant_id","type","occurred_at","person_id");