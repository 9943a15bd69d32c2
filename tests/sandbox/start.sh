#!/usr/bin/env bash
# Start a throw-away MariaDB server with TLS on 127.0.0.1 that stands in for an Aurora MySQL instance.
# See README.md in this folder. The last line of stdout is the path of the sandbox.json written.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CLUSTER_ENDPOINT="demo.cluster-abc123.us-east-1.rds.amazonaws.com"
INSTANCE_ENDPOINT="demo-instance-1.abc123.us-east-1.rds.amazonaws.com"
REQUIRED_PACKAGES=(mariadb-server mariadb-client openssl)

usage() {
    cat <<'EOF'
usage: start.sh [options]
  --name NAME                        sandbox name (default: default); state in $AURORA_SANDBOX_ROOT/NAME
                                     or <repo>/.sandbox/NAME
  --tls-version LIST                 MariaDB tls_version, e.g. TLSv1.2 or TLSv1.2,TLSv1.3
  --ssl-cipher LIST                  OpenSSL cipher names for ssl_cipher (implies --tls-version TLSv1.2
                                     unless given)
  --require-secure-transport ON|OFF  initial require_secure_transport (default OFF)
  --no-san                           server certificate with CN=localhost and no subjectAltName
  --general-log                      write the general query log to <state>/general.log
  --max-connections N                server max_connections (default 200)
EOF
}

name="default"
tls_version=""
ssl_cipher=""
require_secure="OFF"
no_san=0
general_log=0
max_connections=200

while [ $# -gt 0 ]; do
    case "$1" in
        --name) name="${2:?--name needs a value}"; shift 2 ;;
        --name=*) name="${1#*=}"; shift ;;
        --tls-version) tls_version="${2:?--tls-version needs a value}"; shift 2 ;;
        --tls-version=*) tls_version="${1#*=}"; shift ;;
        --ssl-cipher) ssl_cipher="${2:?--ssl-cipher needs a value}"; shift 2 ;;
        --ssl-cipher=*) ssl_cipher="${1#*=}"; shift ;;
        --require-secure-transport) require_secure="${2:?--require-secure-transport needs ON or OFF}"; shift 2 ;;
        --require-secure-transport=*) require_secure="${1#*=}"; shift ;;
        --no-san) no_san=1; shift ;;
        --general-log) general_log=1; shift ;;
        --max-connections) max_connections="${2:?--max-connections needs a value}"; shift 2 ;;
        --max-connections=*) max_connections="${1#*=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
done

