#!/usr/bin/env bash
# scripts/timeline-canvas.sh [OUT_DIR]: the timeline canvas at 1280x800 on the training data (issue 17 item 3).
#
# Each shot opens the window in training mode as a care coordinator on a private data directory, goes to the
# search box (Ctrl+F) and types Harold Bennett's NHS number (999 000 0026): OUT_DIR/timeline-canvas.png is
# his last year (his home care's bar labelled, the short stay not); OUT_DIR/timeline-canvas-empty-lanes.png is the same with
# "Hide empty lanes" ticked (the click is at the place the toolbar has at 1280x800);
# OUT_DIR/timeline-canvas-empty-period.png is his record panned (Left, ten times) two years back, where
# nothing is recorded. Needs a build (cargo build; or JOINEDUP=path/to/joinedup);
# ../shared/tools/screenshot.sh runs the window under Xvfb and xdotool types into it.
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh"

# shot NAME NHS [xdotool steps after the record opens...]
shot() {
    local name=$1 nhs=$2; shift 2
    local steps
    mapfile -t steps < <(open_record "$nhs")
    take_shot "$name" "--role care-coordinator --theme light" "${steps[@]}" "key Escape" "sleep 0.5" "$@"
}

shot timeline-canvas 9990000026
shot timeline-canvas-empty-lanes 9990000026 "mousemove 675 203 click 1"
shot timeline-canvas-empty-period 9990000026 \
    "key --delay 150 Left Left Left Left Left Left Left Left Left Left"
