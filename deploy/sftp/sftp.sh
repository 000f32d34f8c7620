#!/bin/bash
# The compose file's SFTP server (atmoz/sftp): one user, kopek, uid 10001 like the sandbox that writes the registries
# into its home's registries/ folder (a volume shared with the sandbox), the password from its secret file.
set -euo pipefail
printf 'kopek:%s:10001:10001\n' "$(cat /run/secrets/sftp_password)" >/etc/sftp/users.conf
chmod 600 /etc/sftp/users.conf
exec /entrypoint
