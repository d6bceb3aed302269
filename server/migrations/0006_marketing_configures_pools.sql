-- Seed 002: marketing owns the master pool and splits it into sub-pools, so the ready-made
-- marketing role configures pools (leads.configure). New workspaces get it from BUILTIN_ROLES;
-- this brings the role of existing workspaces level. Roles a workspace edited keep their edits
-- apart from this one permission.
update "roles"
set "permissions" = "permissions" || '["leads.configure"]'::jsonb, "updated_at" = now(), "version" = "version" + 1
where "key" = 'marketing' and "builtin" and not ("permissions" ? 'leads.configure');
