#!/usr/bin/env bash
# Runs a real Neo4j Community 5.26 DBMS (embedded, Bolt on 127.0.0.1) for this project.
# Everything is fetched from Maven Central by Maven; only Java 17 + Maven are needed.
#
#   scripts/neo4j/neo4j.sh start|stop|restart|status|uri|password|build
#
# Environment:
#   NEO4J_URI           if set, an external server is used: start/stop do nothing
#   NEO4J_BOLT_PORT     Bolt port (default 7687)
#   NEO4J_HOME_DIR      runtime dir: data/, logs/, password, pid (default <repo>/.neo4j)
#   NEO4J_BUILD_DIR     where the launcher and its jars are built (default <repo>/.neo4j; shared by instances)
#   NEO4J_HEAP          JVM max heap (default 1g)
#   NEO4J_PAGECACHE     Neo4j page cache size (default 512m)
#   NEO4J_JAVA_OPTS     extra JVM options
#   NEO4J_START_TIMEOUT seconds to wait for Bolt on start (default 120)
#   NEO4J_STOP_TIMEOUT  seconds to wait for a clean shutdown (default 60)
#   NEO4J_PORT_VARIABLE the variable a caller sets the port with, named when the port is taken
#                       (default NEO4J_BOLT_PORT; scripts/test.sh says NEO4J_TEST_BOLT_PORT)
#   NEO4J_PLUGINS       optional comma-separated plugins, fetched by Maven into $NEO4J_HOME_DIR/plugins:
#                       apoc-core (APOC core 5.26, the "core" jar). The folder is Neo4j's plugins folder
#                       (procedures are registered from it) and on the classpath (embedded, a plugin's
#                       extensions, such as APOC's configuration, are only found there)
# Extra Neo4j settings can be put in $NEO4J_HOME_DIR/neo4j.conf.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"
DEFAULT_RUNTIME="$REPO_DIR/.neo4j"

HOME_DIR="$(realpath -m "${NEO4J_HOME_DIR:-$DEFAULT_RUNTIME}")"
BUILD_ROOT="$(realpath -m "${NEO4J_BUILD_DIR:-$DEFAULT_RUNTIME}")"
PORT="${NEO4J_BOLT_PORT:-7687}"
HEAP="${NEO4J_HEAP:-1g}"
PAGECACHE="${NEO4J_PAGECACHE:-512m}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-120}"
STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"

TARGET_DIR="$BUILD_ROOT/build"       # Maven's target dir (kept out of the source tree)
LIB_DIR="$BUILD_ROOT/lib"            # Neo4j and its dependencies
JAR="$TARGET_DIR/neo4j-launcher.jar"
STAMP="$TARGET_DIR/.build-stamp"
BUILD_LOG="$TARGET_DIR/build.log"
PID_FILE="$HOME_DIR/neo4j.pid"
PASSWORD_FILE="$HOME_DIR/password"
READY_FILE="$HOME_DIR/ready"
LOG_DIR="$HOME_DIR/logs"
LAUNCHER_LOG="$LOG_DIR/launcher.log"
MAIN_CLASS="affinity.Neo4jLauncher"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

PLUGIN_DIR="$HOME_DIR/plugins"
# Plugin name -> Maven coordinates (groupId:artifactId:version:packaging:classifier).
declare -A PLUGIN_ARTIFACTS=(
  [apoc-core]="org.neo4j.procedure:apoc-core:5.26.1:jar:core"
)

log() { echo "[neo4j] $*" >&2; }
die() { echo "[neo4j] ERROR: $*" >&2; exit 1; }

# The URI of the running instance (written by the launcher when ready), else the configured one.
bolt_uri() {
  if [[ -s "$READY_FILE" ]] && running_pid >/dev/null; then
    head -n 1 "$READY_FILE"
  else
    echo "bolt://127.0.0.1:$PORT"
  fi
}

# True when the pid file names a live launcher process for this HOME_DIR.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' < "$PID_FILE")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    local cmdline
    cmdline="$(tr '\0' ' ' < "/proc/$pid/cmdline")"
    [[ "$cmdline" == *"$MAIN_CLASS $HOME_DIR "* ]] || return 1
  fi
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

# Who listens on $PORT, for the message when it is taken; fails when it cannot be told (another
# user's process is hidden from ss and lsof without root).
port_holder() {
  local pid="" cmd home
  if command -v ss >/dev/null; then
    pid="$(ss -H -ltnp "sport = :$PORT" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)"
  fi
  if [[ -z "$pid" ]] && command -v lsof >/dev/null; then
    pid="$(lsof -t -iTCP:"$PORT" -sTCP:LISTEN 2>/dev/null | head -n 1 || true)"
  fi
  [[ -n "$pid" ]] || return 1
  cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c 1-160 || true)"
  if [[ "$cmd" == *"$MAIN_CLASS "* ]]; then
    home="${cmd#*"$MAIN_CLASS "}"
    home="${home%% *}"
    echo "pid $pid, the Neo4j of $home (stop it with: NEO4J_HOME_DIR=$home $0 stop)"
  else
    echo "pid $pid (${cmd:-unknown command})"
  fi
}

