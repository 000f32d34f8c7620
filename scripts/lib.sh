# Shared by ./kopek: JDK choice and a reachable PostgreSQL. Sourced, not run.

KOPEK_EMBEDDED_PG_VERSION=${KOPEK_EMBEDDED_PG_VERSION:-17.11.0}
KOPEK_PG_HOST=${KOPEK_PG_HOST:-127.0.0.1}
KOPEK_PG_PORT=${KOPEK_PG_PORT:-5432}
KOPEK_PG_USER=${KOPEK_PG_USER:-postgres}
KOPEK_JVM_DIRS=${KOPEK_JVM_DIRS:-/usr/lib/jvm}
if [ "$(id -u)" = 0 ]; then
  KOPEK_DATA=${KOPEK_DATA:-/var/lib/kopek}
else
  KOPEK_DATA=${KOPEK_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/kopek}
fi

say() { printf 'kopek: %s\n' "$*" >&2; }
die() { printf 'kopek: %s\n' "$*" >&2; exit 1; }

# --- JDK ---------------------------------------------------------------------------------------------------

jdk_major() {
  local home=$1 version=
  [ -x "$home/bin/javac" ] || return 0
  if [ -r "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [ -z "$version" ]; then
    version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  fi
  version=${version#1.}
  printf '%s' "${version%%[.+-]*}"
}

# JAVA_HOME when it is a JDK 21 or newer, else the newest such JDK under KOPEK_JVM_DIRS.
pick_jdk() {
  local current=${JAVA_HOME:-} major best= best_major=0 dir
  if [ -n "$current" ]; then
    major=$(jdk_major "$current")
    if [ "${major:-0}" -ge 21 ]; then export JAVA_HOME=$current; return; fi
  fi
  for dir in $KOPEK_JVM_DIRS/*/; do
    dir=${dir%/}
    major=$(jdk_major "$dir")
    if [ "${major:-0}" -gt "$best_major" ]; then best=$dir; best_major=$major; fi
  done
  if [ "$best_major" -lt 21 ]; then
    die "Kopek needs a JDK 21 or newer; found none (JAVA_HOME=${current:-unset}${current:+ is Java $(jdk_major "$current")}, searched $KOPEK_JVM_DIRS). Install one, e.g. apt-get install openjdk-21-jdk-headless or a Temurin JDK."
  fi
  export JAVA_HOME=$best
}

mvnw() { "$KOPEK_ROOT/mvnw" -B -q "$@"; }

# --- Node.js (the console's build) -------------------------------------------------------------------------

node_major() { node --version 2>/dev/null | sed -n 's/^v\([0-9]*\).*/\1/p'; }

# The Maven build makes the operator console with the machine's Node.js (20 or newer) and npm, from the npm
# registry and nothing else. Run as root on Debian, a missing Node.js is installed from the system's packages.
ensure_node() {
  if { ! command -v node >/dev/null || ! command -v npm >/dev/null; } && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Node.js and npm (apt-get install nodejs npm) to build the console"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >&2 \
      || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >&2; } \
      || die "could not install nodejs and npm with apt-get"
  fi
  command -v node >/dev/null && command -v npm >/dev/null \
    || die "the console is built with Node.js 20 or newer and npm; install them (e.g. apt-get install nodejs npm, or Node.js 20+ from nodejs.org's packages) and run this again"
  local major
  major=$(node_major)
  [ "${major:-0}" -ge 20 ] \
    || die "the console needs Node.js 20 or newer; $(command -v node) is $(node --version). Install a newer Node.js and run this again"
}

# --- PostgreSQL --------------------------------------------------------------------------------------------

KOPEK_STARTED_PG=

db_tool() {
  local jar
  jar=$(ls "$KOPEK_DATA"/lib/postgresql-*.jar 2>/dev/null | head -n 1 || true)
  if [ -z "$jar" ]; then
    local version
    version=$(mvnw -f "$KOPEK_ROOT/pom.xml" -N help:evaluate -Dexpression=postgresql.version -DforceStdout)
    mkdir -p "$KOPEK_DATA/lib"
    mvnw dependency:copy -Dartifact="org.postgresql:postgresql:$version" -DoutputDirectory="$KOPEK_DATA/lib"
    jar=$(ls "$KOPEK_DATA"/lib/postgresql-*.jar | head -n 1)
  fi
  "$JAVA_HOME/bin/java" -cp "$jar" "$KOPEK_ROOT/scripts/DbTool.java" "$@"
}

# PostgreSQL refuses to run as root; as root the embedded server runs as nobody.
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

embedded_pg_home() { printf '%s/postgres-%s' "$KOPEK_DATA" "$KOPEK_EMBEDDED_PG_VERSION"; }

install_embedded_pg() {
  local home arch artifact work
  home=$(embedded_pg_home)
  [ -x "$home/bin/postgres" ] && return 0
  case "$(uname -m)" in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64v8 ;;
    *) die "no embedded PostgreSQL for $(uname -m); set KOPEK_DB_URL to a PostgreSQL 15+ server" ;;
  esac
  artifact=io.zonky.test.postgres:embedded-postgres-binaries-linux-$arch:$KOPEK_EMBEDDED_PG_VERSION
  say "fetching PostgreSQL $KOPEK_EMBEDDED_PG_VERSION binaries ($artifact) from Maven Central"
  work=$(mktemp -d)
  mvnw dependency:copy -Dartifact="$artifact" -DoutputDirectory="$work"
  (cd "$work" && "$JAVA_HOME/bin/jar" xf ./*.jar)
  mkdir -p "$home.partial"
  tar -xJf "$work"/postgres-linux-*.txz -C "$home.partial" || die "cannot unpack PostgreSQL binaries (is xz installed?)"
  rm -rf "$work"
  chmod -R a+rX "$home.partial"
  mv "$home.partial" "$home"
}

# The database passwords Kopek makes: the embedded server's superuser (kopek) and the application's own role
# (kopek_app), random, made once and kept in KOPEK_DATA/pgpass, readable by this user only. The PostgreSQL driver
# finds them through PGPASSFILE, so a password is never on a command line, in a URL or in the environment.
KOPEK_APP_ROLE=${KOPEK_APP_ROLE:-kopek_app}
database_secrets() {
  local file=$KOPEK_DATA/pgpass role
  mkdir -p "$KOPEK_DATA"
  for role in kopek "$KOPEK_APP_ROLE"; do
    if ! grep -q "^\*:\*:\*:$role:" "$file" 2>/dev/null; then
      (umask 077 && printf '*:*:*:%s:%s\n' "$role" "$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" >>"$file")
    fi
  done
  chmod 600 "$file"
  export PGPASSFILE=$file
}

password_of() { sed -n "s/^\*:\*:\*:$1://p" "$KOPEK_DATA/pgpass"; }

# Starts the embedded server unless it already runs; sets KOPEK_PG_URL. It asks for a password (SCRAM) on every
# connection; a cluster made by an earlier version with trust is given its password and switched over.
start_embedded_pg() {
  install_embedded_pg
  local home data port
  home=$(embedded_pg_home)
  data=$KOPEK_DATA/pgdata-${KOPEK_EMBEDDED_PG_VERSION%%.*}
  chmod a+x "$KOPEK_DATA"
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating an embedded PostgreSQL cluster in $data"
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown nobody "$data"
    chmod 700 "$data"
    local pwfile=$data.pw
    (umask 077 && password_of kopek >"$pwfile")
    [ "$(id -u)" = 0 ] && chown nobody "$pwfile"
    as_pg_user "$home/bin/initdb" -D "$data" -U kopek --auth=scram-sha-256 --pwfile="$pwfile" -E UTF8 --locale=C \
      >"$KOPEK_DATA/initdb.log" 2>&1 || { rm -f "$pwfile"; die "initdb failed, see $KOPEK_DATA/initdb.log"; }
    rm -f "$pwfile"
  fi
  if as_pg_user "$home/bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    port=$(sed -n 4p "$data/postmaster.pid")
    say "using the embedded PostgreSQL already running on port $port"
  else
    port=$(db_tool free-port)
    as_pg_user "$home/bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-p $port -h 127.0.0.1 -c unix_socket_directories=''" start >/dev/null \
      || die "embedded PostgreSQL did not start, see $data/server.log"
    KOPEK_STARTED_PG=$data
    say "started embedded PostgreSQL $KOPEK_EMBEDDED_PG_VERSION on 127.0.0.1:$port (data in $data)"
  fi
  KOPEK_PG_URL="jdbc:postgresql://127.0.0.1:$port/postgres?user=kopek"
  if grep -Eq '^[^#].*[[:space:]]trust$' "$data/pg_hba.conf"; then
    say "the embedded PostgreSQL let anyone in (trust): giving it a password"
    db_tool set-password "$KOPEK_PG_URL" kopek
    sed -i -E 's/^([^#].*[[:space:]])trust$/\1scram-sha-256/' "$data/pg_hba.conf"
    as_pg_user "$home/bin/pg_ctl" -D "$data" reload >/dev/null
  fi
}

stop_embedded_pg() {
  if [ -n "$KOPEK_STARTED_PG" ]; then
    as_pg_user "$(embedded_pg_home)/bin/pg_ctl" -D "$KOPEK_STARTED_PG" -m fast -w stop >/dev/null 2>&1 || true
    say "stopped the embedded PostgreSQL"
    KOPEK_STARTED_PG=
  fi
}

# Makes sure a PostgreSQL is reachable and exports KOPEK_DB_URL:
#   KOPEK_DB_URL if set; else the server on KOPEK_PG_HOST:KOPEK_PG_PORT if it lets us in; else an embedded one.
# With a database name (demo), that database is created when missing; without one (tests, benchmarks) the
# URL names the server's maintenance database, where each run creates and drops its own scratch database.
ensure_postgres() {
  local database=${1:-}
  if [ -n "${KOPEK_DB_URL:-}" ]; then
    say "using KOPEK_DB_URL"
    return
  fi
  database_secrets
  local local_url="jdbc:postgresql://$KOPEK_PG_HOST:$KOPEK_PG_PORT/postgres?user=$KOPEK_PG_USER"
  if db_tool probe "$local_url" 2>/dev/null; then
    KOPEK_PG_URL=$local_url
    say "using PostgreSQL on $KOPEK_PG_HOST:$KOPEK_PG_PORT"
  else
    say "no usable PostgreSQL on $KOPEK_PG_HOST:$KOPEK_PG_PORT; falling back to an embedded one"
    start_embedded_pg
  fi
  if [ -n "$database" ]; then
    # The application connects as a role of its own that owns its database and nothing else: no superuser.
    db_tool ensure-app-database "$KOPEK_PG_URL" "$database" "$KOPEK_APP_ROLE"
    KOPEK_DB_URL="${KOPEK_PG_URL%%\?*}"
    KOPEK_DB_URL="${KOPEK_DB_URL%/postgres}/$database?user=$KOPEK_APP_ROLE"
  else
    KOPEK_DB_URL=$KOPEK_PG_URL
  fi
  export KOPEK_DB_URL
}
