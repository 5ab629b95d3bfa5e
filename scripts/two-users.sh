#!/usr/bin/env bash
# scripts/two-users.sh [OUT_DIR]: two users' windows on one server, side by side.
#
# Against the local PostgreSQL (postgres://root@127.0.0.1:5432, scripts/postgres.sh), this makes a fresh
# database, loads the training people into it as its owner, adds a care coordinator and an information
# governance lead (login roles, SCRAM passwords), and takes a screenshot of each one's window opened on
# the same record (Morgan, NHS 999 000 0093, a restricted person):
#   OUT_DIR/two-users-coordinator.png and OUT_DIR/two-users-ig-lead.png (default docs/screens).
# The role, team and server in each window come from the server: no --role is given.
# Needs a release build (cargo build --release; or JOINEDUP=path/to/joinedup); ../shared/tools/screenshot.sh
# runs the windows under Xvfb, and xdotool (which it installs) types into them.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screens}
mkdir -p "$out"
bin=${JOINEDUP:-target/release/joinedup}
[ -x "$bin" ] || { echo "two-users.sh: build first: cargo build --release" >&2; exit 1; }
shot=${SCREENSHOT:-../shared/tools/screenshot.sh}
host=127.0.0.1:5432
db=joinedup_two_users
owner="postgres://root@$host/$db"
coordinator=anna_clarke
ig_lead=ian_patel
password='a long password for the demonstration'
nhs=9990000093
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

psql() { command psql -h 127.0.0.1 -p 5432 -U root -v ON_ERROR_STOP=1 -qtA "$@"; }

# A fresh database, and no users left from an earlier run (login roles belong to the whole server).
psql -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
for u in $coordinator $ig_lead; do psql -d postgres -c "DROP ROLE IF EXISTS $u"; done
psql -d postgres -c "CREATE DATABASE $db"

# The owner (the account that made the database) seeds the training people and adds the users.
export XDG_DATA_HOME=$scratch/owner
"$bin" --db "$owner" --training users list >/dev/null
echo "$password" | "$bin" --db "$owner" users add $coordinator --as care-coordinator \
    --team "Discharge team" --organisation "Westmere Council" --password-stdin
echo "$password" | "$bin" --db "$owner" users add $ig_lead --as ig-lead \
    --team "Information governance" --organisation "Westmere Council" --password-stdin
"$bin" --db "$owner" users list

# Each user's window, signed in with their own login (the password in the URL; the status bar never
# shows it). Without a window manager the window is given the keyboard by xdotool, the "Find a person"
# tab is clicked, then the NHS number is typed into the search box and the record opens.
cat >"$scratch/drive.sh" <<'DRIVE'
#!/usr/bin/env bash
"$@" &
child=$!
trap 'kill $child 2>/dev/null' TERM EXIT
sleep 5
win=$(xdotool search --name "Joined-Up Care Record" | head -1)
xdotool windowfocus --sync "$win" || true
# A coordinator's window opens on the worklist: the "Find a person" tab first.
xdotool mousemove --window "$win" 280 36 click 1
sleep 0.5
xdotool mousemove --window "$win" 200 130 click 1
sleep 0.5
xdotool type --delay 60 "$NHS"
wait $child
DRIVE
chmod +x "$scratch/drive.sh"
window() { # NAME OUT
    local url="postgres://$1:$(printf %s "$password" | sed 's/ /%20/g')@$host/$db"
    NHS=$nhs XDG_DATA_HOME=$scratch/$1 "$shot" "$2" --wait 14 --size 1440x900 -- "$scratch/drive.sh" "$bin" --db "$url"
    /usr/bin/convert "$2" -crop 1280x820+0+0 +repage "$2" # the window's own size, without the screen around it
}
window $coordinator "$out/two-users-coordinator.png"
window $ig_lead "$out/two-users-ig-lead.png"
rm -f "$out"/two-users-*.log
echo "two windows: $out/two-users-coordinator.png $out/two-users-ig-lead.png (database $db kept)"
