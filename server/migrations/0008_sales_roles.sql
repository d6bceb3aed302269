-- Sales (issue #5): the ready-made roles of workspaces created before sales existed get the
-- same sales permissions new workspaces get from BUILTIN_ROLES (SALES_GRANTS in permissions.ts).
-- Permissions a workspace already holds are not repeated; its own edits stay.
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["customers.view","opportunities.view","products.view","quotes.view","orders.view","tasks.view","customers.export","opportunities.export","orders.export"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'management' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["customers.view","customers.create","customers.edit","customers.delete","customers.import","customers.export","customers.assign","customers.configure","opportunities.view","opportunities.create","opportunities.edit","opportunities.delete","opportunities.export","opportunities.assign","opportunities.configure","products.view","products.create","products.edit","products.delete","quotes.view","quotes.create","quotes.edit","quotes.delete","quotes.approve","orders.view","orders.create","orders.edit","orders.delete","orders.import","orders.export","tasks.view","tasks.create","tasks.edit","tasks.delete"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'sales_director' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["customers.view","customers.create","customers.edit","customers.assign","customers.export","opportunities.view","opportunities.create","opportunities.edit","opportunities.assign","opportunities.export","products.view","quotes.view","quotes.create","quotes.edit","quotes.approve","orders.view","orders.create","orders.edit","tasks.view","tasks.create","tasks.edit","tasks.delete"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'sales_manager' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["customers.view","customers.create","customers.edit","opportunities.view","opportunities.create","opportunities.edit","products.view","quotes.view","quotes.create","quotes.edit","orders.view","orders.create","orders.edit","tasks.view","tasks.create","tasks.edit","tasks.delete"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'salesperson' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["customers.view","customers.export","products.view","orders.view","orders.import","orders.export"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'marketing' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["customers.view","customers.edit","products.view","orders.view","orders.edit","tasks.view","tasks.create","tasks.edit"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'customer_service' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["customers.view","customers.create","customers.edit","customers.delete","customers.import","customers.export","customers.assign","customers.configure","opportunities.view","opportunities.create","opportunities.edit","opportunities.delete","opportunities.export","opportunities.assign","opportunities.configure","products.view","products.create","products.edit","products.delete","quotes.view","quotes.create","quotes.edit","quotes.delete","quotes.approve","orders.view","orders.create","orders.edit","orders.delete","orders.import","orders.export","tasks.view","tasks.create","tasks.edit","tasks.delete"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'admin' and "builtin";
--> statement-breakpoint
update "roles"
set "permissions" = "permissions" || (
    select coalesce(jsonb_agg(p), '[]'::jsonb)
    from jsonb_array_elements_text('["customers.view","opportunities.view","products.view","quotes.view","orders.view","tasks.view"]'::jsonb) as p
    where not ("roles"."permissions" ? p)
  ), "updated_at" = now(), "version" = "version" + 1
where "key" = 'auditor' and "builtin";
