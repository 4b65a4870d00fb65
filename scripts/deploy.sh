#!/usr/bin/env bash
# Deploys a stack (default: dev): builds the program, selects or creates the
# stack on the backend named in Pulumi.yaml (a local file backend unless
# PULUMI_BACKEND_URL says otherwise), then runs `pulumi up`.
set -euo pipefail
cd "$(dirname "$0")/.."
stack="${1:-dev}"
shift || true

if ! command -v pulumi >/dev/null 2>&1; then
    echo "The Pulumi CLI is not installed: see README.md, Prerequisites." >&2
    exit 1
fi
if [ ! -f "Pulumi.${stack}.yaml" ]; then
    echo "No Pulumi.${stack}.yaml: see docs/adding-a-stack.md." >&2
    exit 1
fi
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ] && [ -z "${PULUMI_ACCESS_TOKEN:-}" ]; then
    echo "Pulumi encrypts this stack's secrets with a passphrase; it will ask for one." >&2
fi

npm run --silent build
pulumi stack select --create "$stack"
pulumi up --stack "$stack" "$@"
