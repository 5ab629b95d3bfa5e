#!/usr/bin/env bash
# scripts/person-screens.sh [OUT_DIR]: the person screen at 1280x800 (issue 17 items 1 and 2).
#
# Each shot opens the window in training mode on a private data directory, goes to the search box (Ctrl+F)
# and types an NHS number: OUT_DIR/theme-record-dark.png is Margaret Okafor (alerts, in hospital: the
# discharge panel under the toolbar) on the dark theme; OUT_DIR/theme-record-restricted.png is Lisa Morgan
# (restricted) on the light theme after a reason is typed into the detail pane and given (the clicks are at
# the places the screen has at 1280x800). Needs a build (cargo build; or JOINEDUP=path/to/joinedup);
# ../shared/tools/screenshot.sh runs the window under Xvfb and xdotool types into it.
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh"

# shot NAME NHS THEME [xdotool steps after the record opens...]
shot() {
    local name=$1 nhs=$2 theme=$3; shift 3
    local steps
    mapfile -t steps < <(open_record "$nhs")
    take_shot "$name" "--role care-coordinator --theme $theme" "${steps[@]}" "$@"
}

shot theme-record-dark 9990000018 dark
shot theme-record-restricted 9990000093 light \
    "mousemove 1110 345 click 1" \
    'type --delay 40 "Planning a joint visit with the allocated worker"' \
    "mousemove 1024 368 click 1"
