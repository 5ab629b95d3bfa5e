#!/usr/bin/env bash
# scripts/print-preview.sh [OUT_DIR]: the print preview at 1280x800 (issue 17 item 11). Opens the window in
# training mode on a private data directory, goes to the search box (Ctrl+F), types Harold Bennett's NHS
# number, presses "Print summary…" (at its place on the toolbar at 1280x800) and captures
# OUT_DIR/print-preview.png: the PDF's first page as laid out, its header (name, NHS number, date of birth),
# footer ("Page 1 of 1", printed by whom and when) and the training watermark, with "Save PDF…" and "Cancel".
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh"

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
xdotool type --delay 60 "9990000026"
sleep 2
xdotool mousemove ${PRINT_AT:-430 180} click 1
sleep 2
xdotool mousemove 1270 795
sleep 1
xwd -root -silent | /usr/bin/convert xwd:- "png:$out/print-preview.png"
wait \$child
DRIVE
chmod +x "$scratch/drive.sh"
XDG_DATA_HOME=$scratch/data "$shot" "$scratch/last.png" --wait 16 --size 1280x800 -- \
    "$scratch/drive.sh" "$bin" --training --role care-coordinator >/dev/null
echo "wrote $out/print-preview.png"
