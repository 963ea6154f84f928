#!/usr/bin/env bash
# Prints the package graph of the project's Java sources as "from -> to (count)",
# one edge a line: for every file, each project type it names, by import or by a
# qualified name in code (comments skipped), counted once per file and type.
# Then the pairs of packages that depend on each other both ways.
# Usage: scripts/package-graph.sh [source-root]   (default src/main/java)
set -euo pipefail
root="${1:-src/main/java}"
edges=$(find "$root" -name '*.java' | sort | while read -r f; do
  from=$(sed -n 's/^package \([a-zA-Z0-9_.]*\);.*/\1/p' "$f" | head -1)
  grep -v -E '^\s*(\*|//|/\*)' "$f" | grep -v '^package ' |
    grep -o -E '\b(tributary|verticles)(\.[a-z][a-z0-9_]*)*\.[A-Z][A-Za-z0-9_]*' | sort -u |
    while read -r type; do
      to="${type%.*}"
      [ "$from" != "$to" ] && echo "$from -> $to"
    done
done | sort | uniq -c | awk '{printf "%s -> %s (%s)\n", $2, $4, $1}')
echo "$edges"
echo "--- both ways:"
echo "$edges" | awk '{print $1, $3}' | while read -r a b; do
  if echo "$edges" | grep -q "^$b -> $a ("; then [[ "$a" < "$b" ]] && echo "$a <-> $b"; fi
done | sort -u
