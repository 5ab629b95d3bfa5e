#!/usr/bin/env bash
# scripts/feeds.sh [OUT_DIR]: the Sources screen's live feeds panel at 1280x800 (issue 15 item 4).
#
# Runs `joinedup listen` on a private database (not training, which refuses the invalid NHS number outright) and sends it, over MLLP, an admission,
# the same admission again (a lost ACK), an ORU (not kept: skipped), a message with no NHS number or local
# id (rejected, AE), and an A28 whose labelled NHS number fails its check digit beside the hospital's own id
# (stored, AA with a warning); stops the listener, opens the window as a care coordinator, clicks "Sources
# and data quality", opens both lists and saves OUT_DIR/sources-feeds.png (default docs/screens). Needs a
# build (cargo build; or JOINEDUP=path/to/joinedup) and python3 for the sender.
set -euo pipefail
. "$(dirname "$0")/lib/setup.sh"

port=${FEEDS_PORT:-25751}
XDG_DATA_HOME=$scratch/data "$bin" --db "$scratch/feeds.db" --role tester listen --mllp "127.0.0.1:$port" \
    >"$scratch/listen.json" 2>"$scratch/listen.log" &
listener=$!
python3 - "$port" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
for _ in range(100):
    try:
        s = socket.create_connection(("127.0.0.1", port)); break
    except OSError:
        time.sleep(0.1)
msgs = [
    "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202612060900||ADT^A01^ADT_A01|M1|P|2.4\rPID|1||9990000026^^^NHS^NH||BENNETT^HAROLD||19400101|M\rPV1|1|I|OAK^^BED1^NGH|21|||||||||||||||V1^^^VISITID|||||||||||||||||||||||||202612060900\r",
    None,
    "MSH|^~\\&|LAB|NGH|JOINEDUP|WM|202612060905||ORU^R01^ORU_R01|L1|P|2.4\rPID|1||9990000026^^^NHS^NH||BENNETT^HAROLD\rOBR|1\r",
    "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202612060910||ADT^A01^ADT_A01|M2|P|2.4\rPID|1||||NONUMBER^PERSON\r",
    "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202612060915||ADT^A28^ADT_A05|W1|P|2.4\rPID|1||NG777^^^NGH^MR~1234567890^^^NHS^NH||SHAW^EDITH\r",
]
last = None
for m in msgs:
    m = m or last
    last = m
    s.sendall(b"\x0b" + m.encode() + b"\x1c\r")
    ack = b""
    while not ack.endswith(b"\x1c\r"):
        ack += s.recv(4096)
    print(ack.decode().split("\r")[1])
s.close()
PY
kill -TERM "$listener"
wait "$listener" || true

cat >"$scratch/drive.sh" <<DRIVE
#!/usr/bin/env bash
"\$@" &
child=\$!
trap 'kill \$child 2>/dev/null' TERM EXIT
capture() { xwd -root -silent | /usr/bin/convert xwd:- "png:\$1"; }
sleep 6
win=\$(xdotool search --name "Joined-Up Care Record" | head -1)
xdotool windowfocus --sync "\$win" || true
xdotool mousemove 772 12 click 1
sleep 2
xdotool mousemove 120 190 click 1
sleep 1
xdotool mousemove 90 163 click 1
sleep 1
xdotool mousemove 1200 700
sleep 1
wait \$child
DRIVE
chmod +x "$scratch/drive.sh"
XDG_DATA_HOME=$scratch/data "$shot" "$out/sources-feeds.png" --wait 14 --size 1280x800 -- \
    "$scratch/drive.sh" "$bin" --db "$scratch/feeds.db" --role care-coordinator
echo "wrote $out/sources-feeds.png"
