-- Profiles (issue #6): the ready-made roles of workspaces created before profiles existed get the
-- same profile and segment permissions new workspaces get from BUILTIN_ROLES (PROFILE_GRANTS in
-- permissions.ts; the administrator everything, the auditor view). Their own edits stay.
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["profiles.view","profiles.edit","profiles.import","profiles.configure","segments.view","segments.create","segments.edit","segments.delete","segments.export"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'admin' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["profiles.view","segments.view","segments.export"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'management' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["profiles.view","profiles.edit","segments.view"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'sales_director' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["profiles.view","profiles.edit","segments.view"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'sales_manager' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["profiles.view","profiles.edit"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'salesperson' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["profiles.view","profiles.edit","profiles.import","profiles.configure","segments.view","segments.create","segments.edit","segments.delete","segments.export"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'marketing' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["profiles.view","profiles.edit"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'customer_service' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["profiles.view","segments.view"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'auditor' and "builtin";
