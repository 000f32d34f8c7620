#!/bin/bash
# The compose file's elasticsearch-init: run once after Elasticsearch is healthy, as elastic.
#  - kibana_system gets the password Kibana is given (secrets/kibana_system_password);
#  - role kopek_search: Kopek's indices (kopek-*) and their templates only, nothing else of the cluster;
#  - user kopek with that role and the password Kopek is given (secrets/kopek_search_password).
# Safe to run again: each call sets, never adds.
set -euo pipefail
url=${ELASTICSEARCH_URL:-http://elasticsearch:9200}
elastic=$(cat /run/secrets/elastic_password)
kibana=$(cat /run/secrets/kibana_system_password)
kopek=$(cat /run/secrets/kopek_search_password)

call() { # method path body
  local status
  status=$(curl -sS -o /tmp/answer -w '%{http_code}' -u "elastic:$elastic" -X "$1" "$url$2" \
    -H 'Content-Type: application/json' --data-binary @-  <<<"$3")
  if [[ $status != 2* ]]; then
    echo "elasticsearch-init: $1 $2 answered $status: $(cat /tmp/answer)" >&2
    exit 1
  fi
}

# JSON strings from the secrets (quotes and backslashes escaped).
json() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }

call POST /_security/user/kibana_system/_password "{\"password\":$(json "$kibana")}"
call PUT /_security/role/kopek_search '{
  "cluster": ["monitor", "manage_index_templates"],
  "indices": [{"names": ["kopek-*"], "privileges": ["all"]}]
}'
call PUT /_security/user/kopek "{\"password\":$(json "$kopek"),\"roles\":[\"kopek_search\"],\"full_name\":\"Kopek's search indexer\"}"
echo "elasticsearch-init: kibana_system's password set; user kopek with role kopek_search"
