# Sourced by each screen script (scripts/*.sh that take screenshots): goes to the project's folder and sets
# `out` (the script's first argument, default docs/screens, made absolute), `bin` (the window: JOINEDUP, or
# the dev build), `shot` (../shared/tools/screenshot.sh, or SCREENSHOT) and `scratch` (a folder removed on
# exit).
cd "$(dirname "$0")/.."
out=${1:-docs/screens}
mkdir -p "$out"
out=$(cd "$out" && pwd)
bin=${JOINEDUP:-target/debug/joinedup}
[ -x "$bin" ] || { echo "$(basename "$0"): build first: cargo build" >&2; exit 1; }
shot=${SCREENSHOT:-../shared/tools/screenshot.sh}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
