"""gunicorn settings for trainingcenter (docs/operations.md, "Production").

Values come from the environment file of the systemd unit
(deploy/env.example), so one file serves every host.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads: a PDF or a workbook keeps a request busy for seconds; threads keep
# the other requests of that process moving meanwhile.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# The longest request (a centre's report PDF laid out in the request) takes a
# few seconds; longer ones go to the background worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
# Recycle processes now and then (WeasyPrint keeps caches).
max_requests = 2000
max_requests_jitter = 200
# The proxy on this host is the only client; it sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# No query strings in the access log: they can carry search terms.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
