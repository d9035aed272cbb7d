"""gunicorn settings for the platform (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py`.

Sync workers: every request is short and database-bound; 2 × cores + 1 workers per server. Long Excel
imports run inside a request, hence the generous timeout."""

import multiprocessing
import os

wsgi_app = "dangjian.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "300"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "/var/log/dangjian/access.log")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "/var/log/dangjian/error.log")
forwarded_allow_ips = "127.0.0.1"
