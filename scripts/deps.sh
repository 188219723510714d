#!/bin/sh
# Install the Debian packages listed in scripts/deps.list that are missing.
# Idempotent and quick when nothing is missing: one dpkg-query call.
set -e
here=$(dirname "$0")
want=$(grep -v '^[[:space:]]*\(#\|$\)' "$here/deps.list" | tr '\n' ' ')
missing=""
for p in $want; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in
        *" installed") ;;
        *) missing="$missing $p" ;;
    esac
done
# npm fetches the web console's chart library at build time; any npm on
# PATH will do (Debian's, or a Node installed another way).
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
[ -z "$missing" ] && exit 0
echo "deps: installing missing Debian packages:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
