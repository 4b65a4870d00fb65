#!/usr/bin/env bash
# usage: scripts/ci/monitoring-diff.sh <stack> <base commit> <out.md>
# Renders the stack at the base commit and at the checked-out head, and
# writes what changes in monitoring and serving (npm run diff:monitoring) to
# <out.md>. The base is rendered with its own code (exported with git
# archive, sharing this checkout's node_modules); a base that cannot be rendered (a
# stack new in this change, or a render script that did not exist yet)
# counts as empty, and the summary says so.
set -euo pipefail
stack=$1 base=$2 out=$3
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm run -s render -- --stack "$stack" --out "$work/head" >/dev/null

note=""
mkdir "$work/base-src"
git archive "$base" | tar -x -C "$work/base-src"
ln -s "$PWD/node_modules" "$work/base-src/node_modules"
if ! (cd "$work/base-src" && npm run -s render -- --stack "$stack" --out "$work/base" >/dev/null 2>"$work/base-errors"); then
    rm -rf "$work/base"
    note="The base commit ${base:0:12} could not be rendered for ${stack} (a new stack?): everything is shown as added."
fi

{
    npm run -s diff:monitoring -- --base "$work/base" --head "$work/head" --stack "$stack"
    if [ -n "$note" ]; then printf '\n%s\n' "$note"; fi
} > "$out"
