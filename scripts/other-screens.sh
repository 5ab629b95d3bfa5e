#!/usr/bin/env bash
# scripts/other-screens.sh [OUT_DIR]: the screens the other scripts leave out, at 1280x800 on the training data
# (issue 17): OUT_DIR/theme-worklist.png (a care coordinator's first screen, the worklist),
# search-similar-name.png (Ctrl+F, then a family name misspelt: "okafer" finds Margaret Okafor),
# training-stories.png (the trainers' panel) and training-reset-confirm.png (Reset training data… asks first;
# nothing is pressed after), and audit-log.png (the information governance lead's Audit screen). Each shot
# opens the window in training mode on a private data directory; the clicks are at the places the screen has
# at 1280x800. Needs a build (cargo build; or JOINEDUP=path/to/joinedup); ../shared/tools/screenshot.sh runs
# the window under Xvfb and xdotool drives it.
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh"

# shot NAME ROLE [xdotool steps...]
shot() {
    local name=$1 role=$2; shift 2
    take_shot "$name" "--role $role" "$@"
}

shot theme-worklist care-coordinator
shot search-similar-name care-coordinator "mousemove 640 500" "key --delay 100 ctrl+f" 'type --delay 80 "okafer"'
shot training-stories care-coordinator "mousemove ${STORIES_X:-920} ${NAV_Y:-37} click 1"
shot training-reset-confirm care-coordinator "mousemove ${STORIES_X:-920} ${NAV_Y:-37} click 1" \
    "mousemove ${RESET_X:-81} ${RESET_Y:-113} click 1"
shot audit-log ig-lead "mousemove ${AUDIT_X:-900} ${NAV_Y:-37} click 1"
