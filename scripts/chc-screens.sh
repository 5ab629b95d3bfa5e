#!/usr/bin/env bash
# scripts/chc-screens.sh [OUT_DIR]: the CHC screen on the training data (issue 17 item 6).
#
# Opens the window in training mode as a care coordinator on a private data directory, goes to CHC, sorts
# the caseload by NHS number (a header click) and opens Brenda Cole (a DST awaiting the ICB): saves
# OUT_DIR/chc-caseload.png. Then, on a fresh start, the same and "Record a Checklist" with five of eleven
# domains chosen ("not yet assessed: 5 of 11"), the pointer on Mobility to show its A/B/C descriptions:
# saves OUT_DIR/chc-form.png. Both are the window's top-left 1280x800. Needs a build (cargo build; or
# JOINEDUP=path/to/joinedup); ../shared/tools/screenshot.sh runs the window under Xvfb, and xdotool clicks.
# The coordinates are the window's own at 1280x820 with the default (light) theme.
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
click() { xdotool mousemove --window "$win" "$1" "$2" click 1; sleep "${3:-1}"; }
click 659 36 1.5   # CHC
click 192 107      # the "NHS number" header: sort ascending
click 50 204 2     # Brenda Cole, fourth by NHS number
if [ "$SHOT" = form ]; then
  click 770 154 1.5  # Record a Checklist
  click 1039 219 0.3 # Breathing C
  click 1004 265 0.3 # Nutrition B
  click 1039 311 0.3 # Continence C
  click 1004 357 0.3 # Skin B
  click 969 403 0.5  # Mobility A
  xdotool mousemove --window "$win" 765 415  # hover "Mobility"
else
  xdotool mousemove --window "$win" 1000 760
fi
wait $child
DRIVE
chmod +x "$scratch/drive.sh"
for what in caseload form; do
  rm -rf "$scratch/data"
  SHOT=$what XDG_DATA_HOME=$scratch/data "$shot" "$out/chc-$what.png" --wait 18 --size 1440x900 -- \
      "$scratch/drive.sh" "$bin" --training --role care-coordinator
  /usr/bin/convert "$out/chc-$what.png" -crop 1280x800+0+0 +repage "$out/chc-$what.png"
  rm -f "$out/chc-$what.log"
  echo "wrote $out/chc-$what.png"
done
