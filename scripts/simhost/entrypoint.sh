#!/bin/bash
# PID 2 of a simulated GPU host (docker-init is PID 1 and reaps orphans): its own sshd on
# $SIMHOST_IP:22 and the real agent worker, restarted while /run/simhost/agent.enabled exists
# (ctl agent <name> stop|kill|start toggles it for crash tests).
set -u
: "${SIMHOST_IP:?SIMHOST_IP is required}"
mkdir -p /run/sshd /run/simhost /etc/simhost /var/log/simhost /data/tenants
[ -f /etc/simhost/nvidia-mode ] || echo "${SIMHOST_NVIDIA_MODE:-ok}" >/etc/simhost/nvidia-mode
[ -f /etc/simhost/gpu-profile ] || echo "${SIMHOST_GPU_PROFILE:-h100x8}" >/etc/simhost/gpu-profile
# Host keys of this container only (the image has none).
ssh-keygen -A >/dev/null

/usr/sbin/sshd -D -e -o ListenAddress="$SIMHOST_IP:22" -o UsePAM=no -o PidFile=/run/sshd.pid \
  -o PasswordAuthentication=yes -o KbdInteractiveAuthentication=no -o PermitRootLogin=no \
  -o MaxStartups=100:30:200 -o UseDNS=no >>/var/log/simhost/sshd.log 2>&1 &
sshd_pid=$!

agent_pid=
stop_all() {
  [ -n "$agent_pid" ] && kill -TERM "$agent_pid" 2>/dev/null
  kill -TERM "$sshd_pid" 2>/dev/null
  exit 0
}
trap stop_all TERM INT

[ "${SIMHOST_AGENT:-1}" = 1 ] && touch /run/simhost/agent.enabled
AGENT_MAIN=/opt/remotegpu/agent-worker/dist/main.js
while kill -0 "$sshd_pid" 2>/dev/null; do
  if [ -f /run/simhost/agent.enabled ] && [ -f "$AGENT_MAIN" ]; then
    echo "$(date -Is) starting agent" >>/var/log/simhost/agent.log
    node "$AGENT_MAIN" >>/var/log/simhost/agent.log 2>&1 &
    agent_pid=$!
    echo "$agent_pid" >/run/simhost/agent.pid
    wait "$agent_pid"
    echo "$(date -Is) agent exited with $?" >>/var/log/simhost/agent.log
    agent_pid=
    rm -f /run/simhost/agent.pid
  fi
  sleep 0.5 & wait $!
done
echo "sshd exited" >&2
exit 1
