#!/usr/bin/env bash
# scripts/plans.sh [OUT_DIR]: the care plans screen at 1280x800 (issue 17 item 4).
#
# Each shot opens the window in training mode on a private data directory, goes to the search box (Ctrl+F),
# types an NHS number and clicks "Care plans" in the top bar (at the place it has at 1280x800):
# OUT_DIR/plans-cards.png is Samuel Adeyemi (999 000 0042): his NHS and council plans side by side, each
# version's date and author; OUT_DIR/plans-who-does-what.png is the same scrolled to the who-does-what
# table (due dates, statuses, the council's first review overdue);
# OUT_DIR/plans-versions.png is Rajesh Patel (999 000 0085), scrolled to the comparison of his carer's
# support plan's two versions (both versions' dates and authors in its header, an action's progress);
# OUT_DIR/plans-editor.png is the same plan's editor opened by its "Edit plan" button (goals, needs, actions
# with the needs each meets, due date and status).
# Needs a build (cargo build; or JOINEDUP=path/to/joinedup); ../shared/tools/screenshot.sh runs the
# window under Xvfb and xdotool types into it.
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh"

# shot NAME NHS [xdotool steps after the plans screen opens...]
shot() {
    local name=$1 nhs=$2; shift 2
    local steps
    mapfile -t steps < <(open_record "$nhs")
    take_shot "$name" "--role care-coordinator" "${steps[@]}" "mousemove 464 37 click 1" "sleep 1.5" "$@"
}

shot plans-cards 9990000042
shot plans-who-does-what 9990000042 "mousemove 640 600 click --repeat 6 5"
shot plans-versions 9990000085 "mousemove 640 600 click --repeat 20 5"
shot plans-editor 9990000085 "mousemove 115 664 click 1"
