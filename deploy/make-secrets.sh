#!/usr/bin/env bash
# Makes the secret files docker-compose.yml reads (one value per file, random), in secrets/ beside it or in the folder
# given. An existing file is kept, so running it again only adds what is missing. secrets/ is git-ignored.
#
#   deploy/make-secrets.sh [folder]
#
# The folder is yours alone (0700); the files in it are readable (0644) because Docker Compose mounts them into
# containers as they are, where Kopek runs as uid 10001 and the other images as users of their own.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:-$root/secrets}
mkdir -p "$dir"
chmod 700 "$dir"

random() { head -c "$1" /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

make() { # name value
  local file=$dir/$1
  if [ ! -s "$file" ]; then
    printf '%s' "$2" >"$file"
    chmod 644 "$file"
    echo "made $file"
  fi
}

for name in db_password rabbitmq_password elastic_password kibana_system_password kopek_search_password \
  sftp_password yookassa_secret_key sber_password sber_callback_key acme_api_key acme_callback_secret atol_password; do
  make "$name" "$(random 24)"
done
# The webhooks' sealing key: base64 of 32 random bytes (kopek.notifications.webhooks.secret-key).
make webhooks_secret_key "$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
# The first admin API key, kpk_<12 hex>_<43 base64url>, and the console's admin password (12 characters or more).
make admin_key "kpk_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')_$(random 32)"
make admin_password "$(random 18)"
echo "secrets in $dir: the console's admin password is in admin_password, the admin API key in admin_key"
