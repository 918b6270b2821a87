#!/usr/bin/env bash
# make demo: until the search lands, show the parent the demo searches over.
set -euo pipefail
bin=${1:-.build/release/puzzle}
"$bin" inspect llama-3.1-70b
