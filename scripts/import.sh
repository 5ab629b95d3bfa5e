#!/usr/bin/env bash
# scripts/import.sh [OUT_DIR]: the import window at 1280x800 (issue 17 item 10): joinedup's own file picker
# and the preview of who a file brings in.
#
# Opens the window in training mode as a care coordinator with JOINEDUP_FILE_DIALOG=builtin and a home folder
# of its own holding one council file (Margaret Okafor and the restricted Lisa Morgan, both here already, the
# first under another date of birth; Ada Test, new, with a sexual health item; a row rejected), clicks
# "Import…" in the navigation bar and saves OUT_DIR/import-picker.png (default docs/screens); presses Enter on
# the file (the list has the keyboard) and saves the preview as OUT_DIR/import-preview.png. Nothing is
# imported: the window is stopped. Needs a build (cargo build; or JOINEDUP=path/to/joinedup);
# ../shared/tools/screenshot.sh runs the window under Xvfb and xdotool clicks in it.
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh"

mkdir -p "$scratch/home/exports"
cat >"$scratch/home/council-file.json" <<'JSON'
{"format": "joinedup-bundle", "version": 1, "people": [
  {"nhs_number": "9990000018", "source": "Westmere Council Adult Social Care", "given_name": "Margaret",
   "family_name": "Okafor", "date_of_birth": "1942-02-15", "sex": "female",
   "episodes": [{"ref": "ASC-1", "kind": "social_care_request", "title": "Request: day centre", "start": "2026-06-01T10:00"},
                {"ref": "ASC-2", "kind": "gp_visit", "title": "Unknown kind", "start": "2026-06-02"}]},
  {"nhs_number": "9990000093", "source": "Westmere Council Adult Social Care", "given_name": "Lisa",
   "family_name": "Morgan", "episodes": [{"ref": "ASC-3", "kind": "social_care_request",
   "title": "Request: refuge support", "start": "2026-06-03T10:00"}]},
  {"nhs_number": "9990001014", "source": "Westmere Council Adult Social Care", "given_name": "Ada",
   "family_name": "Test", "date_of_birth": "1961-05-04",
   "episodes": [{"ref": "ASC-4", "kind": "outpatient", "title": "Clinic", "start": "2026-06-04T09:00",
                 "sensitivity": "sexual_health"},
                {"ref": "ASC-5", "kind": "social_care_assessment", "title": "Assessment", "start": "2026-06-05T09:00"}]}]}
JSON
printf 'not imported\n' >"$scratch/home/notes.docx"

cat >"$scratch/drive.sh" <<DRIVE
#!/usr/bin/env bash
"\$@" &
child=\$!
trap 'kill \$child 2>/dev/null' TERM EXIT
capture() { xwd -root -silent | /usr/bin/convert xwd:- "png:\$1"; }
sleep 6
win=\$(xdotool search --name "Joined-Up Care Record" | head -1)
xdotool windowfocus --sync "\$win" || true
# "Import…" in the navigation bar.
xdotool mousemove \${IMPORT_X:-1033} \${IMPORT_Y:-37} click 1
sleep 2
xdotool mousemove 1200 780
sleep 1
capture "$out/import-picker.png"
# The list has the keyboard: Down to the file, Enter opens it.
xdotool key Down
sleep 1
xdotool key Return
sleep 4
capture "$out/import-preview.png"
wait \$child
DRIVE
chmod +x "$scratch/drive.sh"
HOME=$scratch/home XDG_DATA_HOME=$scratch/data JOINEDUP_FILE_DIALOG=builtin "$shot" "$scratch/last.png" --wait 18 \
    --size 1280x800 -- "$scratch/drive.sh" "$bin" --training --role care-coordinator
echo "wrote $out/import-picker.png $out/import-preview.png"
