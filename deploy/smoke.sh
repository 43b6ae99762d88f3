#!/usr/bin/env bash
# Smoke test of the production stack, end to end on loopback (CI runs it: .ci/run).
#
# PostgreSQL and Redis (already running), gunicorn with deploy/gunicorn.conf.py and
# COLLAB_ENV=production behind Debian's nginx running deploy/nginx/collab.conf (its paths, ports
# and names substituted) with a self-signed certificate, the Celery worker and beat as plain
# processes. deploy/smoke_client.py then signs in, records a meeting, runs an export above the
# threshold through the worker and downloads it via X-Accel-Redirect, fetches static files,
# checks the security headers and /health/; the worker is stopped and /health/ must turn 503.
# Any failure exits non-zero. Everything started is stopped on exit, the database dropped.
#
#     deploy/smoke.sh               # needs nginx, openssl, PostgreSQL on 127.0.0.1:5432, Redis
#
# Settings (environment): SMOKE_DB (collab_smoke), SMOKE_PG (postgres://postgres@127.0.0.1:5432),
# SMOKE_BROKER_URL (redis://127.0.0.1:6379/5), SMOKE_CACHE_URL (redis://127.0.0.1:6379/6),
# SMOKE_GUNICORN_PORT (8200), SMOKE_HTTPS_PORT (8443), SMOKE_HTTP_PORT (8280), SMOKE_KEEP=1 keeps
# the work folder and the database for a look afterwards.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
DB="${SMOKE_DB:-collab_smoke}"
PG="${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}"
GUNICORN_PORT="${SMOKE_GUNICORN_PORT:-8200}"
HTTPS_PORT="${SMOKE_HTTPS_PORT:-8443}"
HTTP_PORT="${SMOKE_HTTP_PORT:-8280}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
STALE_SECONDS=5
started_at=$SECONDS

say() { printf '== %s (%ss)\n' "$*" "$((SECONDS - started_at))"; }
fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }

for tool in "$NGINX" openssl psql curl "$PY"; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (.ci/run installs nginx and openssl)"
done

WORK="$(mktemp -d /tmp/collab-smoke.XXXXXX)"
chmod 0755 "$WORK"  # nginx's workers (user nobody under root) read static and private files
RUN_ID="smoke-$$"
pids=()

cleanup() {
    local status=$?
    set +e
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null
    done
    wait 2>/dev/null
    "$PY" - <<EOF 2>/dev/null
import redis
for url, pattern in (("$BROKER_URL", "*$RUN_ID*"), ("$CACHE_URL", "*$RUN_ID*")):
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=pattern):
        client.delete(key)
