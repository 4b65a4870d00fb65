#!/usr/bin/env bash
# usage: scripts/ci/check-reviewed-plan.sh <stack> <plan dir>
# Refuses (exit 1, saying why) unless <plan dir> holds the plan a pull
# request's preview saved for exactly this code and this stack state:
# the checked-out tree is the tree that was previewed, and the stack has not
# been updated since (its last update is the one the preview saw).
set -euo pipefail
stack=$1 dir=$2

refuse() {
    echo "::error::Refusing to update $stack: $1"
    exit 1
}

[ -s "$dir/plan.json" ] || refuse "no saved plan in $dir (the pull request's preview saves one: see README, Continuous delivery)"
previewed_tree=$(cat "$dir/tree")
tree=$(git rev-parse 'HEAD^{tree}')
[ "$tree" = "$previewed_tree" ] || refuse "this commit's code (tree $tree) is not what was previewed (tree $previewed_tree): main moved after the preview; preview it again"
previewed_version=$(cat "$dir/stack-version")
version=$(pulumi stack history --stack "$stack" --json --page-size 1 | jq '.[0].version // 0')
[ "$version" = "$previewed_version" ] || refuse "the stack was updated since the preview (update $previewed_version then, $version now): preview it again"
echo "$stack: the plan previewed for tree $tree at update $version applies"
