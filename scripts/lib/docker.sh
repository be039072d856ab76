# Docker Engine for the simulated GPU hosts: Debian's dockerd on its own socket and data root under .data
# (no bridge, no iptables: containers run with --network host on loopback addresses), plus the image
# remotegpu/simhost:1 imported from a debootstrap root filesystem (no registry is reachable).
# Source scripts/lib/common.sh first.
# shellcheck shell=bash

DOCKER_SOCK="$RUN/docker.sock"
DOCKER_HOST_URL="unix://$DOCKER_SOCK"
SIMHOST_IMAGE=remotegpu/simhost:1
SIMHOST_ROOTFS_NAME=simhost-rootfs-v1.tar
SIMHOST_PACKAGES=openssh-server,passwd,procps,iproute2,sudo,ca-certificates

# The docker CLI, always against our daemon (never a developer's own /var/run/docker.sock).
dk() { docker -H "$DOCKER_HOST_URL" "$@"; }

docker_healthy() { [ -S "$DOCKER_SOCK" ] && dk version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start_docker() {
  docker_healthy && return 0
  (
    # Several scripts/tests may race to start it: one wins, the others wait and reuse it. (dockerd
    # must not inherit the lock's descriptor, or it would hold the lock for its whole life.)
    exec 9>"$RUN/docker-start.lock"
    flock 9
    docker_healthy && exit 0
    if pid_alive "$RUN/dockerd.pid"; then
      wait_for 60 dockerd docker_healthy
      exit 0
    fi
    rm -f "$RUN/dockerd.pid" "$DOCKER_SOCK"
    mkdir -p "$DATA/docker" "$RUN/docker-exec"
    log "docker: starting dockerd on $DOCKER_HOST_URL"
    setsid nohup dockerd --data-root "$DATA/docker" --exec-root "$RUN/docker-exec" -H "$DOCKER_HOST_URL" \
      --pidfile "$RUN/dockerd.pid" --bridge=none --iptables=false --ip-masq=false \
      --storage-driver overlay2 --log-level warn --live-restore \
      >>"$LOGS/dockerd.log" 2>&1 </dev/null 9>&- &
    wait_for 60 dockerd docker_healthy
  )
}

stop_docker() {
  pid_alive "$RUN/dockerd.pid" || return 0
  local pid
  pid=$(cat "$RUN/dockerd.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$RUN/dockerd.pid"
}

# The root filesystem tarball, cached outside the repo (survives a wipe of .data) and linked into .data.
simhost_rootfs() {
  local cached="$CACHE/$SIMHOST_ROOTFS_NAME" local_copy="$DATA/images/$SIMHOST_ROOTFS_NAME"
  mkdir -p "$CACHE" "$DATA/images"
  if [ ! -s "$cached" ] && [ -s "$local_copy" ]; then ln -f "$local_copy" "$cached" 2>/dev/null || cp "$local_copy" "$cached"; fi
  if [ ! -s "$cached" ]; then
    local dir="$DATA/tmp/simhost-rootfs.$$"
    rm -rf "$dir" && mkdir -p "$dir"
    log "simhost: debootstrap bookworm (minbase + $SIMHOST_PACKAGES)"
    debootstrap --variant=minbase --include="$SIMHOST_PACKAGES" bookworm "$dir" http://deb.debian.org/debian \
      >"$LOGS/debootstrap.log" 2>&1 || { tail -20 "$LOGS/debootstrap.log" >&2; rm -rf "$dir"; die "debootstrap failed"; }
    # Each container makes its own host keys at start; a smaller image without apt lists and docs.
    rm -f "$dir"/etc/ssh/ssh_host_*
    rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
    mkdir -p "$dir/run/sshd" "$dir/etc/simhost" "$dir/opt/remotegpu"
    tar -C "$dir" --numeric-owner -cf "$cached.tmp" . && mv "$cached.tmp" "$cached"
    rm -rf "$dir"
  fi
  [ -s "$local_copy" ] || ln -f "$cached" "$local_copy" 2>/dev/null || cp "$cached" "$local_copy"
  echo "$cached"
}

ensure_simhost_image() {
  start_docker
  dk image inspect "$SIMHOST_IMAGE" >/dev/null 2>&1 && return 0
  (
    exec 9>"$RUN/simhost-image.lock"
    flock 9
    dk image inspect "$SIMHOST_IMAGE" >/dev/null 2>&1 && exit 0
    local started=$SECONDS tarball
    tarball=$(simhost_rootfs)
    log "simhost: docker import $tarball as $SIMHOST_IMAGE"
    dk import --change 'CMD ["/bin/bash"]' "$tarball" "$SIMHOST_IMAGE" >/dev/null
    log "simhost: image ready in $((SECONDS - started)) s"
  )
}
