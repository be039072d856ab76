#!/usr/bin/env bash
# Installs the RemoteGPU agent worker on a GPU host (run as root):
#   - copies a built release (the repo after `npm ci && npx tsc -b tsconfig.build.json`: package.json,
#     node_modules, core/, activities/, agent-worker/ with their dist/) to <prefix>/releases/<stamp>,
#     points <prefix>/current at it and <prefix>/node at the node binary;
#   - writes the JSON config (mode 0600) — the secret is read from a file, never from argv;
#   - installs remotegpu-agent.service and (unless --no-start) enables and restarts it.
# Values only ever travel as arguments or environment variables: nothing given is evaluated as shell code.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: install.sh --machine-id ID --temporal-address HOST:PORT --api-url URL --key-id KEY_ID --secret-file FILE
                  [--namespace NS] [--bundle DIR] [--node PATH] [--prefix DIR] [--config FILE]
                  [--nvidia-smi PATH] [--data-root DIR] [--heartbeat-interval-ms MS] [--systemd-dir DIR] [--no-start]
USAGE
}

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
machine_id='' temporal_address='' api_url='' key_id='' secret_file=''
namespace='default'
bundle=$(cd -- "$script_dir/../.." && pwd)
node_bin=$(command -v node || true)
prefix='/opt/remotegpu-agent'
config_file='/etc/remotegpu/agent.json'
nvidia_smi='nvidia-smi'
data_root='/home'
heartbeat_interval_ms='5000'
systemd_dir='/etc/systemd/system'
start=1

need_value() { [[ $# -ge 2 && -n $2 ]] || { echo "install.sh: $1 needs a value" >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --machine-id) need_value "$@"; machine_id=$2; shift 2 ;;
    --temporal-address) need_value "$@"; temporal_address=$2; shift 2 ;;
    --namespace) need_value "$@"; namespace=$2; shift 2 ;;
    --api-url) need_value "$@"; api_url=$2; shift 2 ;;
    --key-id) need_value "$@"; key_id=$2; shift 2 ;;
    --secret-file) need_value "$@"; secret_file=$2; shift 2 ;;
    --bundle) need_value "$@"; bundle=$2; shift 2 ;;
    --node) need_value "$@"; node_bin=$2; shift 2 ;;
    --prefix) need_value "$@"; prefix=$2; shift 2 ;;
    --config) need_value "$@"; config_file=$2; shift 2 ;;
    --nvidia-smi) need_value "$@"; nvidia_smi=$2; shift 2 ;;
    --data-root) need_value "$@"; data_root=$2; shift 2 ;;
    --heartbeat-interval-ms) need_value "$@"; heartbeat_interval_ms=$2; shift 2 ;;
    --systemd-dir) need_value "$@"; systemd_dir=$2; shift 2 ;;
    --no-start) start=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

fail() { echo "install.sh: $*" >&2; exit 1; }
[[ $machine_id =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ ]] || fail "--machine-id: expected letters, digits, '.', '_' or '-'"
[[ $temporal_address =~ ^[^[:space:]:]+:[0-9]+$ ]] || fail '--temporal-address: expected host:port'
[[ $api_url =~ ^https?://[^[:space:]]+$ ]] || fail '--api-url: expected an http(s):// URL'
[[ -n $key_id ]] || fail '--key-id is required'
[[ -n $secret_file && -r $secret_file ]] || fail '--secret-file: a readable file holding the agent secret is required'
[[ $heartbeat_interval_ms =~ ^[0-9]+$ ]] || fail '--heartbeat-interval-ms: expected a number'
for dir_option in "$prefix" "$config_file" "$data_root" "$systemd_dir"; do
  [[ $dir_option == /* ]] || fail "paths must be absolute: $dir_option"
done
[[ -n $node_bin && -x $node_bin ]] || fail '--node: no executable node found (Node >= 22 required)'
node_major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
[[ $node_major -ge 22 ]] || fail "node $("$node_bin" --version) is too old: Node >= 22 required"
[[ -f $bundle/agent-worker/dist/main.js ]] || fail "$bundle/agent-worker/dist/main.js is missing: build first"
[[ -d $bundle/node_modules ]] || fail "$bundle/node_modules is missing: run npm ci in the bundle first"

release="$prefix/releases/$(date -u +%Y%m%dT%H%M%SZ)"
echo "installing the agent release into $release"
mkdir -p -- "$release"
cp -a -- "$bundle/package.json" "$release/"
for pkg in core activities agent-worker; do
  mkdir -p -- "$release/$pkg"
  cp -a -- "$bundle/$pkg/package.json" "$bundle/$pkg/dist" "$release/$pkg/"
done
cp -a -- "$bundle/node_modules" "$release/"
ln -sfn -- "$release" "$prefix/current.new" && mv -T -- "$prefix/current.new" "$prefix/current"
ln -sfn -- "$node_bin" "$prefix/node"

# The config is written by node from environment variables, so no value is ever parsed by the shell.
mkdir -p -- "$(dirname -- "$config_file")"
RG_CONFIG_FILE=$config_file RG_MACHINE_ID=$machine_id RG_TEMPORAL_ADDRESS=$temporal_address \
  RG_NAMESPACE=$namespace RG_API_URL=$api_url RG_KEY_ID=$key_id RG_SECRET_FILE=$secret_file \
  RG_NVIDIA_SMI=$nvidia_smi RG_DATA_ROOT=$data_root RG_HEARTBEAT_INTERVAL_MS=$heartbeat_interval_ms \
  "$node_bin" -e '
const fs = require("node:fs");
const e = process.env;
const secret = fs.readFileSync(e.RG_SECRET_FILE, "utf8").trim();
if (secret.length < 16) throw new Error("the agent secret must be at least 16 characters");
const config = {
  MACHINE_ID: e.RG_MACHINE_ID,
  TEMPORAL_ADDRESS: e.RG_TEMPORAL_ADDRESS,
  TEMPORAL_NAMESPACE: e.RG_NAMESPACE,
  API_URL: e.RG_API_URL,
  AGENT_KEY_ID: e.RG_KEY_ID,
  AGENT_SECRET: secret,
  NVIDIA_SMI_PATH: e.RG_NVIDIA_SMI,
  DATA_ROOT: e.RG_DATA_ROOT,
  HEARTBEAT_INTERVAL_MS: Number(e.RG_HEARTBEAT_INTERVAL_MS),
};
const tmp = e.RG_CONFIG_FILE + ".tmp";
fs.writeFileSync(tmp, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
fs.chmodSync(tmp, 0o600);
fs.renameSync(tmp, e.RG_CONFIG_FILE);
'
echo "wrote $config_file"

# Check the written config the way the agent will read it, before (re)starting anything.
"$node_bin" -e '
const { loadAgentConfig } = require(process.argv[1]);
loadAgentConfig(["--config", process.argv[2]], {});
' "$release/agent-worker/dist/config.js" "$config_file"

unit_source="$script_dir/remotegpu-agent.service"
if [[ $prefix != /opt/remotegpu-agent || $config_file != /etc/remotegpu/agent.json ]]; then
  echo "note: the unit file expects /opt/remotegpu-agent and /etc/remotegpu/agent.json; adjust it with a drop-in" >&2
fi
install -D -m 0644 -- "$unit_source" "$systemd_dir/remotegpu-agent.service"
echo "installed $systemd_dir/remotegpu-agent.service"

if [[ $start -eq 1 ]]; then
  systemctl daemon-reload
  systemctl enable remotegpu-agent.service
  systemctl restart remotegpu-agent.service
  echo 'remotegpu-agent started: journalctl -u remotegpu-agent -f'
fi