EOF
    if [[ $status -ne 0 ]]; then
        for log in "$WORK"/logs/*.log; do
            [[ -f $log ]] || continue
            echo "---- tail of $log" >&2
            tail -n 40 "$log" >&2
        done
    fi
    if [[ -z ${SMOKE_KEEP:-} ]]; then
        psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1
        rm -rf "$WORK"
    else
        echo "kept: $WORK and database $DB"
    fi
    if [[ $status -eq 0 ]]; then
        say "SMOKE OK"
    fi
    exit $status
}
BROKER_URL="${SMOKE_BROKER_URL:-redis://127.0.0.1:6379/5}"
CACHE_URL="${SMOKE_CACHE_URL:-redis://127.0.0.1:6379/6}"
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK"/{var,logs,tls,nginx/tmp}

# --- the environment of every process, as /etc/collab/collab.env gives it in production -------
export COLLAB_ENV=production
COLLAB_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export COLLAB_SECRET_KEY
export COLLAB_ALLOWED_HOSTS=localhost
export COLLAB_CSRF_TRUSTED_ORIGINS="https://localhost:$HTTPS_PORT"
export COLLAB_SITE_URL="https://localhost:$HTTPS_PORT"
export DATABASE_URL="$PG/$DB"
export COLLAB_VAR_DIR="$WORK/var"
export COLLAB_BROKER_URL="$BROKER_URL"
export COLLAB_CACHE_URL="$CACHE_URL"
export COLLAB_CACHE_KEY_PREFIX="$RUN_ID"
export COLLAB_TASK_QUEUE="$RUN_ID"
export COLLAB_ACCEL_REDIRECT=/_private/
export COLLAB_PROXY_COUNT=1
export COLLAB_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
export COLLAB_DEMO_PASSWORD="asap-$RUN_ID-rahasia"
# Small enough that the partner directory (34 demo partners) is exported in the background.
export COLLAB_EXPORT_SYNC_ROWS=5 COLLAB_EXPORT_SYNC_ROWS_XLSX=5
export COLLAB_WORKER_HEARTBEAT_SECONDS=1 COLLAB_WORKER_STALE_SECONDS=$STALE_SECONDS
export COLLAB_GUNICORN_BIND="127.0.0.1:$GUNICORN_PORT" COLLAB_GUNICORN_WORKERS=2
export COLLAB_GUNICORN_THREADS=2
export PYTHONUNBUFFERED=1
unset COLLAB_DEBUG COLLAB_ZEAL PYTEST_VERSION

say "database $DB: migrate, load_reference, load_demo, collectstatic, check --deploy"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null
psql "$PG/postgres" -qc "CREATE DATABASE \"$DB\"" >/dev/null
"$PY" manage.py migrate --noinput --verbosity 0
"$PY" manage.py load_reference --verbosity 0
"$PY" manage.py load_demo --verbosity 0
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py check --deploy --fail-level WARNING

say "a self-signed certificate for localhost"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$WORK/tls/privkey.pem" -out "$WORK/tls/fullchain.pem" 2>/dev/null

say "nginx (deploy/nginx/collab.conf on 127.0.0.1:$HTTPS_PORT and :$HTTP_PORT)"
sed -e "s#server 127.0.0.1:8000#server 127.0.0.1:$GUNICORN_PORT#" \
    -e "s#listen 80;#listen 127.0.0.1:$HTTP_PORT;#" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$HTTPS_PORT ssl http2;#" \
    -e "/listen \[::\]/d" \
    -e "s#registri.example.go.id#localhost#g" \
    -e "s#https://\$host\$request_uri#https://\$host:$HTTPS_PORT\$request_uri#" \
    -e "s#/etc/ssl/collab/#$WORK/tls/#g" \
    -e "s#/srv/collab/var/#$WORK/var/#g" \
    -e "s#/var/log/nginx/#$WORK/logs/nginx-#g" \
    deploy/nginx/collab.conf >"$WORK/nginx/collab.conf"
cp deploy/nginx/collab-log-format.conf "$WORK/nginx/"
grep -q "127.0.0.1:$HTTPS_PORT ssl" "$WORK/nginx/collab.conf" || fail "nginx site not rewritten"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/logs/nginx-main.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    access_log $WORK/logs/nginx-access.log;
    include $WORK/nginx/collab-log-format.conf;
    include $WORK/nginx/collab.conf;
}
EOF
"$NGINX" -t -q -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" 2>"$WORK/logs/nginx-test.log" \
    || { cat "$WORK/logs/nginx-test.log" >&2; fail "nginx -t"; }
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g "daemon off;" \
    >"$WORK/logs/nginx.log" 2>&1 &
pids+=($!)

say "gunicorn (deploy/gunicorn.conf.py), celery worker and beat"
.venv/bin/gunicorn --config deploy/gunicorn.conf.py collab.wsgi:application \
    >"$WORK/logs/gunicorn.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A collab worker --loglevel=INFO --concurrency=1 -Q "$RUN_ID" \
    --hostname="$RUN_ID@%h" >"$WORK/logs/worker.log" 2>&1 &
worker_pid=$!
pids+=($worker_pid)
.venv/bin/celery -A collab beat --loglevel=INFO --schedule="$WORK/var/celerybeat-schedule" \
    >"$WORK/logs/beat.log" 2>&1 &
pids+=($!)

export SMOKE_HTTPS="https://localhost:$HTTPS_PORT" SMOKE_HTTP="http://localhost:$HTTP_PORT"
export SMOKE_CA="$WORK/tls/fullchain.pem" SMOKE_PASSWORD="$COLLAB_DEMO_PASSWORD"
export SMOKE_STALE_SECONDS=$STALE_SECONDS
for _ in $(seq 1 120); do
    code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$SMOKE_CA" \
        "$SMOKE_HTTPS/health/" 2>/dev/null || true)"
    [[ $code == 200 ]] && break
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "a process exited at start"; done
    sleep 0.5
done
[[ $code == 200 ]] || fail "/health/ did not answer 200 within 60 s (last: $code)"

say "as a user would, over TLS"
"$PY" deploy/smoke_client.py serve

say "stopping the worker (SIGTERM, warm shutdown)"
kill -TERM "$worker_pid"
wait "$worker_pid" 2>/dev/null || true
"$PY" deploy/smoke_client.py stale
