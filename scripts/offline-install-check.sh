#!/usr/bin/env bash
# Offline install check (docs/install.md, "LGWAN 内へのオフラインインストール"):
#   1. build the tenken wheel and a wheelhouse of the locked runtime dependencies (pip's cache is reused);
#   2. create a fresh venv and install from that wheelhouse alone: pip --no-index, and when the kernel
#      allows it inside a network namespace with no interfaces (unshare -n), so nothing can be fetched;
#   3. from an empty directory, with TENKEN_STATE_DIR in a temp dir: tenken --version, tenken setup-demo,
#      collectstatic, then gunicorn serving the installed copy, and GET /public/ must answer 200;
#   4. nothing may have been written into site-packages (state belongs in TENKEN_STATE_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-python3}
BIN=${VENV:-.venv}/bin
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tenken-offline.XXXXXX")
cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
step() { printf '[offline-install] %s\n' "$*"; }
start=$(date +%s)

step "wheelhouse → $WORK/wheelhouse"
make -s wheelhouse WHEELHOUSE="$WORK/wheelhouse" >/dev/null
ls "$WORK"/wheelhouse/tenken-*.whl >/dev/null
step "$(ls "$WORK"/wheelhouse/*.whl | wc -l) wheels, $(du -sh "$WORK/wheelhouse" | cut -f1)"

step "fresh venv, install with --no-index"
"$PY" -m venv "$WORK/venv"
OFFLINE=()
if unshare -n true 2>/dev/null; then OFFLINE=(unshare -n); step "(inside unshare -n: no network at all)"; fi
# Ignore this machine's pip configuration (extra indexes, find-links): the wheelhouse must be enough.
env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 \
  "${OFFLINE[@]}" "$WORK/venv/bin/pip" install -q --no-index --find-links "$WORK/wheelhouse" \
  --require-hashes -r "$WORK/wheelhouse/requirements.lock"
env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 \
  "${OFFLINE[@]}" "$WORK/venv/bin/pip" install -q --no-index --find-links "$WORK/wheelhouse" --no-deps tenken

mkdir -p "$WORK/cwd"
cd "$WORK/cwd"   # not the source tree: tenken must come from site-packages
export TENKEN_STATE_DIR="$WORK/state" TENKEN_DB=sqlite
# Production mode as docs/operations.md prescribes (DEBUG off, a secret key of its own); plain HTTP on loopback.
TENKEN_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
export TENKEN_SECRET_KEY TENKEN_DEBUG=0 TENKEN_HTTPS=0 TENKEN_ALLOWED_HOSTS=127.0.0.1
unset TENKEN_SQLITE_PATH DJANGO_SETTINGS_MODULE PYTHONPATH || true
SITE=$("$WORK/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
where=$("$WORK/venv/bin/python" -c 'import tenken, os; print(os.path.dirname(tenken.__file__))')
[ "$where" = "$SITE/tenken" ] || { echo "tenken imported from $where, not $SITE/tenken" >&2; exit 1; }
want=$("$WORK/venv/bin/python" -c 'import importlib.metadata as m; print(m.version("tenken"))')
got=$("$WORK/venv/bin/tenken" --version)
[ "$got" = "$want" ] || { echo "tenken --version printed '$got', expected '$want'" >&2; exit 1; }
step "installed tenken $got at $where"

step "tenken setup-demo (TENKEN_STATE_DIR=$TENKEN_STATE_DIR)"
"$WORK/venv/bin/tenken" setup-demo -v 0
"$WORK/venv/bin/tenken" collectstatic --noinput -v 0
test -f "$TENKEN_STATE_DIR/db.sqlite3"
test -d "$TENKEN_STATE_DIR/static/admin"

PORT=$("$WORK/venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
step "gunicorn tenken.wsgi on 127.0.0.1:$PORT"
"$WORK/venv/bin/gunicorn" --bind "127.0.0.1:$PORT" --workers 1 tenken.wsgi >"$WORK/gunicorn.log" 2>&1 &
SERVER_PID=$!
"$WORK/venv/bin/python" - "$PORT" <<'PYEOF'
import sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/public/"
for _ in range(100):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            body = r.read().decode()
            assert r.status == 200, r.status
            assert "電子化全開宣言行動計画" in body, "the demo plan is not on /public/"
            print(f"[offline-install] GET /public/ → {r.status}, {len(body):,} bytes")
            break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit(f"{url} did not answer")
PYEOF
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=

stray=$(find "$SITE" -newer "$WORK/cwd" \( -name '*.sqlite3' -o -path '*/static/admin' -o -path '*/media' \) | head -5)
[ -z "$stray" ] || { echo "runtime state written into site-packages: $stray" >&2; exit 1; }
step "OK in $(( $(date +%s) - start )) s"
