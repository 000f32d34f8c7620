#!/usr/bin/env bash
# Loads Kopek's Kibana saved objects (data views, Lens charts, dashboards: kibana/kopek.ndjson) into a Kibana through
# its saved objects import API, overwriting the objects of the same ids, so loading again after an upgrade is safe.
#
#   KIBANA_URL=http://localhost:5601 elk/load-kibana.sh [file.ndjson]
#
# Credentials, when the Kibana asks for them: KIBANA_API_KEY (an encoded API key), or KIBANA_USER and
# KIBANA_PASSWORD (basic authentication). KIBANA_SPACE loads into a space other than the default one.
# Fails (exit status 1) when Kibana cannot be reached, answers with an HTTP error, or reports any object it did not
# import (success false, or errors in the answer).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
file="${1:-$here/kibana/kopek.ndjson}"
url="${KIBANA_URL:-http://localhost:5601}"
url="${url%/}"
if [[ -n "${KIBANA_SPACE:-}" ]]; then
  url="$url/s/$KIBANA_SPACE"
fi

if [[ ! -r "$file" ]]; then
  echo "load-kibana: cannot read $file" >&2
  exit 1
fi
command -v curl >/dev/null || { echo "load-kibana: curl is needed" >&2; exit 1; }

auth=()
if [[ -n "${KIBANA_API_KEY:-}" ]]; then
  auth=(-H "Authorization: ApiKey $KIBANA_API_KEY")
elif [[ -n "${KIBANA_USER:-}" ]]; then
  # The password goes through a curl config on stdin, not the command line, so that ps does not show it.
  auth=(--config -)
fi

answer="$(mktemp)"
trap 'rm -f "$answer"' EXIT

curl_import() {
  curl --silent --show-error --max-time 120 --output "$answer" --write-out '%{http_code}' \
    -X POST "$url/api/saved_objects/_import?overwrite=true" \
    -H 'kbn-xsrf: true' \
    "${auth[@]}" \
    --form "file=@$file"
}

if [[ -n "${KIBANA_API_KEY:-}" || -z "${KIBANA_USER:-}" ]]; then
  status="$(curl_import)" || { echo "load-kibana: no answer from $url" >&2; exit 1; }
else
  status="$(printf 'user = "%s:%s"\n' "$KIBANA_USER" "${KIBANA_PASSWORD:-}" | curl_import)" \
    || { echo "load-kibana: no answer from $url" >&2; exit 1; }
fi

if [[ "$status" != 2* ]]; then
  echo "load-kibana: Kibana answered HTTP $status:" >&2
  cat "$answer" >&2
  echo >&2
  exit 1
fi

# The answer: {"success":true,"successCount":18,"successResults":[...]} or, when an object failed,
# {"success":false,"successCount":n,"errors":[{"id":...,"type":...,"error":{"type":...}}]}.
if ! grep -q '"success":true' "$answer" || grep -q '"errors":\[{' "$answer"; then
  echo "load-kibana: Kibana did not import every object:" >&2
  cat "$answer" >&2
  echo >&2
  exit 1
fi

count="$(grep -o '"successCount":[0-9]*' "$answer" | head -n 1 | cut -d: -f2)"
echo "load-kibana: imported ${count:-?} saved objects from $file into $url (Dashboards, \"Kopek – ...\")"
