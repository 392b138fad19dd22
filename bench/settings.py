"""Settings for the benchmarks: the deployment's settings, not the tests'.

DEBUG off, the real password hasher (PBKDF2), the database backend for
background jobs, whitenoise's manifest storage, the database from DATABASE_URL
(else the SQLite file, as in production). Only what a benchmark cannot have
differs: a fixed secret key and fixed citizen-ID keys, plain HTTP on the
loopback (a deployment sits behind a TLS proxy), and static files served from
the source folders, since a benchmark does not run collectstatic. Nothing
here comes from the tests package, so the benchmarks run on a machine without
it.
"""

import os
import warnings

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "s" * 50)
os.environ["DJANGO_DEBUG"] = "0"  # whatever the shell says
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# Citizen IDs are encrypted as in a deployment, under keys of the bench's own.
os.environ.setdefault("CITIZEN_ID_KEYS", "YmVuY2gtb25seS1jaXRpemVuLWlkLWtleS0wMDAwMDA=")
os.environ.setdefault("CITIZEN_ID_HASH_KEY", "bench-only-citizen-id-hash-key")

from trainingcenter.settings import *  # noqa: E402,F403

# No collected static files in a benchmark: the source folders, hashed names off.
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)

# …nor a collected folder for whitenoise to watch: its warning is noise here.
warnings.filterwarnings("ignore", message="No directory at")
