"""Entry point for gunicorn and `flask --app wsgi`: exposes `app`.

A settings or flow problem stops the start with plain lines, not a traceback.

Everything loaded at start (flows, catalogues, libraries) lives as long as the process, so
it is moved out of the garbage collector's sight (`gc.freeze`): a full collection would
otherwise walk all of it again every few dozen webhooks, a pause of about 10 ms, and under
gunicorn --preload it would also dirty the memory pages the workers share.
"""

import gc
import logging
import sys

from hotline import create_app
from hotline.config import ConfigError
from hotline.flow.loader import FlowError

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

try:
    app = create_app()
except (ConfigError, FlowError) as error:
    sys.exit(f"hotline cannot start: {error}")
gc.freeze()
