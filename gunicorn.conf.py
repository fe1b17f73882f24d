"""Gunicorn reads this file from the working directory (`gunicorn banten_pm.wsgi`).

The access log holds the path, never the query string (`%(U)s`, not `%(r)s`) nor the
Referer (whose URL carries the previous page's query): a search for a name, a NIK or a KK
must not land in a log file (UU 27/2022). Searches travel by POST or as a keyed hash
anyway; this keeps any other query string out too.
"""

accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
