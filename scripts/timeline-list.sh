#!/usr/bin/env bash
# scripts/timeline-list.sh [OUT_DIR]: the timeline's list on a training record (issue 17 item 3).
#
# Opens the window in training mode as a care coordinator on a private data directory, goes to the search
# box (Ctrl+F), types Harold Bennett's NHS number (999 000 0026: home care suspended on admission) and
# presses Down, which selects the item nearest today; saves OUT_DIR/timeline-list.png (default docs/screens),
# the window's own 1280x820 cut from the screen. Needs a build (cargo build; or JOINEDUP=path/to/joinedup);
# ../shared/tools/screenshot.sh runs the window under Xvfb, and xdotool (which it installs) types into it.
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh"

cat >"$scratch/drive.sh" <<'DRIVE'
#!/usr/bin/env bash
"$@" &
child=$!
trap 'kill $child 2>/dev/null' TERM EXIT
sleep 6
win=$(xdotool search --name "Joined-Up Care Record" | head -1)
xdotool windowfocus --sync "$win" || true
xdotool mousemove --window "$win" 640 500
xdotool key --delay 100 ctrl+f
sleep 0.5
xdotool type --delay 60 "9990000026"
sleep 1.5
xdotool key Down
wait $child
DRIVE
chmod +x "$scratch/drive.sh"
XDG_DATA_HOME=$scratch/data "$shot" "$out/timeline-list.png" --wait 11 --size 1440x900 -- \
    "$scratch/drive.sh" "$bin" --training --role care-coordinator
/usr/bin/convert "$out/timeline-list.png" -crop 1280x820+0+0 +repage "$out/timeline-list.png"
rm -f "$out"/timeline-list.log
echo "wrote $out/timeline-list.png"
