#!/usr/bin/env bash
# Adds every public symbol the build reports as undeclared (RS0016) to src/Plexus/PublicAPI.Unshipped.txt.
# Run it after adding public API on purpose; review the diff: an entry you did not mean is a type to make internal.
set -euo pipefail
cd "$(dirname "$0")/.."
unshipped=src/Plexus/PublicAPI.Unshipped.txt
missing=$(dotnet build src/Plexus -c Release --no-incremental 2>&1 | grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | sort -u || true)
if [[ -z "$missing" ]]; then
  echo "the public API is up to date"
  exit 0
fi
{ tail -n +2 "$unshipped"; echo "$missing"; } | grep -v '^$' | sort -u > "$unshipped.new"
{ echo "#nullable enable"; cat "$unshipped.new"; } > "$unshipped"
rm "$unshipped.new"
echo "$missing" | sed 's/^/added: /'
