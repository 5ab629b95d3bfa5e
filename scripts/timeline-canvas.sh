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
    printf '%s\n' "$@" >"$scratch/steps"
    cat >"$scratch/drive.sh" <<DRIVE
#!/usr/bin/env bash
"\$@" &
child=\$!
trap 'kill \$child 2>/dev/null' TERM EXIT
sleep 6
win=\$(xdotool search --name "Joined-Up Care Record" | head -1)
xdotool windowfocus --sync "\$win" || true
xdotool mousemove 1270 795
xdotool key --delay 100 ctrl+f
sleep 0.5
xdotool type --delay 60 "$nhs"
sleep 2
xdotool key Escape
sleep 0.5
while read -r step; do [ -n "\$step" ] && eval "xdotool \$step"; sleep 0.8; done <"$scratch/steps"
xdotool mousemove 1270 795
sleep 1
xwd -root -silent | /usr/bin/convert xwd:- "png:$out/$name.png"
wait \$child
DRIVE
    chmod +x "$scratch/drive.sh"
    rm -rf "$scratch/data"
    XDG_DATA_HOME=$scratch/data "$shot" "$scratch/last.png" --wait 18 --size 1280x800 -- \
        "$scratch/drive.sh" "$bin" --training --role care-coordinator --theme light >/dev/null
    echo "wrote $out/$name.png"
}

shot timeline-canvas 9990000026
shot timeline-canvas-empty-lanes 9990000026 "mousemove 675 203 click 1"
shot timeline-canvas-empty-period 9990000026 \
    "key --delay 150 Left Left Left Left Left Left Left Left Left Left"
