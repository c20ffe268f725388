"""Japanese for the msgids helper F added (job queue and several worker processes).

None: the job queue reuses the existing job messages ("Waiting to start", "interrupted: the
server stopped; run it again", ...); `altmatch serve --workers` and `altmatch worker` speak to
the operator in English, like the other operator commands (`altmatch db`, `send-emails`).
"""

JA: dict[str, str] = {}
