# The platform's own processes (API, control worker, local agent, nginx for the portal) for scripts/start.
# shellcheck shell=bash

# start_app <name> <health command...> -- <command...>: reuses a healthy process, else starts it detached.
start_app() {
  local name=$1; shift
  local health=()
  while [ "$1" != -- ]; do health+=("$1"); shift; done
  shift
  if pid_alive "$RUN/app-$name.pid" && "${health[@]}" >/dev/null 2>&1; then return 0; fi
  pid_alive "$RUN/app-$name.pid" && kill "$(cat "$RUN/app-$name.pid")" 2>/dev/null || true
  # exec: the background job becomes the app itself, so no wrapper shell keeps the caller's stdout open.
  (cd "$ROOT" && exec setsid nohup "$@" >"$LOGS/$name.log" 2>&1 </dev/null) &
  echo $! >"$RUN/app-$name.pid"
  wait_for 60 "$name" "${health[@]}"
}

api_healthy() { curl -sf "http://127.0.0.1:$API_PORT/healthz" >/dev/null; }
process_running() { pid_alive "$RUN/app-$1.pid"; }

start_web() {
  local root="$ROOT/web/dist/browser"
  [ -d "$root" ] || root=$(dirname "$(find "$ROOT/web/dist" -name index.html -print -quit)")
  mkdir -p "$DATA/nginx"
  sed -e "s#@RUN@#$RUN#g" -e "s#@LOGS@#$LOGS#g" -e "s#@WEB_PORT@#$WEB_PORT#g" -e "s#@API_PORT@#$API_PORT#g" \
    -e "s#@WEB_ROOT@#$root#g" "$ROOT/scripts/nginx/web.conf.template" >"$DATA/nginx/web.conf"
  nginx -t -c "$DATA/nginx/web.conf" >/dev/null 2>&1 || { nginx -t -c "$DATA/nginx/web.conf"; die "nginx config invalid"; }
  if pid_alive "$RUN/nginx.pid"; then nginx -c "$DATA/nginx/web.conf" -s reload; else nginx -c "$DATA/nginx/web.conf"; fi
  wait_for 20 web curl -sf "http://127.0.0.1:$WEB_PORT/"
}
