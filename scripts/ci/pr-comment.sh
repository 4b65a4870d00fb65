#!/usr/bin/env bash
# usage: scripts/ci/pr-comment.sh <pull request number> <marker> <body file>
# Posts <body file> on the pull request, or edits the comment that starts
# with <marker> (an HTML comment), so each stack keeps one comment that every
# push updates. Needs GH_TOKEN and GITHUB_REPOSITORY.
set -euo pipefail
pr=$1 marker=$2 body_file=$3

body=$(printf '%s\n%s' "$marker" "$(cat "$body_file")")
# GitHub refuses comments over 65536 characters.
if [ "${#body}" -gt 65000 ]; then
    body="${body:0:64000}"$'\n\n… (cut: the whole preview is in the job log)'
fi

existing=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$pr/comments" --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)
if [ -n "$existing" ]; then
    gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" -f body="$body" >/dev/null
    echo "updated comment $existing on #$pr"
else
    gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$pr/comments" -f body="$body" >/dev/null
    echo "commented on #$pr"
fi
