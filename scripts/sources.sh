#!/usr/bin/env bash
# scripts/sources.sh [OUT_DIR]: the Sources screen and a link's confirmation at 1280x800 (issue 17 item 7).
#
# Imports into a private training database a council file (Margaret Okafor without an NHS number; Harold
# Bennett and the restricted Lisa Morgan at other postcodes), opens the window in training mode as a care
# coordinator, clicks "Sources and data quality", saves OUT_DIR/sources.png (default docs/screens); then asks
# for Okafor's matches, presses "Link to this person" and saves the confirmation, the two records side by
# side, as OUT_DIR/sources-link-confirm.png (Cancel is never pressed: the window is stopped). Needs a build (cargo
# build; or JOINEDUP=path/to/joinedup); ../shared/tools/screenshot.sh runs the window under Xvfb and
# xdotool clicks in it. The clicks are at the places the screen has at 1280x800 on the training data.
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh"

cat >"$scratch/council.json" <<'JSON'
{"format": "joinedup-bundle", "version": 1, "people": [{
  "local_ids": [{"source": "Westmere Council Adult Social Care", "id": "ASC-555001"}],
  "source": "Westmere Council Adult Social Care", "given_name": "Margaret", "family_name": "Okafor",
  "date_of_birth": "1942-02-14", "sex": "female", "postcode": "WM4 2QT",
  "episodes": [{"ref": "ASC-555001-R1", "kind": "social_care_request", "title": "Request: day centre",
                "start": "2026-06-01T10:00"}]}, {
  "nhs_number": "9990000026", "source": "Westmere Council Adult Social Care",
  "local_ids": [{"source": "Westmere Council Adult Social Care", "id": "ASC-555003"}],
  "given_name": "Harold", "family_name": "Bennett", "postcode": "WM2 8XX", "sex": "male", "episodes": []}, {
  "nhs_number": "9990000093", "source": "Westmere Council Adult Social Care",
  "local_ids": [{"source": "Westmere Council Adult Social Care", "id": "ASC-555004"}],
  "given_name": "Lisa", "family_name": "Morgan", "postcode": "WM1 7ZZ", "sex": "female", "episodes": []}]}
JSON
XDG_DATA_HOME=$scratch/data "$bin" --training --role care-coordinator import "$scratch/council.json" >/dev/null

cat >"$scratch/drive.sh" <<DRIVE
#!/usr/bin/env bash
"\$@" &
child=\$!
trap 'kill \$child 2>/dev/null' TERM EXIT
capture() { xwd -root -silent | /usr/bin/convert xwd:- "png:\$1"; }
sleep 6
win=\$(xdotool search --name "Joined-Up Care Record" | head -1)
xdotool windowfocus --sync "\$win" || true
xdotool mousemove 772 37 click 1
sleep 2
xdotool mousemove 1200 700
sleep 1
capture "$out/sources.png"
xdotool mousemove \${FIND_X:-415} \${FIND_Y:-656} click 1
sleep 2
xdotool mousemove \${LINK_X:-72} \${LINK_Y:-702} click 1
sleep 2
capture "$out/sources-link-confirm.png"
wait \$child
DRIVE
chmod +x "$scratch/drive.sh"
XDG_DATA_HOME=$scratch/data "$shot" "$scratch/last.png" --wait 16 --size 1280x800 -- \
    "$scratch/drive.sh" "$bin" --training --role care-coordinator
echo "wrote $out/sources.png $out/sources-link-confirm.png"
