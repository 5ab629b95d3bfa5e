# Sourced by each screen script (scripts/*.sh that take screenshots): goes to the project's folder and sets
# `out` (the script's first argument, default docs/screens, made absolute), `bin` (the window: JOINEDUP, or
# the dev build), `shot` (../shared/tools/screenshot.sh, or SCREENSHOT) and `scratch` (a folder removed on
# exit).
cd "$(dirname "$0")/.."
out=${1:-docs/screens}
mkdir -p "$out"
out=$(cd "$out" && pwd)
bin=${JOINEDUP:-target/debug/joinedup}
[ -x "$bin" ] || { echo "$(basename "$0"): build first: cargo build" >&2; exit 1; }
shot=${SCREENSHOT:-../shared/tools/screenshot.sh}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# take_shot NAME "WINDOW ARGS" [STEP...]: start the window in training mode on a fresh private data directory
# (WINDOW ARGS after --training, split at spaces), run each STEP as `xdotool STEP` once it shows (a step may
# be `sleep N`), then save OUT_DIR/NAME.png. The one driver of every screen script that takes shots.
take_shot() {
    local name=$1 args=$2; shift 2
    printf '%s\n' "$@" >"$scratch/steps"
    cat >"$scratch/drive.sh" <<DRIVE
#!/usr/bin/env bash
"\$@" &
child=\$!
trap 'kill \$child 2>/dev/null' TERM EXIT
sleep 6
win=\$(xdotool search --name "Joined-Up Care Record" | head -1)
xdotool windowfocus --sync "\$win" || true
while read -r step; do [ -n "\$step" ] && eval "xdotool \$step"; sleep 0.8; done <"$scratch/steps"
xdotool mousemove 1270 795
sleep 1
xwd -root -silent | /usr/bin/convert xwd:- "png:$out/$name.png"
wait \$child
DRIVE
    chmod +x "$scratch/drive.sh"
    rm -rf "$scratch/data"
    # shellcheck disable=SC2086 # the window's arguments are split at spaces on purpose
    XDG_DATA_HOME=$scratch/data "$shot" "$scratch/last.png" --wait "${SHOT_WAIT:-18}" --size 1280x800 -- \
        "$scratch/drive.sh" "$bin" --training $args >/dev/null
    echo "wrote $out/$name.png"
}

# open_record NHS: the steps that open a person's record: Ctrl+F from anywhere, the NHS number typed.
open_record() {
    printf '%s\n' "mousemove 640 500" "key --delay 100 ctrl+f" "sleep 0.5" "type --delay 60 \"$1\"" "sleep 2"
}
