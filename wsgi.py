"""Entry point for gunicorn and `flask --app wsgi`: exposes `app`.

A settings or flow problem stops the start with plain lines, not a traceback.
"""

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
