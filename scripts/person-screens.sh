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
    printf '%s\n' "$@" >"$scratch/steps"
    cat >"$scratch/drive.sh" <<DRIVE
#!/usr/bin/env bash
"\$@" &
child=\$!
trap 'kill \$child 2>/dev/null' TERM EXIT
sleep 6
win=\$(xdotool search --name "Joined-Up Care Record" | head -1)
xdotool windowfocus --sync "\$win" || true
xdotool mousemove 640 500
xdotool key --delay 100 ctrl+f
sleep 0.5
xdotool type --delay 60 "$nhs"
sleep 2
while read -r step; do [ -n "\$step" ] && eval "xdotool \$step"; sleep 0.8; done <"$scratch/steps"
xdotool mousemove 1270 795
sleep 1
xwd -root -silent | /usr/bin/convert xwd:- "png:$out/$name.png"
wait \$child
DRIVE
    chmod +x "$scratch/drive.sh"
    rm -rf "$scratch/data"
    XDG_DATA_HOME=$scratch/data "$shot" "$scratch/last.png" --wait 18 --size 1280x800 -- \
        "$scratch/drive.sh" "$bin" --training --role care-coordinator --theme "$theme" >/dev/null
    echo "wrote $out/$name.png"
}

shot theme-record-dark 9990000018 dark
shot theme-record-restricted 9990000093 light \
    "mousemove 1110 345 click 1" \
    'type --delay 40 "Planning a joint visit with the allocated worker"' \
    "mousemove 1024 368 click 1"
