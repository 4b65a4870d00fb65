#!/usr/bin/env bash
# usage: scripts/ci/find-reviewed-plan.sh <stack> <plan dir>
# Downloads into <plan dir> the plan that the preview of this commit's pull
# request saved for <stack> (artifact plan-<stack> of its last successful
# Preview run). Needs GH_TOKEN, GITHUB_REPOSITORY and GITHUB_SHA.
set -euo pipefail
stack=$1 dir=$2

pr=$(gh api "repos/$GITHUB_REPOSITORY/commits/$GITHUB_SHA/pulls" --jq '.[0].number // empty')
if [ -z "$pr" ]; then
    echo "::error::Refusing to update $stack: commit $GITHUB_SHA reached main without a pull request, so no plan was reviewed"
    exit 1
fi
head=$(gh api "repos/$GITHUB_REPOSITORY/pulls/$pr" --jq .head.sha)
run=$(gh run list --repo "$GITHUB_REPOSITORY" --workflow preview.yml --commit "$head" --status success --limit 1 --json databaseId --jq '.[0].databaseId // empty')
if [ -z "$run" ]; then
    echo "::error::Refusing to update $stack: no successful preview of #$pr at $head"
    exit 1
fi
mkdir -p "$dir"
gh run download "$run" --repo "$GITHUB_REPOSITORY" --name "plan-$stack" --dir "$dir"
echo "$stack: plan of #$pr ($head), preview run $run"