source_hash() {
  cat "$SCRIPT_DIR/pom.xml" $(find "$SCRIPT_DIR/src" -type f -name '*.java' | sort) | sha256sum | cut -d' ' -f1
}

build() {
  mkdir -p "$TARGET_DIR"
  # Serialise concurrent builds (e.g. two instances started at once).
  exec 9>"$BUILD_ROOT/.build.lock"
  flock 9
  local hash
  hash="$(source_hash)"
  if [[ -f "$JAR" && -d "$LIB_DIR" && -f "$STAMP" && "$(cat "$STAMP")" == "$hash" ]]; then
    flock -u 9
    return 0
  fi
  log "building the Neo4j launcher (first run downloads Neo4j from Maven Central; log: $BUILD_LOG)"
  command -v mvn >/dev/null || die "Maven (mvn) is required to build the Neo4j launcher"
  rm -rf "$LIB_DIR" "$STAMP"
  local t0=$SECONDS
  local args=(-B -q -Dstyle.color=never -f "$SCRIPT_DIR/pom.xml" package
              "-Dneo4j.build.dir=$TARGET_DIR" "-Dneo4j.lib.dir=$LIB_DIR")
  # Offline first (fast when ~/.m2 already has everything), then online.
  if ! mvn -o "${args[@]}" >"$BUILD_LOG" 2>&1; then
    if ! mvn "${args[@]}" >"$BUILD_LOG" 2>&1; then
      tail -n 40 "$BUILD_LOG" >&2 || true
      die "Maven build failed, see $BUILD_LOG"
    fi
  fi
  [[ -f "$JAR" ]] || die "build produced no $JAR (see $BUILD_LOG)"
  echo "$hash" > "$STAMP"
  log "built in $((SECONDS - t0))s"
  flock -u 9
}

