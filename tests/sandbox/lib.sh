# Shared helpers for the sandbox scripts (sourced, not executed).

SANDBOX_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SANDBOX_REPO_ROOT="$(cd "$SANDBOX_SCRIPT_DIR/../.." && pwd)"
SANDBOX_MARKER=".aurora-sandbox"

sandbox_root() {
    if [ -n "${AURORA_SANDBOX_ROOT:-}" ]; then
        printf '%s\n' "$AURORA_SANDBOX_ROOT"
    else
        printf '%s\n' "$SANDBOX_REPO_ROOT/.sandbox"
    fi
}

die() {
    printf 'sandbox: %s\n' "$*" >&2
    exit 1
}

# Resolve "<state-dir>" or "<name>" to an absolute state directory.
resolve_state_dir() {
    local arg="$1"
    if [ -d "$arg" ] && { [ -f "$arg/$SANDBOX_MARKER" ] || [ -f "$arg/my.cnf" ]; }; then
        (cd "$arg" && pwd)
    elif [ -f "$arg" ] && [ "$(basename "$arg")" = "sandbox.json" ]; then
        (cd "$(dirname "$arg")" && pwd)
    else
        case "$arg" in
            */*) die "not a sandbox state directory: $arg" ;;
        esac
        printf '%s/%s\n' "$(sandbox_root)" "$arg"
    fi
}

# Client invocation as the socket-authenticated root account.
root_sql() {
    local state="$1"; shift
    mariadb --no-defaults --protocol=socket --socket="$state/mysqld.sock" -u"$(id -un)" "$@"
}

# True when the PID belongs to the mariadbd started with this state directory's my.cnf.
pid_is_ours() {
    local pid="$1" state="$2"
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' '\n' < "/proc/$pid/cmdline" | grep -qxF -- "--defaults-file=$state/my.cnf"
}

# True while the process exists and is not a zombie (a zombie's cmdline is empty).
process_alive() {
    [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && [ -n "$(tr -d '\0' < "/proc/$1/cmdline" 2>/dev/null)" ]
}
