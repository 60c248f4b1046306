"""The office's register on the web (``notice-extractor serve``): the task register, each
notice with its tasks marked in its text, uploads, a dashboard and a JSON API, in Vietnamese.

:func:`.app.create_app` builds the application and :mod:`.serve` runs it (see the README, "The
office's register: serve"). Nothing is imported here, so that the command line does not load
the web server, the database and the spreadsheet writer for every other command.
"""

TOKEN_ENV = "NOTICE_EXTRACTOR_TOKEN"  # where `serve` reads the token when --token is not given
