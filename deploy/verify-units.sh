#!/usr/bin/env bash
# Checks deploy/systemd/*.{service,timer} with `systemd-analyze verify` (CI: .ci/run), without a
# running systemd: the units are copied with /srv/collab/app pointing at this checkout (whose
# .venv holds gunicorn and celery, so each ExecStart is checked to be executable) and any
# warning fails the check, not only an error.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "systemd-analyze is missing (Debian: apt-get install systemd)" >&2
    exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for unit in "$root"/deploy/systemd/*.service "$root"/deploy/systemd/*.timer; do
    sed -e "s#/srv/collab/app#$root#g" -e "s#/srv/collab/var#$work/var#g" "$unit" \
        >"$work/$(basename "$unit")"
done
status=0
for unit in "$work"/*.service "$work"/*.timer; do
    output="$(cd "$work" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "./$(basename "$unit")" 2>&1)" \
        || status=1
    if [[ -n $output ]]; then
        echo "$output" >&2
        status=1
    fi
done
if [[ $status -eq 0 ]]; then
    echo "systemd units OK: $(cd "$root/deploy/systemd" && ls | tr '\n' ' ')"
fi
exit $status
