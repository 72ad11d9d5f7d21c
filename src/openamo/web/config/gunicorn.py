"""gunicorn configuration, shared by production and ``amo serve``.

    gunicorn -c python:openamo.web.config.gunicorn openamo.web.config.wsgi

Every value can be changed by an environment variable (see « Mettre en production » in the
README). Request limits stop oversized headers at the server; bodies are limited while
streaming by Django (``openamo.web.uploads``). Each access line carries the request id that the
error page shows and that Django's error log repeats.
"""

from __future__ import annotations

import os

from openamo.web.config.settings.base import env_int, env_str

# Files written by the server (SQLite base and journals, generated secrets) are its own only.
os.umask(0o077)

bind = env_str("OPENAMO_BIND", "127.0.0.1:8000")
workers = env_int("OPENAMO_WORKERS", 2 * (os.cpu_count() or 1) + 1)
threads = env_int("OPENAMO_THREADS", 4)
# Above the database statement timeout (20 s by default): a slow query ends with a French page
# before gunicorn kills the worker and every request it was serving.
timeout = env_int("OPENAMO_WORKER_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
max_requests = env_int("OPENAMO_MAX_REQUESTS", 5000)
max_requests_jitter = 500

limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# The reverse proxy's address(es): only they may set X-Forwarded-Proto / X-Forwarded-For.
forwarded_allow_ips = env_str("OPENAMO_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

accesslog = "-"
errorlog = "-"
loglevel = env_str("OPENAMO_GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s "%(a)s"'
