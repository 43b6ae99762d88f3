"""gunicorn's configuration for Collab Registry (docs/deploy.md), behind nginx.

    gunicorn --config deploy/gunicorn.conf.py collab.wsgi:application

Threads (`gthread`), not one request per process: a process waits on PostgreSQL most of a
request, and the long ones (an export streaming up to 50,000 rows, a PDF of a berita acara) then
hold one thread rather than a whole process. nginx buffers each answer, so a slow connection
holds nginx, not a thread. With `gthread` the worker `timeout` is the main loop's heartbeat, not
a limit on a request: a long request is bounded by nginx's `proxy_read_timeout` (120 s), and a
process stuck for `timeout` seconds is replaced. Every value can be set from the environment
(the systemd unit reads /etc/collab/collab.env).
"""

import multiprocessing
import os


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("COLLAB_GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
# Processes: two per core (a process holds the GIL while it renders); threads: requests a
# process serves at once, each with its own database connection (COLLAB_DB_CONN_MAX_AGE).
# workers × threads stays well under PostgreSQL's max_connections (100).
workers = env_int("COLLAB_GUNICORN_WORKERS", 2 * multiprocessing.cpu_count())
threads = env_int("COLLAB_GUNICORN_THREADS", 4)
timeout = env_int("COLLAB_GUNICORN_TIMEOUT", 120)
# On SIGTERM (systemctl stop/restart): requests in flight get this long to finish.
graceful_timeout = env_int("COLLAB_GUNICORN_GRACEFUL_TIMEOUT", 60)
# nginx keeps its connections to gunicorn open (upstream keepalive).
keepalive = env_int("COLLAB_GUNICORN_KEEPALIVE", 75)
# A process is replaced after this many requests (with jitter, not all at once): whatever
# memory a long-lived process accumulates is returned.
max_requests = env_int("COLLAB_GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = env_int("COLLAB_GUNICORN_MAX_REQUESTS_JITTER", 200)
# Only nginx on this host may say which scheme and client a request came with.
forwarded_allow_ips = os.environ.get("COLLAB_GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Requests are logged by nginx (with their upstream time); gunicorn's own errors go to stderr,
# which systemd sends to the journal (`journalctl -u collab-web`).
accesslog = os.environ.get("COLLAB_GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("COLLAB_GUNICORN_LOGLEVEL", "info")
proc_name = "collab-web"
# Worker heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Headers and request line limits as gunicorn's defaults; the body limit is nginx's and Django's.
limit_request_line = 8190
