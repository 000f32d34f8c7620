#!/bin/sh
# Run by the scheduler module's Maven build before it builds the console: a clear message instead of
# "Cannot run program npm" when Node.js or npm is missing or too old (Vite 8 needs Node.js 20.19 or newer).
advice="install Node.js 20+ and npm, e.g. apt-get install nodejs npm (or skip the console: -Dconsole.skip)"
if ! command -v node >/dev/null 2>&1; then
  echo "kopek console: node is not on the PATH; $advice" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "kopek console: npm is not on the PATH; $advice" >&2
  exit 1
fi
version=$(node --version 2>/dev/null | sed 's/^v//')
major=${version%%.*}
rest=${version#*.}
minor=${rest%%.*}
case $major in ''|*[!0-9]*) major=0 ;; esac
case $minor in ''|*[!0-9]*) minor=0 ;; esac
if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
  echo "kopek console: node $version is too old (20.19 or newer needed); $advice" >&2
  exit 1
fi
