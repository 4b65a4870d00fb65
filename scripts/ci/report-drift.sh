#!/usr/bin/env bash
# usage: scripts/ci/report-drift.sh <stack> <refresh output file>
# Opens an issue saying the stack drifted (a resource or dashboard edited by
# hand, or deleted), with what `pulumi refresh --preview-only` found, or
# comments on the open one. Needs GH_TOKEN and GITHUB_REPOSITORY.
set -euo pipefail
stack=$1 output_file=$2
title="Drift on stack $stack"

# shellcheck disable=SC2016 # the backticks are Markdown, not command substitution
body=$(printf '`pulumi refresh --preview-only --expect-no-changes --stack %s` found differences between the stack state and what runs (%s).\n\nReview them, then either run `pulumi refresh --stack %s` to accept them or `pulumi up --stack %s` to restore the code'"'"'s version.\n\n<details><summary>pulumi refresh</summary>\n\n```\n%s\n```\n</details>\n' \
    "$stack" "${GITHUB_SERVER_URL:-https://github.com}/$GITHUB_REPOSITORY/actions/runs/${GITHUB_RUN_ID:-0}" "$stack" "$stack" "$(tail -c 60000 "$output_file")")

existing=$(gh issue list --repo "$GITHUB_REPOSITORY" --state open --search "\"$title\" in:title" --json number,title --jq ".[] | select(.title == \"$title\") | .number" | head -n 1)
if [ -n "$existing" ]; then
    gh issue comment "$existing" --repo "$GITHUB_REPOSITORY" --body "$body" >/dev/null
    echo "drift on $stack: commented on issue #$existing"
else
    gh issue create --repo "$GITHUB_REPOSITORY" --title "$title" --body "$body" >/dev/null
    echo "drift on $stack: opened an issue"
fi
