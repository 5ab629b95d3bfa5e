#!/usr/bin/env bash
# scripts/board.sh [OUT_DIR]: the discharge readiness board on the training data (issue 17 item 5).
#
# Opens the window in training mode as a care coordinator on a private data directory at 1280x800, clicks
# "Discharge board" in the navigation bar and saves OUT_DIR/board.png (default docs/screens). Needs a build
# (cargo build; or JOINEDUP=path/to/joinedup); ../shared/tools/screenshot.sh runs the window under Xvfb, and
# xdotool (which it installs) clicks in it.
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
# "Discharge board" in the navigation bar.
xdotool mousemove --window "$win" 571 37 click 1
sleep 1
xdotool mousemove --window "$win" 640 790
wait $child
DRIVE
chmod +x "$scratch/drive.sh"
XDG_DATA_HOME=$scratch/data "$shot" "$out/board.png" --wait 10 --size 1280x800 -- \
    "$scratch/drive.sh" "$bin" --training --role care-coordinator
rm -f "$out"/board.log
echo "wrote $out/board.png"
