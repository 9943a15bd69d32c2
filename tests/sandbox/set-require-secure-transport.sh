#!/usr/bin/env bash
# Flip require_secure_transport on a running sandbox: set-require-secure-transport.sh <state-dir|name> ON|OFF
# Uses the socket-authenticated root account: the sandbox's admin user lacks SUPER, as Aurora's master user does.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -eq 2 ] || { echo "usage: $0 <state-dir|name> ON|OFF" >&2; exit 2; }
state="$(resolve_state_dir "$1")"
value="$(printf '%s' "$2" | tr '[:lower:]' '[:upper:]')"
case "$value" in
    ON|1|TRUE) value="ON"; flag=true ;;
    OFF|0|FALSE) value="OFF"; flag=false ;;
    *) die "value must be ON or OFF, not '$2'" ;;
esac
[ -S "$state/mysqld.sock" ] || die "no server socket in $state"

root_sql "$state" -e "SET GLOBAL require_secure_transport = $value"
actual="$(root_sql "$state" -N -B -e "SELECT @@GLOBAL.require_secure_transport")"
[ "$actual" = "$value" ] || [ "$actual" = "$([ "$value" = ON ] && echo 1 || echo 0)" ] \
    || die "require_secure_transport is $actual after setting $value"

json="$state/sandbox.json"
if [ -f "$json" ]; then
    sed -i -E "s/(\"requireSecureTransport\": )(true|false)/\1$flag/" "$json"
fi
echo "sandbox: require_secure_transport=$value"