# Copies each plugin named in NEO4J_PLUGINS into the instance's plugins folder (offline first, then
# Maven Central), and removes jars of plugins no longer asked for, so the list is what runs.
install_plugins() {
  local wanted=() name
  IFS=',' read -r -a wanted <<< "${NEO4J_PLUGINS:-}"
  mkdir -p "$PLUGIN_DIR"
  local keep=()
  for name in "${wanted[@]}"; do
    name="${name// /}"
    [[ -n "$name" ]] || continue
    local artifact="${PLUGIN_ARTIFACTS[$name]:-}"
    [[ -n "$artifact" ]] || die "unknown plugin '$name' in NEO4J_PLUGINS (known: ${!PLUGIN_ARTIFACTS[*]})"
    IFS=':' read -r group id version packaging classifier <<< "$artifact"
    local jar="$id-$version${classifier:+-$classifier}.$packaging"
    keep+=("$jar")
    [[ -f "$PLUGIN_DIR/$jar" ]] && continue
    command -v mvn >/dev/null || die "Maven (mvn) is required to fetch plugin $name"
    log "fetching plugin $name ($artifact)"
    local args=(-B -q -Dstyle.color=never dependency:copy "-Dartifact=$artifact" "-DoutputDirectory=$PLUGIN_DIR" -Dmdep.useBaseVersion=true)
    if ! (cd "$HOME_DIR" && { mvn -o "${args[@]}" || mvn "${args[@]}"; }) >>"$LOG_DIR/plugins.log" 2>&1; then
      tail -n 20 "$LOG_DIR/plugins.log" >&2 || true
      die "fetching plugin $name failed, see $LOG_DIR/plugins.log"
    fi
  done
  local present
  for present in "$PLUGIN_DIR"/*.jar; do
    [[ -e "$present" ]] || continue
    [[ " ${keep[*]-} " == *" $(basename "$present") "* ]] || rm -f "$present"
  done
}

ensure_password() {
  if [[ ! -s "$PASSWORD_FILE" ]]; then
    local pw
    pw="$(head -c 64 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9')"
    ( umask 077; printf '%s\n' "${pw:0:24}" > "$PASSWORD_FILE.tmp" )
    mv "$PASSWORD_FILE.tmp" "$PASSWORD_FILE"
    log "generated a new password in $PASSWORD_FILE"
  fi
  chmod 600 "$PASSWORD_FILE"
}

# Wait until the launcher has written its ready marker and Bolt accepts TCP connections.
# On failure or timeout the process is stopped and the script fails, pointing at the logs.
wait_ready() {
  local pid="$1" t0="$2"
  while true; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE" "$READY_FILE"
      tail -n 30 "$LAUNCHER_LOG" >&2 || true
      die "Neo4j exited during startup; see $LAUNCHER_LOG and $LOG_DIR/debug.log"
    fi
    if [[ -f "$READY_FILE" ]] && port_open; then
      return 0
    fi
    if (( SECONDS - t0 >= START_TIMEOUT )); then
      tail -n 30 "$LAUNCHER_LOG" >&2 || true
      log "Neo4j did not answer on $(bolt_uri) within ${START_TIMEOUT}s; stopping it"
      cmd_stop
      die "Neo4j start timed out (NEO4J_START_TIMEOUT=${START_TIMEOUT}); see $LAUNCHER_LOG and $LOG_DIR/debug.log"
    fi
    sleep 0.5
  done
}

cmd_start() {
  if [[ -n "${NEO4J_URI:-}" ]]; then
    log "NEO4J_URI is set ($NEO4J_URI): using that external server, nothing to start"
    return 0
  fi
  mkdir -p "$HOME_DIR" "$LOG_DIR"
  # One start at a time per instance; a concurrent start waits and then finds it running.
  exec 8>"$HOME_DIR/.start.lock"
  flock 8
  local pid
  if pid="$(running_pid)"; then
    if [[ ! -f "$READY_FILE" ]]; then
      log "already starting (pid $pid), waiting for it"
      wait_ready "$pid" "$SECONDS"
    fi
    log "already running (pid $pid, $(bolt_uri))"
    return 0
  fi
  build
  install_plugins
  ensure_password
  if port_open; then
    local holder
    holder="$(port_holder)" || holder="a process this user cannot see (as root: ss -ltnp 'sport = :$PORT')"
    die "port $PORT is already in use by $holder; set ${NEO4J_PORT_VARIABLE:-NEO4J_BOLT_PORT} to pick another port, or stop that process"
  fi
  rm -f "$READY_FILE" "$PID_FILE"

  local jvm_opts=(
    "-Xmx$HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:-OmitStackTraceInFastThrow
    -XX:+DisableExplicitGC -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true
    -Dlog4j2.disable.jmx=true -Dfile.encoding=UTF-8
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  )
  # shellcheck disable=SC2206
  local extra=(${NEO4J_JAVA_OPTS:-})
  local t0=$SECONDS
  echo "=== $(date -Is) starting Neo4j on $(bolt_uri) (heap $HEAP, page cache $PAGECACHE)" >> "$LAUNCHER_LOG"
  nohup "$JAVA" "${jvm_opts[@]}" ${extra[@]+"${extra[@]}"} -cp "$JAR:$LIB_DIR/*:$PLUGIN_DIR/*" \
    "$MAIN_CLASS" "$HOME_DIR" "$PORT" "$PASSWORD_FILE" "$PAGECACHE" \
    >> "$LAUNCHER_LOG" 2>&1 < /dev/null 8>&- 9>&- &
  pid=$!
  echo "$pid" > "$PID_FILE"

  wait_ready "$pid" "$t0"
  log "started (pid $pid, $(bolt_uri), $((SECONDS - t0))s)"
}

cmd_stop() {
  if [[ -n "${NEO4J_URI:-}" ]]; then
    log "NEO4J_URI is set ($NEO4J_URI): external server, nothing to stop"
    return 0
  fi
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE" "$READY_FILE"
    log "not running"
    return 0
  fi
  log "stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local t0=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS - t0 >= STOP_TIMEOUT )); then
      log "no clean shutdown within ${STOP_TIMEOUT}s, killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.3
  done
  rm -f "$PID_FILE" "$READY_FILE"
  log "stopped"
}

cmd_status() {
  if [[ -n "${NEO4J_URI:-}" ]]; then
    echo "external: $NEO4J_URI"
    return 0
  fi
  local pid
  if pid="$(running_pid)"; then
    echo "running (pid $pid, $(bolt_uri))"
    return 0
  fi
  echo "stopped"
  return 3
}

cmd_password() {
  if [[ -n "${NEO4J_PASSWORD:-}" ]]; then echo "$NEO4J_PASSWORD"; return 0; fi
  [[ -s "$PASSWORD_FILE" ]] || die "no password yet ($PASSWORD_FILE); run: $0 start"
  cat "$PASSWORD_FILE"; echo
}

cmd_uri() {
  if [[ -n "${NEO4J_URI:-}" ]]; then echo "$NEO4J_URI"; else bolt_uri; fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop; cmd_start ;;
  status) cmd_status ;;
  uri) cmd_uri ;;
  password) cmd_password ;;
  build) build ;;
  *) echo "usage: $0 {start|stop|restart|status|uri|password|build}" >&2; exit 2 ;;
esac
