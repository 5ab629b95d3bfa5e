#!/usr/bin/env bash
# scripts/screens.sh [OUT_DIR]: every screen that has a script, at 1280x800 on the training data, into
# OUT_DIR (default docs/screens), so that a reviewer sees each change (issue 17). Builds the window first
# (cargo build), then runs each screen's script in turn: the board, the CHC caseload and form, the person
# screen (dark theme, restricted record), the print preview, the care plans (who does what, versions),
# Sources with a link's confirmation, the live feeds panel, the timeline's list and its canvas, and the import
# window (the built-in file picker and the preview); then the worklist, search, the trainers' panel with its
# reset confirmation, and the IG lead's Audit screen (`other-screens.sh`).
# `scripts/two-users.sh` (two users signed in to a server) is left out: it needs PostgreSQL; run it on its own.
# Each script runs the window under Xvfb through ../shared/tools/screenshot.sh and drives it with xdotool.
# Look at every PNG before committing them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screens}
if [ -z "${JOINEDUP:-}" ]; then
    cargo build
fi
failed=()
for screen in board chc-screens person-screens print-preview plans sources feeds timeline-list timeline-canvas import other-screens; do
    echo "== $screen"
    if ! "scripts/$screen.sh" "$out"; then
        failed+=("$screen")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "screens.sh: these failed: ${failed[*]}" >&2
    exit 1
fi
echo "screens.sh: every screen written to $out"