case "$name" in
    ''|*/*|.|..|*[!A-Za-z0-9._-]*) die "invalid --name '$name' (letters, digits, '.', '_', '-')" ;;
esac
case "$max_connections" in
    ''|*[!0-9]*) die "--max-connections takes a number, not '$max_connections'" ;;
esac
require_secure="$(printf '%s' "$require_secure" | tr '[:lower:]' '[:upper:]')"
case "$require_secure" in
    ON|1|TRUE) require_secure="ON" ;;
    OFF|0|FALSE) require_secure="OFF" ;;
    *) die "--require-secure-transport takes ON or OFF, not '$require_secure'" ;;
esac
case "$tls_version$ssl_cipher" in
    *[[:space:]]*) die "--tls-version and --ssl-cipher lists take no spaces" ;;
esac
if [ -n "$ssl_cipher" ] && [ -z "$tls_version" ]; then
    tls_version="TLSv1.2"
fi

# --- prerequisites --------------------------------------------------------------------------------
missing_tools() {
    local t
    for t in mariadbd mariadb mariadb-install-db mariadb-admin openssl; do
        command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || printf '%s ' "$t"
    done
}
PATH="$PATH:/usr/sbin:/sbin"
if [ -n "$(missing_tools)" ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "sandbox: installing ${REQUIRED_PACKAGES[*]} (missing: $(missing_tools))" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update >&2
        apt-get install -y --no-install-recommends "${REQUIRED_PACKAGES[@]}" >&2
        [ -z "$(missing_tools)" ] || die "still missing after install: $(missing_tools)"
    else
        echo "sandbox: missing $(missing_tools)" >&2
        echo "sandbox: install them with: apt-get install -y ${REQUIRED_PACKAGES[*]}" >&2
        exit 3
    fi
fi

# --- fresh state directory ------------------------------------------------------------------------
root="$(sandbox_root)"
mkdir -p "$root"
root="$(cd "$root" && pwd)"
state="$root/$name"

if [ -e "$state" ]; then
    if [ ! -f "$state/$SANDBOX_MARKER" ]; then
        die "$state exists and is not a sandbox state directory; refusing to reuse it"
    fi
    "$SANDBOX_SCRIPT_DIR/stop.sh" "$state" >&2
    rm -rf -- "$state"
fi
mkdir -p "$state/data" "$state/tls" "$state/tmp"
touch "$state/$SANDBOX_MARKER"
chmod 700 "$state"

# --- certificates ---------------------------------------------------------------------------------
tls="$state/tls"
ossl() { openssl "$@" 2>>"$state/openssl.log" >/dev/null; }

make_ca() { # <key> <cert> <CN>
    ossl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -keyout "$1" -out "$2" \
        -subj "/O=AuroraSecurity Sandbox/CN=$3" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign"
}
make_ca "$tls/ca-key.pem" "$tls/ca.pem" "AuroraSecurity Sandbox CA" || die "openssl failed: $(tail -5 "$state/openssl.log")"
make_ca "$tls/wrong-ca-key.pem" "$tls/wrong-ca.pem" "Unrelated Sandbox CA" || die "openssl failed: $(tail -5 "$state/openssl.log")"

if [ "$no_san" -eq 1 ]; then
    server_cn="localhost"
else
    server_cn="$INSTANCE_ENDPOINT"
fi
{
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=serverAuth"
    echo "subjectKeyIdentifier=hash"
    echo "authorityKeyIdentifier=keyid"
    if [ "$no_san" -eq 0 ]; then
        echo "subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:$CLUSTER_ENDPOINT"
    fi
} > "$tls/server-ext.cnf"
ossl req -new -newkey rsa:2048 -nodes -sha256 -keyout "$tls/server-key.pem" -out "$tls/server.csr" \
    -subj "/O=AuroraSecurity Sandbox/CN=$server_cn" || die "openssl failed: $(tail -5 "$state/openssl.log")"
ossl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" -CAcreateserial \
    -sha256 -days 825 -extfile "$tls/server-ext.cnf" -out "$tls/server-cert.pem" \
    || die "openssl failed: $(tail -5 "$state/openssl.log")"
chmod 600 "$tls"/*-key.pem

# --- free port on 127.0.0.1 -----------------------------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
    local p
    if command -v python3 >/dev/null 2>&1 && p="$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null)" && [ -n "$p" ]; then
        printf '%s\n' "$p"; return
    fi
    for _ in $(seq 1 50); do
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        port_in_use "$p" || { printf '%s\n' "$p"; return; }
    done
    die "no free TCP port found on 127.0.0.1"
}

# --- server configuration -------------------------------------------------------------------------
run_as=()
if [ "$(id -u)" -eq 0 ]; then run_as=(--user=root); fi

# IAM database authentication, as far as MariaDB can have it: accounts IDENTIFIED VIA pam USING '<service>' hand the
# password (the token, sent with mysql_clear_password as Aurora asks) to a PAM service of this sandbox alone, whose
# pam_exec runs verify-iam-token.py against the keys the tests write to <state>/iam/keys.json. Needs root (the PAM
# service lives in /etc/pam.d), MariaDB's auth_pam plugin, pam_exec and python3.
iam_service=""
iam_unavailable=""
plugin_dir="$(mariadbd --no-defaults --verbose --help 2>/dev/null | awk '$1 == "plugin-dir" { print $2 }')"
if [ "$(id -u)" -ne 0 ]; then iam_unavailable="needs root to add a PAM service in /etc/pam.d"
elif [ ! -f "${plugin_dir:-/usr/lib/mysql/plugin}/auth_pam.so" ]; then iam_unavailable="MariaDB's auth_pam plugin is not installed"
elif ! command -v python3 > /dev/null 2>&1; then iam_unavailable="python3 is not installed"
elif ! ls /usr/lib/*/security/pam_exec.so /lib/*/security/pam_exec.so > /dev/null 2>&1; then iam_unavailable="pam_exec is not installed"
else
    iam_service="aurora-sandbox-iam-$(printf '%s' "$state" | sha256sum | cut -c1-16)"
    mkdir -p "$state/iam"
    [ -f "$state/iam/keys.json" ] || printf '{}\n' > "$state/iam/keys.json"
    : > "$state/iam/verifier.log"
    cp "$SANDBOX_SCRIPT_DIR/verify-iam-token.py" "$state/iam/verify-iam-token.py"
fi

write_cnf() { # <port>
    {
        echo "[mariadbd]"
        echo "datadir=$state/data"
        echo "socket=$state/mysqld.sock"
        echo "pid-file=$state/mysqld.pid"
        echo "log-error=$state/error.log"
        echo "tmpdir=$state/tmp"
        echo "bind-address=127.0.0.1"
        echo "port=$1"
        echo "skip-name-resolve"
        echo "skip-external-locking"
        echo "performance_schema=OFF"
        echo "innodb_buffer_pool_size=32M"
        echo "innodb_log_file_size=16M"
        echo "max_connections=$max_connections"
        echo "ssl_ca=$tls/ca.pem"
        echo "ssl_cert=$tls/server-cert.pem"
        echo "ssl_key=$tls/server-key.pem"
        [ -n "$tls_version" ] && echo "tls_version=$tls_version"
        [ -n "$ssl_cipher" ] && echo "ssl_cipher=$ssl_cipher"
        echo "require_secure_transport=$require_secure"
        if [ -n "$iam_service" ]; then
            echo "plugin_load_add=auth_pam"
            echo "pam_use_cleartext_plugin=ON"
        fi
        if [ "$general_log" -eq 1 ]; then
            echo "general_log=1"
            echo "general_log_file=$state/general.log"
            echo "log_output=FILE"
        fi
    } > "$state/my.cnf"
}

# --- data directory -------------------------------------------------------------------------------
socket_user="$(id -un)"
# Its own tmpdir: temporary tables named by process id collide in a shared /tmp when sandboxes start at once.
if ! mariadb-install-db --no-defaults "${run_as[@]}" --datadir="$state/data" \
        --tmpdir="$state/tmp" --auth-root-authentication-method=socket --auth-root-socket-user="$socket_user" \
        --skip-test-db --skip-name-resolve > "$state/install-db.log" 2>&1; then
    tail -n 30 "$state/install-db.log" >&2
    die "mariadb-install-db failed (log: $state/install-db.log)"
fi

fail_with_log() {
    echo "sandbox: $*" >&2
    if [ -f "$state/error.log" ]; then
        echo "---- last lines of $state/error.log ----" >&2
        tail -n 40 "$state/error.log" >&2
    fi
    if [ -f "$state/mariadbd.out" ] && [ -s "$state/mariadbd.out" ]; then
        echo "---- $state/mariadbd.out ----" >&2
        tail -n 20 "$state/mariadbd.out" >&2
    fi
    exit 1
}

# --- start, retrying when another process takes the port first ------------------------------------
started=0
for attempt in 1 2 3; do
    port="$(pick_port)"
    write_cnf "$port"
    : > "$state/error.log"
    rm -f "$state/mysqld.pid"
    setsid mariadbd --defaults-file="$state/my.cnf" "${run_as[@]}" \
        < /dev/null > "$state/mariadbd.out" 2>&1 &
    launcher=$!
    for _ in $(seq 1 200); do
        if mariadb-admin --no-defaults --protocol=socket --socket="$state/mysqld.sock" -u"$socket_user" \
                --connect-timeout=1 ping > /dev/null 2>&1; then
            started=1; break
        fi
        process_alive "$launcher" || break
        sleep 0.1
    done
    [ "$started" -eq 1 ] && break
    if grep -qiE "bind on tcp/ip port|address already in use" "$state/error.log" 2>/dev/null; then
        echo "sandbox: port $port was taken, retrying" >&2
        wait "$launcher" 2>/dev/null || true
        continue
    fi
    if process_alive "$launcher"; then
        kill -TERM "$launcher" 2>/dev/null || true
        fail_with_log "server did not answer within 20 s"
    fi
    fail_with_log "server exited during start-up"
done
[ "$started" -eq 1 ] || fail_with_log "could not bind a free port after 3 attempts"

for _ in $(seq 1 50); do [ -s "$state/mysqld.pid" ] && break; sleep 0.1; done
pid="$(tr -dc '0-9' < "$state/mysqld.pid" 2>/dev/null || true)"
pid_is_ours "$pid" "$state" || fail_with_log "PID file does not name the server that was started"

# --- Aurora-like accounts and procedures ----------------------------------------------------------
gen_password() { # 24 random letters/digits plus a fixed mix of classes
    local r
    r="$(openssl rand -base64 48 | tr -dc 'A-Za-z0-9' | cut -c1-24)"
    printf 'Sb1-%s_x\n' "$r"
}
admin_password="$(gen_password)"
rdsadmin_password="$(gen_password)"

if ! root_sql "$state" > "$state/setup.log" 2>&1 <<SQL


CREATE ROLE rds_superuser_role;
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, REFERENCES, INDEX, ALTER,
      SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE,
      BINLOG MONITOR, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT,
      TRIGGER, DELETE HISTORY, SLAVE MONITOR
   ON *.* TO rds_superuser_role WITH GRANT OPTION;

CREATE USER 'admin'@'%' IDENTIFIED BY '$admin_password';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, REFERENCES, INDEX, ALTER,
      SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE,
      BINLOG MONITOR, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT,
      TRIGGER, DELETE HISTORY, SLAVE MONITOR
   ON *.* TO 'admin'@'%' WITH GRANT OPTION;
GRANT rds_superuser_role TO 'admin'@'%' WITH ADMIN OPTION;
SET DEFAULT ROLE rds_superuser_role FOR 'admin'@'%';

CREATE USER 'rdsadmin'@'localhost' IDENTIFIED BY '$rdsadmin_password' ACCOUNT LOCK;
GRANT ALL PRIVILEGES ON *.* TO 'rdsadmin'@'localhost' WITH GRANT OPTION;

DELIMITER //
CREATE DEFINER='root'@'localhost' PROCEDURE mysql.rds_kill(IN thread BIGINT UNSIGNED)
    SQL SECURITY DEFINER
    COMMENT 'Ends a connection, as on Amazon RDS / Aurora MySQL'
BEGIN
    KILL CONNECTION thread;
END//
CREATE DEFINER='root'@'localhost' PROCEDURE mysql.rds_kill_query(IN thread BIGINT UNSIGNED)
    SQL SECURITY DEFINER
    COMMENT 'Ends the running statement of a connection, as on Amazon RDS / Aurora MySQL'
BEGIN
    KILL QUERY thread;
END//
DELIMITER ;
GRANT EXECUTE ON PROCEDURE mysql.rds_kill TO 'admin'@'%';
GRANT EXECUTE ON PROCEDURE mysql.rds_kill_query TO 'admin'@'%';
GRANT EXECUTE ON PROCEDURE mysql.rds_kill TO rds_superuser_role;
GRANT EXECUTE ON PROCEDURE mysql.rds_kill_query TO rds_superuser_role;
FLUSH PRIVILEGES;
SQL
then
    cat "$state/setup.log" >&2
    "$SANDBOX_SCRIPT_DIR/stop.sh" "$state" >&2 || true
    die "account setup failed"
fi

# The PAM service goes in only once the server runs, so a start that fails leaves nothing in /etc/pam.d.
if [ -n "$iam_service" ]; then
    printf '%s\n' "$iam_service" > "$state/iam/pam-service"
    {
        echo "# The IAM token check of the MariaDB sandbox in $state; removed by its stop.sh."
        echo "auth required pam_exec.so expose_authtok quiet /usr/bin/env python3 $state/iam/verify-iam-token.py $state/iam/keys.json $state/iam/verifier.log"
        echo "account required pam_permit.so"
    } > "/etc/pam.d/$iam_service"
fi

info="$(root_sql "$state" -N -B -e "SELECT CONCAT_WS('|', VERSION(), @@tls_version, IFNULL(@@ssl_cipher,''), @@require_secure_transport, @@have_ssl)")"
IFS='|' read -r server_version eff_tls eff_cipher eff_rst have_ssl <<< "$info"
if [ "$have_ssl" != "YES" ]; then
    "$SANDBOX_SCRIPT_DIR/stop.sh" "$state" >&2 || true
    fail_with_log "TLS is not enabled on the server (have_ssl=$have_ssl)"
fi

# --- sandbox.json ---------------------------------------------------------------------------------
json_str() { # quote a string for JSON
    local s="$1"
    s="${s//\\/\\\\}"; s="${s//\"/\\\"}"
    printf '"%s"' "$s"
}
json_str_or_null() { if [ -n "$1" ]; then json_str "$1"; else printf 'null'; fi; }
bool() { if [ "$1" = "1" ] || [ "$1" = "ON" ]; then printf 'true'; else printf 'false'; fi; }

general_log_file=""
[ "$general_log" -eq 1 ] && general_log_file="$state/general.log"

umask 077
json="$state/sandbox.json"
cat > "$json.tmp" <<EOF
{
  "name": $(json_str "$name"),
  "stateDir": $(json_str "$state"),
  "host": "127.0.0.1",
  "port": $port,
  "socket": $(json_str "$state/mysqld.sock"),
  "pidFile": $(json_str "$state/mysqld.pid"),
  "pid": $pid,
  "dataDir": $(json_str "$state/data"),
  "errorLogFile": $(json_str "$state/error.log"),
  "caFile": $(json_str "$tls/ca.pem"),
  "wrongCaFile": $(json_str "$tls/wrong-ca.pem"),
  "serverCertFile": $(json_str "$tls/server-cert.pem"),
  "clusterEndpoint": $(json_str "$CLUSTER_ENDPOINT"),
  "instanceEndpoint": $(json_str "$INSTANCE_ENDPOINT"),
  "serverCertCommonName": $(json_str "$server_cn"),
  "adminUser": "admin",
  "adminPassword": $(json_str "$admin_password"),
  "rootSocketUser": $(json_str "$socket_user"),
  "tlsVersion": $(json_str "$eff_tls"),
  "sslCipher": $(json_str_or_null "$eff_cipher"),
  "requireSecureTransport": $(bool "$eff_rst"),
  "hasSan": $(bool $((1 - no_san))),
  "generalLogFile": $(json_str_or_null "$general_log_file"),
  "serverVersion": $(json_str "$server_version"),
  "iamPamService": $(json_str_or_null "$iam_service"),
  "iamKeysFile": $(json_str_or_null "${iam_service:+$state/iam/keys.json}"),
  "iamVerifierLog": $(json_str_or_null "${iam_service:+$state/iam/verifier.log}"),
  "iamUnavailable": $(json_str_or_null "$iam_unavailable")
}
EOF
chmod 600 "$json.tmp"
mv -f "$json.tmp" "$json"

echo "sandbox: '$name' running, pid $pid, 127.0.0.1:$port, $server_version, tls_version=$eff_tls" >&2
printf '%s\n' "$json"
