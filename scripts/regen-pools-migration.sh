#!/usr/bin/env bash
# Development helper for issue #4 work in progress: regenerates migration 0005 from the current
# schema files (drops the previous 0005 first), serialised with flock so parallel edits do not race.
set -euo pipefail
cd "$(dirname "$0")/../server"
exec 9>/tmp/haina-migration.lock
flock 9
rm -f migrations/0005_*.sql migrations/meta/0005_snapshot.json
node -e '
const fs=require("fs");const p="migrations/meta/_journal.json";const j=JSON.parse(fs.readFileSync(p));
j.entries=j.entries.filter(e=>e.idx<5);fs.writeFileSync(p,JSON.stringify(j,null,2)+"\n")'
npx drizzle-kit generate --name lead_pools
